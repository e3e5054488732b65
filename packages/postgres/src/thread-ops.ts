import type { ChatThread, OrgScope, Scope, ThreadPage } from '@fluxibly/core';
import type { ValidCreateThread, ValidFork, ValidListThreads, ValidUpdateThread } from '@fluxibly/core/adapter';
import { buildThreadPage, forkPointError, threadIdTaken, threadNotFound } from '@fluxibly/core/adapter';
import type { ThreadRow } from './codec.js';
import { toChatThread } from './codec.js';
import type { Context } from './context.js';

/**
 * The thread operations (core's `StorageOperations`), each one statement — one round trip — except
 * `deleteThread` (a short transaction). Input is validated by core's adapter kit; scope is part of every `WHERE`.
 */

/** Create an empty thread. One statement. @throws ConflictError when the id is used by any thread. */
export async function createThread(c: Context, s: Scope, valid: ValidCreateThread): Promise<ChatThread> {
  const { rows } = await c.connection.query<ThreadRow>(c.statements.threads.create, [
    valid.id,
    s.orgId,
    s.userId,
    valid.name,
    JSON.stringify(valid.metadata),
  ]);
  const row = rows[0];
  if (row === undefined) throw threadIdTaken();
  return toChatThread(row);
}

/** The thread, or `null` when it does not exist for this scope. One statement, by primary key. */
export async function getThread(c: Context, s: Scope, threadId: string): Promise<ChatThread | null> {
  const { rows } = await c.connection.query<ThreadRow>(c.statements.threads.get, [threadId, s.orgId, s.userId]);
  return rows[0] === undefined ? null : toChatThread(rows[0]);
}

/** This user's threads, newest activity first. One statement on the `(org_id, user_id, updated_at, id)` index. */
export async function listThreads(c: Context, s: Scope, valid: ValidListThreads): Promise<ThreadPage> {
  const statements = c.statements.threads;
  const { rows } =
    valid.cursor === undefined
      ? await c.connection.query<ThreadRow>(statements.listUser(valid.limit + 1), [s.orgId, s.userId])
      : await c.connection.query<ThreadRow>(statements.listUserAfter(valid.limit + 1), [
          s.orgId,
          s.userId,
          valid.cursor.updatedAt,
          valid.cursor.id,
        ]);
  return buildThreadPage(rows.map(toChatThread), valid.limit);
}

/** Every thread of an organisation, newest activity first. One statement on the `(org_id, updated_at, id)` index. */
export async function listOrgThreads(c: Context, s: OrgScope, valid: ValidListThreads): Promise<ThreadPage> {
  const statements = c.statements.threads;
  const { rows } =
    valid.cursor === undefined
      ? await c.connection.query<ThreadRow>(statements.listOrg(valid.limit + 1), [s.orgId])
      : await c.connection.query<ThreadRow>(statements.listOrgAfter(valid.limit + 1), [
          s.orgId,
          valid.cursor.updatedAt,
          valid.cursor.id,
        ]);
  return buildThreadPage(rows.map(toChatThread), valid.limit);
}

/** Rename and/or replace metadata; moves `updatedAt`. One statement. @throws NotFoundError. */
export async function updateThread(c: Context, s: Scope, valid: ValidUpdateThread): Promise<ChatThread> {
  const { rows } = await c.connection.query<ThreadRow>(c.statements.threads.update, [
    valid.threadId,
    s.orgId,
    s.userId,
    valid.name ?? null,
    valid.metadata === undefined ? null : JSON.stringify(valid.metadata),
  ]);
  if (rows[0] === undefined) throw threadNotFound();
  return toChatThread(rows[0]);
}

/**
 * Delete a thread and its messages; `false` when it does not exist for this scope. A transaction of two
 * statements: deleting the thread row first waits for any append in flight, and the message delete that follows
 * sees its rows, so nothing is left behind and the id is free for a new, empty thread.
 */
export async function deleteThread(c: Context, s: Scope, threadId: string): Promise<boolean> {
  const statements = c.statements.threads;
  return c.connection.transaction(async (client) => {
    const deleted = await c.connection.query(statements.deleteThread, [threadId, s.orgId, s.userId], client);
    if (deleted.rowCount === 0) return false;
    await c.connection.query(statements.deleteMessages, [threadId], client);
    return true;
  });
}

/**
 * Remove every message, keep the thread and its `lastSeq`, move `updatedAt` (even when it was empty); returns how
 * many were removed. One statement. @throws NotFoundError.
 */
export async function clearThread(c: Context, s: Scope, threadId: string): Promise<number> {
  const { rows } = await c.connection.query<{ removed: string }>(c.statements.threads.clear, [
    threadId,
    s.orgId,
    s.userId,
  ]);
  if (rows[0] === undefined) throw threadNotFound();
  return Number(rows[0].removed);
}

/**
 * Copy a thread's messages up to `atSeq` into a new thread, atomically, in one statement (one snapshot).
 * @throws NotFoundError when the source does not exist for this scope (checked first).
 * @throws ValidationError when `atSeq` is beyond the source's `lastSeq` (checked next).
 * @throws ConflictError when the new id is used by any thread (checked last).
 */
export async function forkThread(c: Context, s: Scope, valid: ValidFork): Promise<ChatThread> {
  const { rows } = await c.connection.query<ThreadRow & { source_last_seq: string; at_seq: string; id: string | null }>(
    c.statements.threads.fork,
    [
      valid.threadId,
      s.orgId,
      s.userId,
      valid.atSeq ?? null,
      valid.id,
      valid.name ?? null,
      valid.metadata === undefined ? null : JSON.stringify(valid.metadata),
    ],
  );
  const row = rows[0];
  if (row === undefined) throw threadNotFound();
  const lastSeq = Number(row.source_last_seq);
  const atSeq = Number(row.at_seq);
  if (atSeq > lastSeq) throw forkPointError(atSeq, lastSeq);
  if (row.id === null) throw threadIdTaken();
  return toChatThread(row);
}

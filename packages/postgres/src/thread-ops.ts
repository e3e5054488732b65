import type { ChatThread, OrgScope, Scope, ThreadPage } from '@fluxibly/core';
import { LIMITS } from '@fluxibly/core';
import type {
  ValidCreateThread,
  ValidFork,
  ValidListThreads,
  ValidTruncate,
  ValidUpdateThread,
} from '@fluxibly/core/adapter';
import {
  buildThreadPage,
  checkMergedMetadataSize,
  cutPointError,
  forkPointError,
  metadataConflict,
  threadIdTaken,
  threadNotFound,
} from '@fluxibly/core/adapter';
import type { ThreadRow } from './codec.js';
import { toChatThread } from './codec.js';
import type { Context } from './context.js';
import { checkGuards } from './guards.js';
import { runUntilSettled } from './settle.js';

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

/**
 * This user's threads, newest activity first. One statement: on the `(org_id, user_id, updated_at, id)` index,
 * or with a `metadata` filter on the GIN index `fluxibly_threads_metadata` (`metadata @> filter`; its cost is
 * bounded by the user's matching threads).
 */
export async function listThreads(c: Context, s: Scope, valid: ValidListThreads): Promise<ThreadPage> {
  const statements = c.statements.threads;
  const size = valid.limit + 1;
  const cursor = valid.cursor === undefined ? [] : [valid.cursor.updatedAt, valid.cursor.id];
  const { rows } =
    valid.metadata === undefined
      ? await c.connection.query<ThreadRow>(
          valid.cursor === undefined ? statements.listUser(size) : statements.listUserAfter(size),
          [s.orgId, s.userId, ...cursor],
        )
      : await c.connection.query<ThreadRow>(
          valid.cursor === undefined ? statements.listUserByMetadata(size) : statements.listUserByMetadataAfter(size),
          [s.orgId, s.userId, JSON.stringify(valid.metadata), ...cursor],
        );
  return buildThreadPage(rows.map(toChatThread), valid.limit);
}

/**
 * Every thread of an organisation, newest activity first. One statement: on the `(org_id, updated_at, id)`
 * index, or with a `metadata` filter on the GIN index `fluxibly_threads_metadata` (org's matching threads).
 */
export async function listOrgThreads(c: Context, s: OrgScope, valid: ValidListThreads): Promise<ThreadPage> {
  const statements = c.statements.threads;
  const size = valid.limit + 1;
  const cursor = valid.cursor === undefined ? [] : [valid.cursor.updatedAt, valid.cursor.id];
  const { rows } =
    valid.metadata === undefined
      ? await c.connection.query<ThreadRow>(
          valid.cursor === undefined ? statements.listOrg(size) : statements.listOrgAfter(size),
          [s.orgId, ...cursor],
        )
      : await c.connection.query<ThreadRow>(
          valid.cursor === undefined ? statements.listOrgByMetadata(size) : statements.listOrgByMetadataAfter(size),
          [s.orgId, JSON.stringify(valid.metadata), ...cursor],
        );
  return buildThreadPage(rows.map(toChatThread), valid.limit);
}

/** The row of the update statement (see `ThreadStatements.update`). */
type UpdateRow = Partial<ThreadRow> & { matches: boolean; merged_bytes: number | string };

/**
 * Rename, replace metadata, or patch it (`(metadata || set) - remove`), with `expectedMetadata` checked in the
 * same step; moves `updatedAt`. One statement that row-locks the thread first, so the check and the merge see its
 * latest version: 32 concurrent patches of different keys lose none, and of racing compare-and-set writers with
 * one expectation exactly one wins. The merged size is measured as compact JSON, in the same statement.
 * @throws NotFoundError when the thread does not exist for this scope.
 * @throws ConflictError when `expectedMetadata` does not match (checked before the size).
 * @throws ValidationError naming `metadataPatch` when the patched metadata would exceed `LIMITS.metadataBytes`.
 */
export async function updateThread(c: Context, s: Scope, valid: ValidUpdateThread): Promise<ChatThread> {
  const patch = valid.metadataPatch;
  const { rows } = await c.connection.query<UpdateRow>(c.statements.threads.update, [
    valid.threadId,
    s.orgId,
    s.userId,
    valid.name ?? null,
    valid.metadata === undefined ? null : JSON.stringify(valid.metadata),
    patch === undefined ? null : JSON.stringify(patch.set),
    patch === undefined ? null : patch.remove,
    valid.expectedMetadata === undefined ? null : JSON.stringify(valid.expectedMetadata),
    LIMITS.metadataBytes,
  ]);
  const row = rows[0];
  if (row === undefined) throw threadNotFound();
  if (!row.matches) throw metadataConflict();
  checkMergedMetadataSize(Number(row.merged_bytes));
  return toChatThread(row as ThreadRow);
}

/** The row of the truncate statement (see `ThreadStatements.truncate`). */
interface TruncateRow {
  last_seq: string;
  message_count: string;
  summary_seq: string | null;
  tail_count: string;
  done: boolean;
}

/**
 * Remove every message after `afterSeq`, keep `lastSeq`, and return how many were removed. One statement (see
 * `ThreadStatements.truncate`), run again when the thread changed between its snapshot and its row lock (then it
 * wrote nothing), as an append is.
 * @throws NotFoundError, ConflictError (`expectedLastSeq`, then `expectedMessageCount`), ValidationError (`afterSeq`
 *   beyond `lastSeq`).
 */
export async function truncateThread(c: Context, s: Scope, valid: ValidTruncate): Promise<number> {
  const values = [
    valid.threadId,
    s.orgId,
    s.userId,
    valid.afterSeq,
    valid.expectedLastSeq ?? null,
    valid.expectedMessageCount ?? null,
  ];
  return runUntilSettled<TruncateRow, number>(
    c,
    c.statements.threads.truncate,
    values,
    (rows) => {
      const row = rows[0];
      if (row === undefined) throw threadNotFound();
      const lastSeq = Number(row.last_seq);
      checkGuards(valid, lastSeq, Number(row.message_count));
      if (valid.afterSeq > lastSeq) throw cutPointError('afterSeq', valid.afterSeq, lastSeq);
      const removed = Number(row.tail_count);
      if (row.done) return removed;
      const nothingToDo = removed === 0 && (row.summary_seq === null || Number(row.summary_seq) <= valid.afterSeq);
      return nothingToDo ? 0 : undefined;
    },
    'truncate',
  );
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

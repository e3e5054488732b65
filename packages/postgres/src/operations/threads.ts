import type {
  ChatThread,
  CreateThreadInput,
  ForkThreadInput,
  ListThreadsInput,
  OrgScope,
  Scope,
  ThreadPage,
  UpdateThreadInput,
} from '@fluxibly/core';
import {
  ConflictError,
  NotFoundError,
  forkPointError,
  validateCreateThread,
  validateFork,
  validateId,
  validateListThreads,
  validateOrgScope,
  validateUpdateThread,
} from '@fluxibly/core';
import { threadPage } from '../pages.js';
import type { ThreadRow } from '../rows.js';
import { toChatThread } from '../rows.js';
import type { Context } from './context.js';

/**
 * The thread operations of the repository (see `repository.ts` for the promises each keeps), each one statement
 * except `deleteThread`. `scope` is validated by the caller.
 */

export async function createThread(c: Context, s: Scope, input?: CreateThreadInput): Promise<ChatThread> {
  const valid = validateCreateThread(input);
  const { rows } = await c.connection.query<ThreadRow>(c.statements.threads.create, [
    valid.id,
    s.orgId,
    s.userId,
    valid.name,
    JSON.stringify(valid.metadata),
  ]);
  const row = rows[0];
  if (row === undefined) throw new ConflictError('thread id is already used');
  return toChatThread(row);
}

export async function getThread(c: Context, s: Scope, threadId: string): Promise<ChatThread | null> {
  const id = validateId(threadId, 'threadId');
  const { rows } = await c.connection.query<ThreadRow>(c.statements.threads.get, [id, s.orgId, s.userId]);
  return rows[0] === undefined ? null : toChatThread(rows[0]);
}

export async function listThreads(c: Context, s: Scope, input?: ListThreadsInput): Promise<ThreadPage> {
  const valid = validateListThreads(input);
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
  return threadPage(rows, valid.limit);
}

export async function listOrgThreads(c: Context, scope: OrgScope, input?: ListThreadsInput): Promise<ThreadPage> {
  const s = validateOrgScope(scope);
  const valid = validateListThreads(input);
  const statements = c.statements.threads;
  const { rows } =
    valid.cursor === undefined
      ? await c.connection.query<ThreadRow>(statements.listOrg(valid.limit + 1), [s.orgId])
      : await c.connection.query<ThreadRow>(statements.listOrgAfter(valid.limit + 1), [
          s.orgId,
          valid.cursor.updatedAt,
          valid.cursor.id,
        ]);
  return threadPage(rows, valid.limit);
}

export async function updateThread(c: Context, s: Scope, input: UpdateThreadInput): Promise<ChatThread> {
  const valid = validateUpdateThread(input);
  const { rows } = await c.connection.query<ThreadRow>(c.statements.threads.update, [
    valid.threadId,
    s.orgId,
    s.userId,
    valid.name ?? null,
    valid.metadata === undefined ? null : JSON.stringify(valid.metadata),
  ]);
  if (rows[0] === undefined) throw new NotFoundError('thread not found');
  return toChatThread(rows[0]);
}

export async function deleteThread(c: Context, s: Scope, threadId: string): Promise<boolean> {
  const id = validateId(threadId, 'threadId');
  const statements = c.statements.threads;
  return c.connection.transaction(async (client) => {
    const deleted = await c.connection.query(statements.deleteThread, [id, s.orgId, s.userId], client);
    if (deleted.rowCount === 0) return false;
    await c.connection.query(statements.deleteMessages, [id], client);
    return true;
  });
}

export async function clearThread(c: Context, s: Scope, threadId: string): Promise<number> {
  const id = validateId(threadId, 'threadId');
  const { rows } = await c.connection.query<{ removed: string }>(c.statements.threads.clear, [id, s.orgId, s.userId]);
  if (rows[0] === undefined) throw new NotFoundError('thread not found');
  return Number(rows[0].removed);
}

export async function forkThread(c: Context, s: Scope, input: ForkThreadInput): Promise<ChatThread> {
  const valid = validateFork(input);
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
  if (row === undefined) throw new NotFoundError('thread not found');
  const lastSeq = Number(row.source_last_seq);
  const atSeq = Number(row.at_seq);
  if (atSeq > lastSeq) throw forkPointError(atSeq, lastSeq);
  if (row.id === null) throw new ConflictError('thread id is already used');
  return toChatThread(row);
}

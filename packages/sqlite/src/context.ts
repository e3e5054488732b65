import type { Scope } from '@fluxibly/core';
import { threadNotFound } from '@fluxibly/core/adapter';
import type { ThreadRow } from './codec.js';
import type { Connection } from './connection.js';
import { THREAD_SQL } from './sql/threads.js';

/** What every storage operation runs with: the connection, and the file's time source. */
export interface Context {
  readonly connection: Connection;
}

/** Wait for the connection (and the migrations, with `migrate: true`) on the first call only. */
export async function opened(c: Context): Promise<void> {
  if (!c.connection.open) await c.connection.database();
}

/**
 * The thread row if it exists *and belongs to `scope`*; `undefined` otherwise, so another tenant's thread is
 * indistinguishable from a missing one. Inside a write transaction, or as a one-statement read.
 */
export function ownedThread(c: Context, scope: Scope, threadId: string): ThreadRow | undefined {
  return c.connection.statement(THREAD_SQL.get).get({ id: threadId, org: scope.orgId, user: scope.userId }) as
    ThreadRow | undefined;
}

/** {@link ownedThread}, or `threadNotFound()`. */
export function requireThread(c: Context, scope: Scope, threadId: string): ThreadRow {
  const thread = ownedThread(c, scope, threadId);
  if (thread === undefined) throw threadNotFound();
  return thread;
}

/**
 * Record messages written or removed on `thread`: `lastSeq`, `messageCount`, `summarySeq`, and `updatedAt` moved to
 * `max(now, previous)`. Returns the new `updatedAt` (the time the written messages carry).
 */
export function afterWrite(
  c: Context,
  thread: ThreadRow,
  values: { lastSeq: number; messageCount: number; summarySeq: number | null },
): number {
  const row = c.connection.statement(THREAD_SQL.afterWrite).get({ id: thread.id, now: Date.now(), ...values }) as {
    updated_at: number;
  };
  return row.updated_at;
}

/** Move the thread's `updatedAt` to `max(now, previous)` and return it. */
export function touch(c: Context, threadId: string): number {
  return (c.connection.statement(THREAD_SQL.touch).get({ id: threadId, now: Date.now() }) as { updated_at: number })
    .updated_at;
}

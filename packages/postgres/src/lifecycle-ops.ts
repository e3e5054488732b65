import type { ChatThread, EraseResult, PruneResult, Scope } from '@fluxibly/core';
import { UnavailableError, ValidationError } from '@fluxibly/core';
import type {
  ValidImportedMessage,
  ValidImportMessages,
  ValidImportThread,
  ValidPrune,
  ValidPruneScope,
  ValidTransfer,
} from '@fluxibly/core/adapter';
import { importSeqBeyond, importSeqTaken, threadNotFound } from '@fluxibly/core/adapter';
import type { ThreadRow } from './codec.js';
import { storedStatus, toChatThread } from './codec.js';
import type { Statement } from './connection.js';
import type { Context } from './context.js';
import { isRetryable } from './errors.js';
import { APPEND_ATTEMPTS, runUntilSettled } from './settle.js';
import type { BatchRow } from './sql/lifecycle.js';
import { getThread } from './thread-ops.js';

/**
 * The data-lifecycle operations (core's `StorageOperations`): erase, transfer, prune, import. Each batch, transfer
 * and import is ONE statement — one round trip — in the common case (see `sql/lifecycle.ts`); a batch some of whose
 * threads were written to while it ran finishes those in a short transaction that locks them first.
 */

/** The earliest time PostgreSQL's `timestamptz` holds (4714-11-24 BC, UTC); a JavaScript `Date` reaches further. */
export const EARLIEST_MS = Date.UTC(-4713, 10, 24);

/** What a batch re-checks when it deletes a thread it chose: still of this scope, and (prune) still inactive. */
interface Recheck {
  orgId: string | null;
  userId: string | null;
  /** The prune's cut-off (epoch ms), or null. */
  before: number | null;
}

/** What a batch did. */
interface Batch extends EraseResult {
  /** Threads it chose (deleted or not). */
  picked: number;
}

/**
 * Delete up to `limit` threads of the organisation (or of one user of it) with their messages; one statement (see
 * `sql/lifecycle.ts`). Each thread goes atomically against appends: one that committed before the thread's delete
 * is deleted with it, one after fails with `NotFoundError`. A batch whose chosen threads were all deleted or moved by
 * someone else meanwhile chooses again, so a batch of 0 (where the kit stops) means none is left.
 */
export async function eraseThreads(
  c: Context,
  scope: { orgId: string; userId?: string },
  limit: number,
): Promise<EraseResult> {
  const l = c.statements.lifecycle;
  const [sql, values] =
    scope.userId === undefined ? [l.eraseOrg(limit), [scope.orgId]] : [l.eraseUser(limit), [scope.orgId, scope.userId]];
  const recheck: Recheck = { orgId: scope.orgId, userId: scope.userId ?? null, before: null };
  for (let attempt = 1; attempt <= APPEND_ATTEMPTS; attempt++) {
    const { picked, threads, messages } = await runBatch(c, sql, values, recheck);
    if (threads > 0 || picked === 0) return { threads, messages };
  }
  throw new UnavailableError(`erase did not settle after ${APPEND_ATTEMPTS} attempts under contention; retry the call`);
}

/**
 * Delete up to `limit` threads inactive since before the cut-off, oldest first (`updated_at`, then id), of one
 * organisation (index `fluxibly_threads_by_org`) or of all (`fluxibly_threads_by_activity`). Each is deleted only if
 * its `updated_at` is still before the cut-off when its row is locked: an append racing the prune keeps its thread.
 * `more`: the batch chose `limit` threads.
 */
export async function pruneThreads(c: Context, scope: ValidPruneScope, valid: ValidPrune): Promise<PruneResult> {
  // Nothing PostgreSQL stores is older than its earliest time (nor is the cut-off representable before it).
  if (valid.inactiveBefore <= EARLIEST_MS) return { deleted: 0, messages: 0, more: false };
  const l = c.statements.lifecycle;
  const before = valid.inactiveBefore;
  const [sql, values] =
    scope.orgId === undefined ? [l.pruneAll(valid.limit), [before]] : [l.pruneOrg(valid.limit), [scope.orgId, before]];
  const batch = await runBatch(c, sql, values, { orgId: scope.orgId ?? null, userId: null, before });
  return { deleted: batch.threads, messages: batch.messages, more: batch.picked === valid.limit };
}

/**
 * One batch statement (re-run when it lost a deadlock or serialization race, as an append is), then the threads it
 * chose but left (written to since its snapshot) in one short transaction: delete the thread rows, which waits for
 * any write in flight, then their messages with a fresh snapshot — `deleteThread`'s two steps for a whole list.
 */
async function runBatch(c: Context, sql: Statement, values: unknown[], recheck: Recheck): Promise<Batch> {
  const row = await runUntilSettled<BatchRow, BatchRow>(c, sql, values, (rows) => rows[0], 'erase batch');
  const batch = { picked: Number(row.picked), threads: Number(row.threads), messages: Number(row.messages) };
  if (row.skipped.length === 0) return batch;
  const locked = await lockedDelete(c, row.skipped, recheck);
  return { ...batch, threads: batch.threads + locked.threads, messages: batch.messages + locked.messages };
}

/** Delete the threads `ids` that still match `recheck`, with their messages: a transaction of two statements. */
async function lockedDelete(c: Context, ids: readonly string[], recheck: Recheck): Promise<EraseResult> {
  const l = c.statements.lifecycle;
  for (let attempt = 1; ; attempt++) {
    try {
      return await c.connection.transaction(async (client) => {
        const { rows } = await c.connection.query<{ id: string }>(
          l.lockedDelete,
          [ids, recheck.orgId, recheck.userId, recheck.before],
          client,
        );
        if (rows.length === 0) return { threads: 0, messages: 0 };
        const removed = await c.connection.query(l.lockedDeleteMessages, [rows.map((r) => r.id)], client);
        return { threads: rows.length, messages: removed.rowCount };
      });
    } catch (error) {
      if (attempt < APPEND_ATTEMPTS && isRetryable(error)) continue;
      throw error;
    }
  }
}

/** The row of the transfer statement: `found`, and the moved thread (its columns null when nothing was written). */
type TransferRow = Partial<ThreadRow> & { found: boolean };

/**
 * Give a thread to another user of its organisation: the thread row (new `user_id`, `updated_at` moved) and every
 * message row's `user_id` in one statement, so listings and search (its index is keyed by `org_id, user_id`) switch
 * owner in one commit. Run again when the thread changed between the statement's snapshot and its row lock (then
 * it wrote nothing), as a truncation is. To its own user: a read, no write.
 * @throws NotFoundError when the thread does not exist for this scope.
 */
export async function transferThread(c: Context, s: Scope, valid: ValidTransfer): Promise<ChatThread> {
  if (valid.toUserId === s.userId) {
    const thread = await getThread(c, s, valid.threadId);
    if (thread === null) throw threadNotFound();
    return thread;
  }
  return runUntilSettled<TransferRow, ChatThread>(
    c,
    c.statements.lifecycle.transfer,
    [valid.threadId, s.orgId, s.userId, valid.toUserId],
    (rows) => {
      const row = rows[0];
      if (row?.found !== true) throw threadNotFound();
      return row.id == null ? undefined : toChatThread(row as ThreadRow);
    },
    'transfer',
  );
}

/**
 * Store an exported thread as it was, with `message_count` 0; `false` (nothing written) when any thread has its id.
 * One statement.
 * @throws ValidationError naming `createdAt` / `updatedAt` when before PostgreSQL's earliest time.
 */
export async function importThread(c: Context, s: Scope, valid: ValidImportThread): Promise<boolean> {
  const createdAt = storableTime(valid.createdAt, 'createdAt');
  const updatedAt = storableTime(valid.updatedAt, 'updatedAt');
  const { rows } = await c.connection.query(c.statements.lifecycle.importThread, [
    valid.id,
    s.orgId,
    s.userId,
    valid.name,
    JSON.stringify(valid.metadata),
    createdAt,
    updatedAt,
    valid.lastSeq,
    valid.parent?.threadId ?? null,
    valid.parent?.seq ?? null,
    valid.summarySeq ?? null,
  ]);
  return rows.length > 0;
}

/** The row of the import statement (see `LifecycleStatements.importMessages`). */
interface ImportRow {
  found: boolean;
  last_seq: string | null;
  beyond: string | null;
  taken: string | null;
  fresh: string;
  done: boolean;
}

/**
 * Store exported messages as they were, in one statement: ids the thread holds are skipped, the others inserted
 * with their own seq, timestamps and fields, and `message_count` grows by them (`updated_at`, `last_seq`,
 * `summary_seq` stay). Every check is made before anything is written; the statement is run again when the thread
 * changed between its snapshot and its row lock (then it wrote nothing), or when a racing import inserted the same
 * ids first.
 * @throws NotFoundError when the thread does not exist for this scope.
 * @throws ValidationError naming `messages[i].seq` for a seq beyond the thread's `lastSeq`.
 * @throws ConflictError when a message's seq is held by another id (also for a message whose id is stored).
 */
export async function importMessages(c: Context, s: Scope, valid: ValidImportMessages): Promise<number> {
  const batch = JSON.stringify(valid.messages.map(importedJson));
  return runUntilSettled<ImportRow, number>(
    c,
    c.statements.lifecycle.importMessages,
    [valid.threadId, s.orgId, s.userId, batch],
    (rows) => {
      const row = rows[0];
      if (row?.found !== true) throw threadNotFound();
      // The first message with a problem, as a message-by-message check would report it.
      const beyond = row.beyond === null ? Infinity : Number(row.beyond) - 1;
      const taken = row.taken === null ? Infinity : Number(row.taken) - 1;
      if (beyond <= taken && beyond !== Infinity) {
        throw importSeqBeyond(beyond, row.last_seq ?? '');
      }
      if (taken !== Infinity) {
        throw importSeqTaken(taken, valid.messages[taken]?.seq ?? '');
      }
      const fresh = Number(row.fresh);
      if (row.done) return fresh;
      return fresh === 0 ? 0 : undefined;
    },
    'import',
  );
}

/** A message as the import statement reads it (times in epoch ms; checked to be storable first). */
function importedJson(m: ValidImportedMessage, i: number): Record<string, unknown> {
  return {
    id: m.id,
    seq: m.seq,
    role: m.role,
    content: m.content,
    metadata: m.metadata,
    name: m.name ?? null,
    toolCallId: m.toolCallId ?? null,
    status: storedStatus(m.status),
    tokenCount: m.tokenCount ?? null,
    summaryFrom: m.summaryOf?.fromSeq ?? null,
    summaryTo: m.summaryOf?.toSeq ?? null,
    createdAt: storableTime(m.createdAt, `messages[${i}].createdAt`),
    editedAt: m.editedAt === undefined ? null : storableTime(m.editedAt, `messages[${i}].editedAt`),
  };
}

/** A time as epoch ms. @throws ValidationError naming `field` when PostgreSQL cannot store it. */
function storableTime(date: Date, field: string): number {
  const ms = date.getTime();
  if (ms < EARLIEST_MS) throw new ValidationError(field, 'must not be before 4714-11-24 BC (PostgreSQL timestamptz)');
  return ms;
}

import type { ChatThread, EraseResult, PruneResult, Scope } from '@fluxibly/core';
import type {
  ValidImportMessages,
  ValidImportThread,
  ValidPrune,
  ValidPruneScope,
  ValidTransfer,
} from '@fluxibly/core/adapter';
import { importSeqBeyond, importSeqTaken, threadNotFound } from '@fluxibly/core/adapter';
import type { Collection, Filter, FindCursor } from 'mongodb';
import type { ThreadDocument } from './codec.js';
import { messageDocument, metadataFields, toChatThread, touchTime } from './codec.js';
import type { ReadyConnection } from './connection.js';
import { isDuplicateKey } from './errors.js';
import { insertFresh } from './seq-rules.js';
import { ownedThread } from './thread-ops.js';

/**
 * The data-lifecycle operations: erase, transfer, prune, import. A batch is chosen from an index (least recently
 * active first), then each thread is deleted in its own transaction — the thread document and its messages together,
 * so an append racing it commits wholly before (and is deleted with it) or finds no thread — and never one giant
 * transaction for a whole tenant.
 */

/**
 * Delete up to `limit` threads of a user (or an organisation) with their messages, each in one transaction. The
 * kit stops at a batch that deletes nothing: when every thread chosen left the scope before its delete (deleted or
 * transferred meanwhile), the next candidates are chosen instead, so an erase never ends with threads left.
 */
export async function eraseThreads(
  db: ReadyConnection,
  scope: { orgId: string; userId?: string },
  limit: number,
): Promise<EraseResult> {
  for (;;) {
    const batch = await eraseCandidates(db.collections.threads, scope, limit).toArray();
    const erased = await removeThreads(db, batch, (doc) => ({ _id: doc._id, ...ownerFilter(scope) }));
    // Those chosen no longer match the filter, so the next choice is of other threads.
    if (erased.threads > 0 || batch.length === 0) return erased;
  }
}

/**
 * Delete up to `limit` threads inactive since before the cut-off, oldest first. Each deletion re-checks `updatedAt`
 * in its transaction: a thread written to since it was chosen is kept.
 */
export async function pruneThreads(
  db: ReadyConnection,
  scope: ValidPruneScope,
  input: ValidPrune,
): Promise<PruneResult> {
  const batch = await pruneCandidates(db.collections.threads, scope, input).toArray();
  const before = new Date(input.inactiveBefore);
  const { threads, messages } = await removeThreads(db, batch, (doc) => ({ _id: doc._id, updatedAt: { $lt: before } }));
  return { deleted: threads, messages, more: batch.length === input.limit };
}

type Candidates = FindCursor<Pick<ThreadDocument, '_id'>>;

/**
 * The batch {@link eraseThreads} deletes, least recently active first: `orgId_userId_updatedAt_id` (a user) or
 * `orgId_updatedAt_id` (an organisation), read backwards, `limit` index entries.
 */
export function eraseCandidates(
  threads: Collection<ThreadDocument>,
  scope: { orgId: string; userId?: string },
  limit: number,
): Candidates {
  return oldestFirst(threads, ownerFilter(scope), limit);
}

/** The index a prune of one organisation reads (hinted, see {@link pruneCandidates}). */
export const PRUNE_ORG_INDEX = 'orgId_updatedAt_id';

/**
 * The batch {@link pruneThreads} deletes, least recently active first: `updatedAt_id` across organisations, or
 * `orgId_updatedAt_id` (hinted: `updatedAt_id` matches the filter and the order too, and would step over every
 * other organisation's old threads; the hinted index has existed since the first release).
 */
export function pruneCandidates(
  threads: Collection<ThreadDocument>,
  scope: ValidPruneScope,
  input: Pick<ValidPrune, 'inactiveBefore' | 'limit'>,
): Candidates {
  const updatedAt = { $lt: new Date(input.inactiveBefore) };
  if (scope.orgId === undefined) return oldestFirst(threads, { updatedAt }, input.limit);
  return oldestFirst(threads, { orgId: scope.orgId, updatedAt }, input.limit).hint(PRUNE_ORG_INDEX);
}

function ownerFilter(scope: { orgId: string; userId?: string }): Filter<ThreadDocument> {
  return scope.userId === undefined ? { orgId: scope.orgId } : { orgId: scope.orgId, userId: scope.userId };
}

/** `updatedAt` asc, then id; only `_id` is read. */
function oldestFirst(threads: Collection<ThreadDocument>, filter: Filter<ThreadDocument>, limit: number): Candidates {
  return threads
    .find(filter, { projection: { _id: 1 } })
    .sort({ updatedAt: 1, _id: 1 })
    .limit(limit);
}

async function removeThreads(
  db: ReadyConnection,
  batch: ReadonlyArray<Pick<ThreadDocument, '_id'>>,
  guard: (doc: Pick<ThreadDocument, '_id'>) => Filter<ThreadDocument>,
): Promise<EraseResult> {
  const total: EraseResult = { threads: 0, messages: 0 };
  for (const doc of batch) {
    const removed = await db.transaction(async (session) => {
      const { deletedCount } = await db.collections.threads.deleteOne(guard(doc), { session });
      if (deletedCount === 0) return null;
      return (await db.collections.messages.deleteMany({ threadId: doc._id }, { session })).deletedCount;
    });
    if (removed === null) continue;
    total.threads += 1;
    total.messages += removed;
  }
  return total;
}

/** Give a thread to another user of its organisation: the thread and its messages in one transaction. */
export async function transferThread(db: ReadyConnection, scope: Scope, input: ValidTransfer): Promise<ChatThread> {
  return db.transaction(async (session) => {
    const doc = await ownedThread(db, scope, input.threadId, session);
    if (doc === null) throw threadNotFound();
    if (doc.userId === input.toUserId) return toChatThread(doc);
    const moved: ThreadDocument = { ...doc, userId: input.toUserId, updatedAt: touchTime(doc.updatedAt, db.now()) };
    await db.collections.threads.updateOne(
      { _id: doc._id, orgId: scope.orgId, userId: scope.userId },
      { $set: { userId: moved.userId, updatedAt: moved.updatedAt } },
      { session },
    );
    await db.collections.messages.updateMany({ threadId: doc._id }, { $set: { userId: input.toUserId } }, { session });
    return toChatThread(moved);
  });
}

/** Store an exported thread as it was, with no messages; `false` (nothing written) when its id is taken. */
export async function importThread(db: ReadyConnection, scope: Scope, input: ValidImportThread): Promise<boolean> {
  const doc: ThreadDocument = {
    _id: input.id,
    orgId: scope.orgId,
    userId: scope.userId,
    name: input.name,
    ...metadataFields(input.metadata),
    createdAt: input.createdAt,
    updatedAt: input.updatedAt,
    lastSeq: input.lastSeq,
    messageCount: 0,
  };
  if (input.parent !== undefined) doc.parent = { threadId: input.parent.threadId, seq: input.parent.seq };
  if (input.summarySeq !== undefined) doc.summarySeq = input.summarySeq;
  try {
    await db.collections.threads.insertOne(doc);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/**
 * Store exported messages as they were, in one transaction; ids the thread holds are skipped; the count grows by
 * what was written. @throws NotFoundError; ValidationError (seq beyond `lastSeq`); ConflictError (seq taken).
 */
export async function importMessages(db: ReadyConnection, scope: Scope, input: ValidImportMessages): Promise<number> {
  return db.transaction(async (session) => {
    const thread = await ownedThread(db, scope, input.threadId, session);
    if (thread === null) throw threadNotFound();
    input.messages.forEach((message, i) => {
      if (message.seq > thread.lastSeq) {
        throw importSeqBeyond(i, thread.lastSeq);
      }
    });
    const stored = await db.collections.messages
      .find(
        {
          threadId: thread._id,
          $or: [{ id: { $in: input.messages.map((m) => m.id) } }, { seq: { $in: input.messages.map((m) => m.seq) } }],
        },
        { session, projection: { id: 1, seq: 1 } },
      )
      .toArray();
    const ids = new Set(stored.map((doc) => doc.id));
    const bySeq = new Map(stored.map((doc) => [doc.seq, doc.id]));
    input.messages.forEach((message, i) => {
      const holder = bySeq.get(message.seq);
      if (holder !== undefined && holder !== message.id) {
        throw importSeqTaken(i, message.seq);
      }
    });
    const fresh = input.messages
      .filter((message) => !ids.has(message.id))
      .map((message) => {
        const doc = messageDocument(scope, thread._id, message.seq, message, message.createdAt);
        if (message.editedAt !== undefined) doc.editedAt = message.editedAt;
        return doc;
      });
    if (fresh.length === 0) return 0;
    await insertFresh(db, fresh, session);
    await db.collections.threads.updateOne({ _id: thread._id }, { $inc: { messageCount: fresh.length } }, { session });
    return fresh.length;
  });
}

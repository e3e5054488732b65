import type { ChatMessage, Scope } from '@fluxibly/core';
import type { ValidAppend, ValidMessage } from '@fluxibly/core/adapter';
import { cutPointError, isReplayedTail, threadNotFound } from '@fluxibly/core/adapter';
import type { UpdateFilter } from 'mongodb';
import type { ThreadDocument } from './codec.js';
import { toChatMessage, touchTime } from './codec.js';
import type { ReadyConnection } from './connection.js';
import { checkExpected, freshDocuments, guardedThreadUpdate, insertFresh, lastSummarySeq } from './seq-rules.js';
import { ownedThread } from './thread-ops.js';

/**
 * `appendMessages` with `replaceAfterSeq: n` (regenerate, edit-and-resend), in one transaction, in the contract's
 * order:
 *
 * 1. the thread for this scope, or `NotFoundError`;
 * 2. the messages after `n` (at most `k + 1` of them, `k` the batch size, by the `(threadId, seq)` index): when
 *    they are exactly the batch's ids in order (`isReplayedTail`), the call is a retry — return them, write nothing;
 * 3. `expectedLastSeq` ≠ `lastSeq` → `ConflictError`; `n > lastSeq` → `ValidationError` naming `replaceAfterSeq`;
 * 4. `deleteMany` of every `seq > n`; the batch's ids that remain (`seq <= n`) are returned as stored; the others
 *    are inserted with `lastSeq + 1 …` (seqs are never reused);
 * 5. the thread document, guarded by the `lastSeq` read: `lastSeq` and `messageCount` by `$inc`, `updatedAt` when
 *    anything was removed or added, `summarySeq` unset when beyond `n` and set by a new summary message.
 *
 * Readers never see the tail gone and the new messages missing (one commit). An append racing it writes the same
 * thread document, so MongoDB commits one of them first and the other re-runs on what it left: the racing append
 * lands wholly before the cut (and is removed) or wholly after.
 */
export async function replaceTail(
  db: ReadyConnection,
  scope: Scope,
  input: ValidAppend,
  n: number,
): Promise<ChatMessage[]> {
  return db.transaction(async (session) => {
    const { messages } = db.collections;
    const thread = await ownedThread(db, scope, input.threadId, session);
    if (thread === null) throw threadNotFound();
    const tail = await messages
      .find({ threadId: thread._id, seq: { $gt: n } }, { session })
      .sort({ seq: 1 })
      .limit(input.messages.length + 1)
      .toArray();
    if (
      isReplayedTail(
        tail.map((doc) => doc.id),
        input.messages,
      )
    ) {
      return tail.map(toChatMessage);
    }
    checkExpected(input, thread);
    if (n > thread.lastSeq) throw cutPointError('replaceAfterSeq', n, thread.lastSeq);
    const { deletedCount: removed } = await messages.deleteMany({ threadId: thread._id, seq: { $gt: n } }, { session });
    const kept = await messages
      .find({ threadId: thread._id, id: { $in: input.messages.map((message) => message.id) } }, { session })
      .toArray();
    const existing = new Map(kept.map((doc) => [doc.id, doc]));
    const fresh = input.messages.filter((message) => !existing.has(message.id));
    const createdAt = touchTime(thread.updatedAt, db.now());
    const docs = freshDocuments(scope, thread, fresh, createdAt);
    const update = threadUpdate(thread, n, removed, fresh, createdAt);
    if (update !== undefined) await guardedThreadUpdate(db, thread, update, session);
    if (fresh.length > 0) await insertFresh(db, docs.values(), session);
    return input.messages.map((message) => toChatMessage(existing.get(message.id) ?? docs.get(message)!));
  });
}

/** The thread's update after removing `removed` messages beyond `n` and appending `fresh`; none when unchanged. */
function threadUpdate(
  thread: ThreadDocument,
  n: number,
  removed: number,
  fresh: readonly ValidMessage[],
  at: Date,
): UpdateFilter<ThreadDocument> | undefined {
  const update: UpdateFilter<ThreadDocument> = {};
  const set: Partial<ThreadDocument> = {};
  if (removed > 0 || fresh.length > 0) {
    update.$inc = { lastSeq: fresh.length, messageCount: fresh.length - removed };
    set.updatedAt = at;
  }
  const summarySeq = lastSummarySeq(fresh, thread.lastSeq + 1);
  if (summarySeq !== undefined) set.summarySeq = summarySeq;
  else if (thread.summarySeq != null && thread.summarySeq > n) update.$unset = { summarySeq: '' };
  if (Object.keys(set).length > 0) update.$set = set;
  return Object.keys(update).length > 0 ? update : undefined;
}

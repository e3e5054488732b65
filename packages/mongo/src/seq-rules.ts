import type { Scope } from '@fluxibly/core';
import type { ValidMessage } from '@fluxibly/core/adapter';
import { lastSeqConflict, messageCountConflict } from '@fluxibly/core/adapter';
import type { ClientSession, UpdateFilter } from 'mongodb';
import type { MessageDocument, ThreadDocument } from './codec.js';
import { messageDocument } from './codec.js';
import type { ReadyConnection } from './connection.js';
import { isDuplicateKey } from './errors.js';
import { RetryTransaction } from './transactions.js';

/** Rules shared by the writes that move a thread's messages (append, tail replace, truncate). */

/**
 * `lastSeqConflict()` unless `expectedLastSeq` is absent or equals the thread's `lastSeq`; then
 * `messageCountConflict()` unless `expectedMessageCount` is absent or equals its `messageCount`.
 */
export function checkExpected(
  input: { expectedLastSeq?: number; expectedMessageCount?: number },
  thread: ThreadDocument,
): void {
  const { expectedLastSeq, expectedMessageCount } = input;
  if (expectedLastSeq !== undefined && expectedLastSeq !== thread.lastSeq) {
    throw lastSeqConflict(expectedLastSeq, thread.lastSeq);
  }
  if (expectedMessageCount !== undefined && expectedMessageCount !== thread.messageCount) {
    throw messageCountConflict(expectedMessageCount, thread.messageCount);
  }
}

/**
 * The seq the last summary message (one with `summaryOf`) of `fresh` gets when `fresh` is appended from
 * `firstSeq` on; `undefined` when it holds none.
 */
export function lastSummarySeq(fresh: readonly ValidMessage[], firstSeq: number): number | undefined {
  for (let i = fresh.length - 1; i >= 0; i--) if (fresh[i]!.summaryOf !== undefined) return firstSeq + i;
  return undefined;
}

/**
 * Update the thread document read earlier in this transaction, only if its `lastSeq` is still the one read;
 * otherwise re-run the transaction (a concurrent append moved it after this transaction's snapshot).
 */
export async function guardedThreadUpdate(
  db: ReadyConnection,
  doc: ThreadDocument,
  update: UpdateFilter<ThreadDocument>,
  session: ClientSession,
): Promise<void> {
  const { matchedCount } = await db.collections.threads.updateOne({ _id: doc._id, lastSeq: doc.lastSeq }, update, {
    session,
  });
  if (matchedCount !== 1) throw new RetryTransaction('the thread moved');
}

/** The documents of `fresh`, appended to `thread` (from `lastSeq + 1`, in order) at `createdAt`, by message. */
export function freshDocuments(
  scope: Scope,
  thread: ThreadDocument,
  fresh: readonly ValidMessage[],
  createdAt: Date,
): Map<ValidMessage, MessageDocument> {
  const docs = new Map<ValidMessage, MessageDocument>();
  fresh.forEach((message, i) => {
    docs.set(message, messageDocument(scope, thread._id, thread.lastSeq + 1 + i, message, createdAt));
  });
  return docs;
}

/**
 * Insert `docs` in this transaction. A duplicate key means a concurrent append stored one of these ids (or seqs)
 * after the snapshot: the transaction re-runs, and then returns that message as stored.
 */
export async function insertFresh(
  db: ReadyConnection,
  docs: Iterable<MessageDocument>,
  session: ClientSession,
): Promise<void> {
  try {
    await db.collections.messages.insertMany([...docs], { session, ordered: true });
  } catch (error) {
    if (isDuplicateKey(error)) throw new RetryTransaction('a message id or seq was taken concurrently');
    throw error;
  }
}

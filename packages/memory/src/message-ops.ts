import type { Scope } from '@fluxibly/core';
import type { ValidAppend, ValidEdit, ValidMessage, ValidMessageRef } from '@fluxibly/core/adapter';
import {
  cutPointError,
  isReplayedTail,
  lastSeqConflict,
  messageNotFound,
  statusConflict,
} from '@fluxibly/core/adapter';
import type { MessageRecord } from './store/records.js';
import type { MemoryStore } from './store/store.js';
import { checkMessageCount, ownedThread, removeTail, requireThread } from './thread-ops.js';

/**
 * Message writes on a {@link MemoryStore}. Like `thread-ops.ts`: validated input in, every check before the
 * first mutation, all of it synchronous, so concurrent calls cannot interleave.
 */

/**
 * Append a batch and return the stored messages in input order.
 *
 * - A message whose id is already in the thread is not written; the stored one takes its place.
 * - When every message already exists, nothing is written and `expectedLastSeq` is not checked (a retry of a
 *   call that succeeded succeeds again). With `replaceAfterSeq: n` the retry test is instead "the messages after
 *   `n` are exactly this batch's ids, in order" (`isReplayedTail`).
 * - Otherwise `expectedLastSeq` (if given) must equal `lastSeq`, then `expectedMessageCount` the message count,
 *   else `ConflictError`; `replaceAfterSeq` must be
 *   at most `lastSeq`, else `ValidationError`. Then the messages after `replaceAfterSeq` are removed, and the new
 *   messages get `lastSeq + 1 …` in input order, all with one `createdAt` (the thread's new `updatedAt`).
 * - `summarySeq` is unset when the cut removes it, then set to the last new message carrying `summaryOf`.
 *
 * @throws NotFoundError when the thread does not exist for `scope`.
 * O(k) for k messages: id lookups in a map and pushes onto the thread's array (plus the removed tail).
 */
export function appendMessages(store: MemoryStore, scope: Scope, input: ValidAppend): MessageRecord[] {
  const thread = requireThread(store, scope, input.threadId);
  const cut = input.replaceAfterSeq;
  if (cut === undefined) {
    const existing = input.messages.map((message) => thread.log.get(message.id));
    if (existing.every((message) => message !== undefined)) return existing;
  } else {
    const tail = thread.log.after(cut);
    if (
      isReplayedTail(
        tail.map((message) => message.id),
        input.messages,
      )
    )
      return tail;
  }
  const { expectedLastSeq } = input;
  if (expectedLastSeq !== undefined && expectedLastSeq !== thread.lastSeq) {
    throw lastSeqConflict(expectedLastSeq, thread.lastSeq);
  }
  checkMessageCount(thread, input.expectedMessageCount);
  if (cut !== undefined && cut > thread.lastSeq) throw cutPointError('replaceAfterSeq', cut, thread.lastSeq);
  // Every check is done: from here on the call writes.
  const removed = cut === undefined ? 0 : removeTail(thread, cut);
  const existing = input.messages.map((message) => thread.log.get(message.id));
  if (removed === 0 && existing.every((message) => message !== undefined)) return existing;
  const createdAt = store.touch(thread);
  let seq = thread.lastSeq;
  const stored = input.messages.map((message, i): MessageRecord => {
    const found = existing[i];
    if (found !== undefined) return found;
    seq += 1;
    const record = newRecord(message, thread.id, seq, createdAt);
    if (record.summaryOf !== undefined) thread.summarySeq = seq;
    thread.log.push(record);
    return record;
  });
  thread.lastSeq = seq;
  return stored;
}

/** The stored record of a validated message at `seq` (an append's, or an import's with its own times). */
export function newRecord(message: ValidMessage, threadId: string, seq: number, createdAt: number): MessageRecord {
  return {
    id: message.id,
    threadId,
    seq,
    role: message.role,
    content: message.content,
    ...(message.name === undefined ? {} : { name: message.name }),
    ...(message.toolCallId === undefined ? {} : { toolCallId: message.toolCallId }),
    metadata: message.metadata,
    status: message.status,
    ...(message.tokenCount === undefined ? {} : { tokenCount: message.tokenCount }),
    ...(message.summaryOf === undefined ? {} : { summaryOf: message.summaryOf }),
    createdAt,
  };
}

/**
 * Replace content, metadata, status and/or token count and set `editedAt` (the thread's new `updatedAt`).
 * @throws NotFoundError when the thread (for `scope`) or the message does not exist; ConflictError when
 * `expectedStatus` differs from the message's status. O(1) plus the index move.
 */
export function editMessage(store: MemoryStore, scope: Scope, input: ValidEdit): MessageRecord {
  const thread = requireThread(store, scope, input.threadId);
  const message = thread.log.get(input.messageId);
  if (message === undefined) throw messageNotFound();
  if (input.expectedStatus !== undefined && input.expectedStatus !== message.status) {
    throw statusConflict(input.expectedStatus, message.status);
  }
  const at = store.touch(thread);
  if (input.content !== undefined) message.content = input.content;
  if (input.metadata !== undefined) message.metadata = input.metadata;
  if (input.status !== undefined) message.status = input.status;
  if (input.tokenCount !== undefined) message.tokenCount = input.tokenCount;
  message.editedAt = at;
  return message;
}

/**
 * Delete one message, leaving a `seq` gap; `lastSeq` (and `summarySeq`) stay. `false` when the thread (for
 * `scope`) or the message does not exist. O(log n) plus shifting the newer messages of the thread.
 */
export function deleteMessage(store: MemoryStore, scope: Scope, input: ValidMessageRef): boolean {
  const thread = ownedThread(store, scope, input.threadId);
  if (thread?.log.remove(input.messageId) === undefined) return false;
  store.touch(thread);
  return true;
}

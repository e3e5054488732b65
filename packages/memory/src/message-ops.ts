import type { Scope } from '@fluxibly/core';
import type { ValidAppend, ValidEdit, ValidMessageRef } from '@fluxibly/core/adapter';
import { lastSeqConflict, messageNotFound } from '@fluxibly/core/adapter';
import type { MessageRecord } from './store/records.js';
import type { MemoryStore } from './store/store.js';
import { ownedThread, requireThread } from './thread-ops.js';

/**
 * Message writes on a {@link MemoryStore}. Like `thread-ops.ts`: validated input in, every check before the
 * first mutation, all of it synchronous, so concurrent calls cannot interleave.
 */

/**
 * Append a batch and return the stored messages in input order.
 *
 * - A message whose id is already in the thread is not written; the stored one takes its place.
 * - When every message already exists, nothing is written and `expectedLastSeq` is not checked (a retry of a
 *   call that succeeded succeeds again).
 * - Otherwise `expectedLastSeq` (if given) must equal `lastSeq`, else `ConflictError`; then the new messages get
 *   `lastSeq + 1 …` in input order, all with one `createdAt` (the thread's new `updatedAt`).
 *
 * @throws NotFoundError when the thread does not exist for `scope`.
 * O(k) for k messages: id lookups in a map and pushes onto the thread's array.
 */
export function appendMessages(store: MemoryStore, scope: Scope, input: ValidAppend): MessageRecord[] {
  const thread = requireThread(store, scope, input.threadId);
  const existing = input.messages.map((message) => thread.log.get(message.id));
  if (existing.every((message) => message !== undefined)) return existing;
  const { expectedLastSeq } = input;
  if (expectedLastSeq !== undefined && expectedLastSeq !== thread.lastSeq) {
    throw lastSeqConflict(expectedLastSeq, thread.lastSeq);
  }
  const createdAt = store.touch(thread);
  let seq = thread.lastSeq;
  const stored = input.messages.map((message, i): MessageRecord => {
    const found = existing[i];
    if (found !== undefined) return found;
    seq += 1;
    const record: MessageRecord = {
      id: message.id,
      threadId: thread.id,
      seq,
      role: message.role,
      content: message.content,
      ...(message.name === undefined ? {} : { name: message.name }),
      ...(message.toolCallId === undefined ? {} : { toolCallId: message.toolCallId }),
      metadata: message.metadata,
      createdAt,
    };
    thread.log.push(record);
    return record;
  });
  thread.lastSeq = seq;
  return stored;
}

/**
 * Replace content and/or metadata and set `editedAt` (the thread's new `updatedAt`).
 * @throws NotFoundError when the thread (for `scope`) or the message does not exist. O(1) plus the index move.
 */
export function editMessage(store: MemoryStore, scope: Scope, input: ValidEdit): MessageRecord {
  const thread = requireThread(store, scope, input.threadId);
  const message = thread.log.get(input.messageId);
  if (message === undefined) throw messageNotFound();
  const at = store.touch(thread);
  if (input.content !== undefined) message.content = input.content;
  if (input.metadata !== undefined) message.metadata = input.metadata;
  message.editedAt = at;
  return message;
}

/**
 * Delete one message, leaving a `seq` gap; `lastSeq` stays. `false` when the thread (for `scope`) or the message
 * does not exist. O(log n) plus shifting the newer messages of the thread.
 */
export function deleteMessage(store: MemoryStore, scope: Scope, input: ValidMessageRef): boolean {
  const thread = ownedThread(store, scope, input.threadId);
  if (thread?.log.remove(input.messageId) === undefined) return false;
  store.touch(thread);
  return true;
}

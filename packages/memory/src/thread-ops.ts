import type { Scope } from '@fluxibly/core';
import type { ValidCreateThread, ValidFork, ValidTruncate, ValidUpdateThread } from '@fluxibly/core/adapter';
import {
  applyMetadataPatch,
  cutPointError,
  forkPointError,
  lastSeqConflict,
  messageCountConflict,
  metadataConflict,
  metadataMatches,
  threadIdTaken,
  threadNotFound,
} from '@fluxibly/core/adapter';
import { cloneJson } from './codec.js';
import { MessageLog } from './store/message-log.js';
import type { ThreadRecord } from './store/records.js';
import type { MemoryStore } from './store/store.js';

/**
 * Thread writes on a {@link MemoryStore}. Each function takes validated input, checks everything that can fail,
 * and only then mutates, synchronously: a call either fully happens or throws having changed nothing.
 */

/**
 * The thread if it exists *and belongs to `scope`*; `undefined` otherwise, so another tenant's thread is
 * indistinguishable from a missing one. O(1).
 */
export function ownedThread(store: MemoryStore, scope: Scope, threadId: string): ThreadRecord | undefined {
  const thread = store.thread(threadId);
  return thread?.orgId === scope.orgId && thread.userId === scope.userId ? thread : undefined;
}

/** {@link ownedThread}, or `NotFoundError` (whose message names no tenant). */
export function requireThread(store: MemoryStore, scope: Scope, threadId: string): ThreadRecord {
  const thread = ownedThread(store, scope, threadId);
  if (thread === undefined) throw threadNotFound();
  return thread;
}

function requireFreeId(store: MemoryStore, id: string): void {
  if (store.thread(id) !== undefined) throw threadIdTaken();
}

/** Create an empty thread. @throws ConflictError when the id is used by any thread. O(log n). */
export function createThread(store: MemoryStore, scope: Scope, input: ValidCreateThread): ThreadRecord {
  requireFreeId(store, input.id);
  const now = store.now();
  const thread: ThreadRecord = {
    id: input.id,
    orgId: scope.orgId,
    userId: scope.userId,
    name: input.name,
    metadata: input.metadata,
    createdAt: now,
    updatedAt: now,
    lastSeq: 0,
    log: new MessageLog(),
  };
  store.addThread(thread);
  return thread;
}

/**
 * Replace the given fields, or merge `metadataPatch` into the metadata (none given: only `updatedAt` moves), after
 * checking `expectedMetadata`. Synchronous, so the compare-and-set and the merge are atomic.
 * @throws NotFoundError; ConflictError when `expectedMetadata` does not match; ValidationError (`metadataPatch`)
 * when the merged metadata is too large — checked in that order, nothing written on any of them.
 * O(log n) plus the size of the metadata for a patch.
 */
export function updateThread(store: MemoryStore, scope: Scope, input: ValidUpdateThread): ThreadRecord {
  const thread = requireThread(store, scope, input.threadId);
  if (input.expectedMetadata !== undefined && !metadataMatches(thread.metadata, input.expectedMetadata)) {
    throw metadataConflict();
  }
  // A new object (stored values are never mutated in place: a fork may share them).
  const patched =
    input.metadataPatch === undefined ? undefined : applyMetadataPatch(thread.metadata, input.metadataPatch);
  if (input.name !== undefined) thread.name = input.name;
  if (input.metadata !== undefined) thread.metadata = input.metadata;
  if (patched !== undefined) thread.metadata = patched;
  store.touch(thread);
  return thread;
}

/** Delete a thread and its messages; `false` when it does not exist for `scope`. O(log n). */
export function deleteThread(store: MemoryStore, scope: Scope, threadId: string): boolean {
  const thread = ownedThread(store, scope, threadId);
  if (thread === undefined) return false;
  store.removeThread(thread);
  return true;
}

/** Remove every message, keep the thread and its `lastSeq`; returns how many were removed. @throws NotFoundError. */
export function clearThread(store: MemoryStore, scope: Scope, threadId: string): number {
  const thread = requireThread(store, scope, threadId);
  const removed = thread.log.clear();
  delete thread.summarySeq;
  store.touch(thread);
  return removed;
}

/**
 * Remove the messages with `seq > afterSeq` (unsetting `summarySeq` when it is among them); `lastSeq` stays.
 * Returns how many were removed. Does not move `updatedAt`. O(log n + removed).
 */
export function removeTail(thread: ThreadRecord, afterSeq: number): number {
  const removed = thread.log.truncateAfter(afterSeq).length;
  if (thread.summarySeq !== undefined && thread.summarySeq > afterSeq) delete thread.summarySeq;
  return removed;
}

/**
 * Remove the messages with `seq > afterSeq`; `lastSeq` stays, `summarySeq` is unset when removed, `updatedAt`
 * moves only when something was removed. Returns how many were removed.
 * @throws NotFoundError, then ConflictError (`expectedLastSeq`, then `expectedMessageCount`), then ValidationError (`afterSeq` beyond
 * `lastSeq`). O(log n + removed).
 */
export function truncateThread(store: MemoryStore, scope: Scope, input: ValidTruncate): number {
  const thread = requireThread(store, scope, input.threadId);
  const { expectedLastSeq, afterSeq } = input;
  if (expectedLastSeq !== undefined && expectedLastSeq !== thread.lastSeq) {
    throw lastSeqConflict(expectedLastSeq, thread.lastSeq);
  }
  checkMessageCount(thread, input.expectedMessageCount);
  if (afterSeq > thread.lastSeq) throw cutPointError('afterSeq', afterSeq, thread.lastSeq);
  const removed = removeTail(thread, afterSeq);
  if (removed > 0) store.touch(thread);
  return removed;
}

/** `ConflictError` when `expected` is given and differs from the thread's message count. */
export function checkMessageCount(thread: ThreadRecord, expected: number | undefined): void {
  if (expected !== undefined && expected !== thread.log.size) throw messageCountConflict(expected, thread.log.size);
}

/**
 * Copy the source's messages with `seq <= atSeq` into a new thread of the same scope. The copies keep id, `seq`,
 * content, metadata, status, token count, summary range and timestamps (sharing the immutable stored values: see
 * `records.ts`); the fork keeps the source's `summarySeq` when it is at most `atSeq`.
 * @throws NotFoundError, then ValidationError (`atSeq` beyond `lastSeq`), then ConflictError (id used).
 * O(log n + copied messages).
 */
export function forkThread(store: MemoryStore, scope: Scope, input: ValidFork): ThreadRecord {
  const source = requireThread(store, scope, input.threadId);
  const atSeq = input.atSeq ?? source.lastSeq;
  if (atSeq > source.lastSeq) throw forkPointError(atSeq, source.lastSeq);
  requireFreeId(store, input.id);
  const now = store.now();
  const log = new MessageLog();
  for (const message of source.log.slice(0, source.log.lowerBound(atSeq + 1))) {
    log.push({ ...message, threadId: input.id });
  }
  const thread: ThreadRecord = {
    id: input.id,
    orgId: scope.orgId,
    userId: scope.userId,
    name: input.name ?? source.name,
    metadata: input.metadata ?? cloneJson(source.metadata),
    createdAt: now,
    updatedAt: now,
    lastSeq: atSeq,
    parent: { threadId: source.id, seq: atSeq },
    ...(source.summarySeq !== undefined && source.summarySeq <= atSeq ? { summarySeq: source.summarySeq } : {}),
    log,
  };
  store.addThread(thread);
  return thread;
}

import type { EraseResult, PruneResult, Scope } from '@fluxibly/core';
import type {
  ValidImportMessages,
  ValidImportThread,
  ValidPrune,
  ValidPruneScope,
  ValidTransfer,
} from '@fluxibly/core/adapter';
import { importSeqBeyond, importSeqTaken } from '@fluxibly/core/adapter';
import { MessageLog } from './store/message-log.js';
import type { MessageRecord, ThreadRecord } from './store/records.js';
import type { MemoryStore } from './store/store.js';
import { newRecord } from './message-ops.js';
import { requireThread } from './thread-ops.js';

/**
 * Data-lifecycle writes on a {@link MemoryStore}: erase, transfer, prune, import. Like the other ops: validated input
 * in, every check before the first mutation, all synchronous (so each is atomic against every other call).
 */

/** Delete up to `limit` threads of the organisation (or of one user of it), oldest activity first. O(k log t). */
export function eraseThreads(
  store: MemoryStore,
  scope: { orgId: string; userId?: string },
  limit: number,
): EraseResult {
  const index = scope.userId === undefined ? store.orgIndex(scope.orgId) : store.userIndex(scope.orgId, scope.userId);
  const batch = index === undefined ? [] : take(index.oldestFirst(), limit, () => true);
  return removeAll(store, batch);
}

/** Give a thread to another user of its organisation. @throws NotFoundError. O(log t). */
export function transferThread(store: MemoryStore, scope: Scope, input: ValidTransfer): ThreadRecord {
  const thread = requireThread(store, scope, input.threadId);
  if (input.toUserId !== thread.userId) store.transfer(thread, input.toUserId);
  return thread;
}

/** Delete up to `limit` threads inactive since before the cut-off, oldest first, from a listing index. */
export function pruneThreads(store: MemoryStore, scope: ValidPruneScope, input: ValidPrune): PruneResult {
  const index = scope.orgId === undefined ? store.allIndex() : store.orgIndex(scope.orgId);
  const batch: ThreadRecord[] = [];
  let more = false;
  if (index !== undefined) {
    for (const thread of index.oldestFirst()) {
      if (thread.updatedAt >= input.inactiveBefore) break;
      if (batch.length === input.limit) {
        more = true;
        break;
      }
      batch.push(thread);
    }
  }
  const { threads, messages } = removeAll(store, batch);
  return { deleted: threads, messages, more };
}

/** Store an exported thread as it was, with no messages; `false` when its id is taken. O(log t). */
export function importThread(store: MemoryStore, scope: Scope, input: ValidImportThread): boolean {
  if (store.thread(input.id) !== undefined) return false;
  const thread: ThreadRecord = {
    id: input.id,
    orgId: scope.orgId,
    userId: scope.userId,
    name: input.name,
    metadata: input.metadata,
    createdAt: input.createdAt.getTime(),
    updatedAt: input.updatedAt.getTime(),
    lastSeq: input.lastSeq,
    ...(input.parent === undefined ? {} : { parent: input.parent }),
    ...(input.summarySeq === undefined ? {} : { summarySeq: input.summarySeq }),
    log: new MessageLog(),
  };
  store.addThread(thread);
  return true;
}

/**
 * Store exported messages as they were; ids already in the thread are skipped. Returns how many were written.
 * @throws NotFoundError; ValidationError (a seq beyond `lastSeq`); ConflictError (a seq held by another id).
 * O(k log n).
 */
export function importMessages(store: MemoryStore, scope: Scope, input: ValidImportMessages): number {
  const thread = requireThread(store, scope, input.threadId);
  const fresh: MessageRecord[] = [];
  input.messages.forEach((message, i) => {
    if (message.seq > thread.lastSeq) {
      throw importSeqBeyond(i, thread.lastSeq);
    }
    const holder = thread.log.atSeq(message.seq);
    if (holder !== undefined && holder.id !== message.id) {
      throw importSeqTaken(i, message.seq);
    }
    if (thread.log.get(message.id) === undefined) fresh.push(importedRecord(message, thread.id));
  });
  for (const record of fresh) thread.log.insert(record);
  return fresh.length;
}

function importedRecord(message: ValidImportMessages['messages'][number], threadId: string): MessageRecord {
  const record = newRecord(message, threadId, message.seq, message.createdAt.getTime());
  return message.editedAt === undefined ? record : { ...record, editedAt: message.editedAt.getTime() };
}

function take<T>(items: Iterable<T>, limit: number, keep: (item: T) => boolean): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (out.length === limit) break;
    if (keep(item)) out.push(item);
  }
  return out;
}

function removeAll(store: MemoryStore, threads: readonly ThreadRecord[]): EraseResult {
  let messages = 0;
  for (const thread of threads) {
    messages += thread.log.size;
    store.removeThread(thread);
  }
  return { threads: threads.length, messages };
}

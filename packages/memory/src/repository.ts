import type { RepositoryCapabilities } from '@fluxibly/core';
import type { StorageOperations } from '@fluxibly/core/adapter';
import { BaseConversationRepository } from '@fluxibly/core/adapter';
import { toChatMessage, toChatThread } from './codec.js';
import * as lifecycle from './lifecycle-ops.js';
import * as messages from './message-ops.js';
import { messagePage, threadPage } from './pagination.js';
import type { ThreadRecord } from './store/records.js';
import { queryWords, searchThreads } from './store/search.js';
import { MemoryStore } from './store/store.js';
import * as threads from './thread-ops.js';

/** Options of {@link MemoryConversationRepository}. */
export interface MemoryRepositoryOptions {
  /** The data to work on. Default: a new, private store. Share one store between instances to share data. */
  store?: MemoryStore;
}

const CAPABILITIES: RepositoryCapabilities = Object.freeze({ fullTextSearch: true, ttl: false });

/**
 * An in-process `ConversationRepository`: the reference implementation of every guarantee of the contract.
 * Data lives in a {@link MemoryStore} (one per instance unless you pass one) and is lost when the process ends.
 *
 * - **Atomic.** Every method is `async` like a real backend's, but validates and then does its whole read or
 *   write synchronously, within one tick: concurrent calls — on this instance or on others sharing the store —
 *   never interleave. Two racing appends to one thread get distinct, gapless `seq`s; exactly one wins each `seq`.
 * - **Copies.** Inputs are deep-copied by validation and results are copied on the way out (with fresh `Date`s):
 *   mutating either never changes what is stored.
 * - **Time.** `updatedAt` is `max(now, previous updatedAt)`, so it never goes backwards for a thread. Messages
 *   appended together share one `createdAt`: the thread's new `updatedAt`; `editedAt` is set the same way.
 * - **Closed.** After {@link close}, every method rejects with `UnavailableError('repository is closed')`; other
 *   instances over the same store are unaffected.
 * - **Search.** `fullTextSearch` is declared: every whitespace-separated query word must occur, ignoring case, in
 *   the message's text; newest first. See `search.ts` for the exact rules.
 *
 * Complexity (n: messages in the thread; t: threads in the listed index; k: items returned or written) is given
 * on each method.
 */
export class MemoryConversationRepository extends BaseConversationRepository {
  /** The store this instance reads and writes. */
  readonly store: MemoryStore;

  constructor(options: MemoryRepositoryOptions = {}) {
    const store = options.store ?? new MemoryStore();
    super({ backend: 'memory', capabilities: CAPABILITIES, inProcess: true }, memoryOperations(store));
    this.store = store;
  }
}

/**
 * The storage operations over `store`. Each does its whole read or write synchronously (see `thread-ops.ts` and
 * `message-ops.ts`); costs, with n messages in the thread, t threads in the index and k items returned or written:
 * create/update/delete thread O(log t); getThread, getMessage O(1); listings O(log t + k) on the user's or the
 * organisation's own index (with a metadata filter: O(log t + threads of that index looked at)); append O(k)
 * whatever the thread's length (plus the removed tail with `replaceAfterSeq`); truncate O(log n + removed);
 * pages O(log n + k); edit O(log t); delete message O(log n + log t) plus shifting newer messages; fork
 * O(log n + k); clear O(n); search O(text of the caller's threads), newest first (see `store/search.ts`).
 */
function memoryOperations(store: MemoryStore): StorageOperations {
  return {
    createThread: async (scope, input) => toChatThread(threads.createThread(store, scope, input)),
    getThread: async (scope, threadId) => {
      const thread = threads.ownedThread(store, scope, threadId);
      return thread === undefined ? null : toChatThread(thread);
    },
    listThreads: async (scope, input) => threadPage(store.userIndex(scope.orgId, scope.userId), input),
    listOrgThreads: async (scope, input) => threadPage(store.orgIndex(scope.orgId), input),
    updateThread: async (scope, input) => toChatThread(threads.updateThread(store, scope, input)),
    deleteThread: async (scope, threadId) => threads.deleteThread(store, scope, threadId),
    clearThread: async (scope, threadId) => threads.clearThread(store, scope, threadId),
    truncateThread: async (scope, input) => threads.truncateThread(store, scope, input),
    appendMessages: async (scope, input) => messages.appendMessages(store, scope, input).map(toChatMessage),
    getMessages: async (scope, input) => {
      const thread = threads.ownedThread(store, scope, input.threadId);
      return thread === undefined ? null : messagePage(thread.log, input);
    },
    getMessage: async (scope, input) => {
      const message = threads.ownedThread(store, scope, input.threadId)?.log.get(input.messageId);
      return message === undefined ? null : toChatMessage(message);
    },
    editMessage: async (scope, input) => toChatMessage(messages.editMessage(store, scope, input)),
    deleteMessage: async (scope, input) => messages.deleteMessage(store, scope, input),
    forkThread: async (scope, input) => toChatThread(threads.forkThread(store, scope, input)),
    searchMessages: async (scope, input) => {
      let searched: Iterable<ThreadRecord>;
      if (input.threadId !== undefined) {
        const thread = threads.ownedThread(store, scope, input.threadId);
        searched = thread === undefined ? [] : [thread];
      } else {
        searched = store.userIndex(scope.orgId, scope.userId)?.newestFirst() ?? [];
      }
      return searchThreads(searched, queryWords(input.query), input.limit).map(toChatMessage);
    },
    eraseThreads: async (scope, limit) => lifecycle.eraseThreads(store, scope, limit),
    transferThread: async (scope, input) => toChatThread(lifecycle.transferThread(store, scope, input)),
    pruneThreads: async (scope, input) => lifecycle.pruneThreads(store, scope, input),
    importThread: async (scope, input) => lifecycle.importThread(store, scope, input),
    importMessages: async (scope, input) => lifecycle.importMessages(store, scope, input),
    // The store is shared by other instances: closing one instance releases nothing.
    close: async () => undefined,
  };
}

/** The seed's name for {@link MemoryConversationRepository}. */
export { MemoryConversationRepository as MockConversationRepository };

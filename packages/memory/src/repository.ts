import type {
  AppendMessagesInput,
  ChatMessage,
  ChatThread,
  ConversationRepository,
  CreateThreadInput,
  EditMessageInput,
  ForkThreadInput,
  GetMessagesInput,
  ListThreadsInput,
  MessagePage,
  MessageRef,
  OrgScope,
  RepositoryCapabilities,
  Scope,
  SearchMessagesInput,
  ThreadPage,
  UpdateThreadInput,
} from '@fluxibly/core';
import {
  UnavailableError,
  validateAppend,
  validateCreateThread,
  validateEdit,
  validateFork,
  validateGetMessages,
  validateId,
  validateListThreads,
  validateMessageRef,
  validateOrgScope,
  validateScope,
  validateSearch,
  validateUpdateThread,
} from '@fluxibly/core';
import { toChatMessage, toChatThread } from './copy.js';
import * as messages from './message-ops.js';
import { messagePage, threadPage } from './pagination.js';
import type { ThreadRecord } from './records.js';
import { queryWords, searchThreads } from './search.js';
import { MemoryStore } from './store.js';
import * as threads from './thread-ops.js';

/** Options of {@link MemoryConversationRepository}. */
export interface MemoryRepositoryOptions {
  /** The data to work on. Default: a new, private store. Share one store between instances to share data. */
  store?: MemoryStore;
}

const CAPABILITIES: RepositoryCapabilities = Object.freeze({ fullTextSearch: true, ttl: false });

/**
 * An in-process {@link ConversationRepository}: the reference implementation of every guarantee of the contract.
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
export class MemoryConversationRepository implements ConversationRepository {
  /** `{ fullTextSearch: true, ttl: false }`. */
  readonly capabilities: RepositoryCapabilities = CAPABILITIES;
  /** The store this instance reads and writes. */
  readonly store: MemoryStore;
  #closed = false;

  constructor(options: MemoryRepositoryOptions = {}) {
    this.store = options.store ?? new MemoryStore();
  }

  /**
   * Create an empty thread owned by `scope`. Cost: O(log t).
   * @throws ConflictError when a caller-supplied id is used by any thread (ids are global).
   */
  async createThread(scope: Scope, input?: CreateThreadInput): Promise<ChatThread> {
    this.#ensureOpen();
    const valid = validateScope(scope);
    return toChatThread(threads.createThread(this.store, valid, validateCreateThread(input)));
  }

  /** The thread, or `null` when it does not exist for this scope. Cost: O(1). */
  async getThread(scope: Scope, threadId: string): Promise<ChatThread | null> {
    this.#ensureOpen();
    const valid = validateScope(scope);
    const thread = threads.ownedThread(this.store, valid, validateId(threadId, 'threadId'));
    return thread === undefined ? null : toChatThread(thread);
  }

  /** This user's threads, newest activity first. Cost: O(log t + k) on this user's own index, no scan. */
  async listThreads(scope: Scope, input?: ListThreadsInput): Promise<ThreadPage> {
    this.#ensureOpen();
    const valid = validateScope(scope);
    return threadPage(this.store.userIndex(valid.orgId, valid.userId), validateListThreads(input));
  }

  /** Every thread of an organisation, newest activity first. Cost: O(log t + k) on the organisation's index. */
  async listOrgThreads(scope: OrgScope, input?: ListThreadsInput): Promise<ThreadPage> {
    this.#ensureOpen();
    const valid = validateOrgScope(scope);
    return threadPage(this.store.orgIndex(valid.orgId), validateListThreads(input));
  }

  /**
   * Rename a thread and/or replace its metadata. An input with neither changes nothing but `updatedAt`.
   * Cost: O(log t).
   * @throws NotFoundError when the thread does not exist for this scope.
   */
  async updateThread(scope: Scope, input: UpdateThreadInput): Promise<ChatThread> {
    this.#ensureOpen();
    const valid = validateScope(scope);
    return toChatThread(threads.updateThread(this.store, valid, validateUpdateThread(input)));
  }

  /**
   * Delete a thread and its messages; `false` when it does not exist for this scope. Cost: O(log t).
   * The store keeps no trace of it and the id becomes free: a later `createThread` with that id makes a new,
   * empty thread (old messages never come back).
   */
  async deleteThread(scope: Scope, threadId: string): Promise<boolean> {
    this.#ensureOpen();
    const valid = validateScope(scope);
    return threads.deleteThread(this.store, valid, validateId(threadId, 'threadId'));
  }

  /**
   * Remove every message, keep the thread and its `lastSeq`; returns how many were removed. Moves `updatedAt`
   * even when the thread was empty. Cost: O(n) to free memory.
   * @throws NotFoundError when the thread does not exist for this scope.
   */
  async clearThread(scope: Scope, threadId: string): Promise<number> {
    this.#ensureOpen();
    const valid = validateScope(scope);
    return threads.clearThread(this.store, valid, validateId(threadId, 'threadId'));
  }

  /**
   * Append messages atomically and return them as stored, in input order. The batch is validated, then the
   * idempotency and `expectedLastSeq` checks run and the messages are stored in one synchronous step, so exactly
   * one of two racing appends — on any instance sharing the store — gets each `seq`. When every message's id
   * already exists, nothing is written and `expectedLastSeq` is not checked.
   * Cost: O(k) amortised for k messages, whatever the thread's length.
   * @throws NotFoundError when the thread does not exist for this scope.
   * @throws ConflictError when `expectedLastSeq` is not the thread's `lastSeq` (and a message is new).
   */
  async appendMessages(scope: Scope, input: AppendMessagesInput): Promise<ChatMessage[]> {
    this.#ensureOpen();
    const valid = validateScope(scope);
    return messages.appendMessages(this.store, valid, validateAppend(input)).map(toChatMessage);
  }

  /**
   * A page of messages by `seq` (see `MessagePage`); `null` when the thread does not exist for this scope.
   * Cost: O(log n + k); the newest k cost O(k).
   */
  async getMessages(scope: Scope, input: GetMessagesInput): Promise<MessagePage | null> {
    this.#ensureOpen();
    const valid = validateScope(scope);
    const request = validateGetMessages(input);
    const thread = threads.ownedThread(this.store, valid, request.threadId);
    return thread === undefined ? null : messagePage(thread.log, request);
  }

  /** One message, or `null` when it (or its thread, for this scope) does not exist. Cost: O(1). */
  async getMessage(scope: Scope, input: MessageRef): Promise<ChatMessage | null> {
    this.#ensureOpen();
    const valid = validateScope(scope);
    const ref = validateMessageRef(input);
    const message = threads.ownedThread(this.store, valid, ref.threadId)?.log.get(ref.messageId);
    return message === undefined ? null : toChatMessage(message);
  }

  /**
   * Replace content and/or metadata; sets `editedAt`. Cost: O(log t).
   * @throws NotFoundError when the thread (for this scope) or the message does not exist.
   */
  async editMessage(scope: Scope, input: EditMessageInput): Promise<ChatMessage> {
    this.#ensureOpen();
    const valid = validateScope(scope);
    return toChatMessage(messages.editMessage(this.store, valid, validateEdit(input)));
  }

  /**
   * Delete one message (its `seq` stays a gap); `false` when it or its thread does not exist for this scope.
   * Cost: O(log n + log t), plus shifting the newer messages.
   */
  async deleteMessage(scope: Scope, input: MessageRef): Promise<boolean> {
    this.#ensureOpen();
    const valid = validateScope(scope);
    return messages.deleteMessage(this.store, valid, validateMessageRef(input));
  }

  /**
   * Copy a thread's messages up to `atSeq` into a new thread of the same scope, atomically.
   * Cost: O(log n + k) for k copied messages.
   * @throws NotFoundError when the source does not exist for this scope (checked first).
   * @throws ValidationError when `atSeq` is beyond the source's `lastSeq` (checked next).
   * @throws ConflictError when the new id is used by any thread (checked last).
   */
  async forkThread(scope: Scope, input: ForkThreadInput): Promise<ChatThread> {
    this.#ensureOpen();
    const valid = validateScope(scope);
    return toChatThread(threads.forkThread(this.store, valid, validateFork(input)));
  }

  /**
   * Messages of the caller's own threads (or of the one `threadId` names; a missing or foreign `threadId`
   * finds nothing: `[]`) containing every query word, newest first; see `search.ts`.
   * Cost: O(text of those threads).
   */
  async searchMessages(scope: Scope, input: SearchMessagesInput): Promise<ChatMessage[]> {
    this.#ensureOpen();
    const valid = validateScope(scope);
    const search = validateSearch(input);
    let searched: Iterable<ThreadRecord>;
    if (search.threadId !== undefined) {
      const thread = threads.ownedThread(this.store, valid, search.threadId);
      searched = thread === undefined ? [] : [thread];
    } else {
      searched = this.store.userIndex(valid.orgId, valid.userId)?.newestFirst() ?? [];
    }
    return searchThreads(searched, queryWords(search.query), search.limit).map(toChatMessage);
  }

  /** Close this instance (not the store, which other instances may share). Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  #ensureOpen(): void {
    if (this.#closed) throw new UnavailableError('repository is closed');
  }
}

/** The seed's name for {@link MemoryConversationRepository}. */
export { MemoryConversationRepository as MockConversationRepository };

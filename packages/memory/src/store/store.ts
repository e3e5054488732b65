import { SortedIndex } from './sorted-index.js';
import type { ThreadRecord } from './records.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The clock, in epoch milliseconds. Default `Date.now`. Timestamps never go backwards for a thread even when
   * this clock does (see {@link MemoryStore.touch}).
   */
  now?: () => number;
}

/**
 * The data behind one or more {@link MemoryConversationRepository} instances: pass the same store to several
 * repositories to get "separate connections" to one database (that is how the conformance suite tests
 * concurrency). Nothing in it survives the process.
 *
 * It holds every thread by id (thread ids are global), with its messages, plus two listing indexes ordered by
 * (`updatedAt`, `id`): one per `(orgId, userId)` and one per `orgId`, so listing a user's threads never looks at
 * another user's. Its methods are synchronous and do no validation: the repository validates, checks scope and
 * then mutates within one synchronous step, which is what makes every call atomic. Its methods are the
 * adapter's internals: treat a store as an opaque handle.
 */
export class MemoryStore {
  /** Every thread, by id. */
  readonly #threads = new Map<string, ThreadRecord>();
  /** Per organisation, then per user: that user's threads. Empty indexes are removed. */
  readonly #userIndexes = new Map<string, Map<string, SortedIndex<ThreadRecord>>>();
  /** Per organisation: every thread of the organisation. Empty indexes are removed. */
  readonly #orgIndexes = new Map<string, SortedIndex<ThreadRecord>>();
  /** Every thread of every organisation (retention across organisations). */
  readonly #allIndex = new SortedIndex<ThreadRecord>();
  readonly #now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** The clock's current time, in epoch milliseconds. */
  now(): number {
    return this.#now();
  }

  /** The thread with this id, whoever owns it (callers check scope). O(1). */
  thread(id: string): ThreadRecord | undefined {
    return this.#threads.get(id);
  }

  /** Every stored thread, in no particular order (for inspection; a full walk). */
  allThreads(): IterableIterator<ThreadRecord> {
    return this.#threads.values();
  }

  /** The listing index of one user, if they have any thread. O(1). */
  userIndex(orgId: string, userId: string): SortedIndex<ThreadRecord> | undefined {
    return this.#userIndexes.get(orgId)?.get(userId);
  }

  /** The listing index of one organisation, if it has any thread. O(1). */
  orgIndex(orgId: string): SortedIndex<ThreadRecord> | undefined {
    return this.#orgIndexes.get(orgId);
  }

  /** Every thread, by (`updatedAt`, `id`). */
  allIndex(): SortedIndex<ThreadRecord> {
    return this.#allIndex;
  }

  /** Give `thread` to another user of its organisation and record the write (see {@link touch}). */
  transfer(thread: ThreadRecord, toUserId: string): void {
    this.#unindex(thread);
    thread.userId = toUserId;
    thread.updatedAt = Math.max(this.now(), thread.updatedAt);
    this.#index(thread);
  }

  /** Add a new thread (its id must be free). O(log n) in the indexes. */
  addThread(thread: ThreadRecord): void {
    this.#threads.set(thread.id, thread);
    this.#index(thread);
  }

  /** Remove a thread, its messages and its index entries. O(log n) plus index shifting. */
  removeThread(thread: ThreadRecord): void {
    this.#threads.delete(thread.id);
    this.#unindex(thread);
    thread.log.clear();
  }

  /**
   * Record a write to `thread`: `updatedAt` becomes `max(now, updatedAt)` (never backwards, even if the clock
   * is) and the thread moves to its new place in both indexes. Returns the new `updatedAt`.
   */
  touch(thread: ThreadRecord): number {
    const at = Math.max(this.now(), thread.updatedAt);
    if (at !== thread.updatedAt) {
      this.#unindex(thread);
      thread.updatedAt = at;
      this.#index(thread);
    }
    return at;
  }

  #index(thread: ThreadRecord): void {
    let users = this.#userIndexes.get(thread.orgId);
    if (users === undefined)
      this.#userIndexes.set(thread.orgId, (users = new Map<string, SortedIndex<ThreadRecord>>()));
    let userIndex = users.get(thread.userId);
    if (userIndex === undefined) users.set(thread.userId, (userIndex = new SortedIndex()));
    userIndex.insert(thread);
    let orgIndex = this.#orgIndexes.get(thread.orgId);
    if (orgIndex === undefined) this.#orgIndexes.set(thread.orgId, (orgIndex = new SortedIndex()));
    orgIndex.insert(thread);
    this.#allIndex.insert(thread);
  }

  #unindex(thread: ThreadRecord): void {
    const users = this.#userIndexes.get(thread.orgId);
    const userIndex = users?.get(thread.userId);
    if (users !== undefined && userIndex !== undefined) {
      userIndex.remove(thread);
      if (userIndex.size === 0) users.delete(thread.userId);
      if (users.size === 0) this.#userIndexes.delete(thread.orgId);
    }
    const orgIndex = this.#orgIndexes.get(thread.orgId);
    if (orgIndex !== undefined) {
      orgIndex.remove(thread);
      if (orgIndex.size === 0) this.#orgIndexes.delete(thread.orgId);
    }
    this.#allIndex.remove(thread);
  }
}

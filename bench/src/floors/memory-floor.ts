import type { NewMessage, Scope } from '@fluxibly/core';
import type { WorkloadSubject } from '../subject.js';

interface FloorThread {
  readonly id: string;
  readonly orgId: string;
  readonly userId: string;
  /** Messages in append order: `seq` is the index + 1. */
  readonly messages: NewMessage[];
  /** The owner's thread ids, least recently active first (shared by all of the owner's threads). */
  readonly activity: string[];
}

/**
 * The memory floor: the least plain JavaScript can do and still serve the workloads correctly. A Map of threads,
 * an array push per message, `slice(-50)` for the newest 50, shortening the array then pushing to replace its
 * tail, and per user an array of thread ids kept in activity
 * order (moved to the end on each write) for the newest-first page. No validation, no ids, no copies, no locks:
 * whatever the adapter costs above this is the price of its guarantees.
 */
export class MemoryFloor implements WorkloadSubject {
  readonly #threads = new Map<string, FloorThread>();
  readonly #activityByUser = new Map<string, string[]>();

  async createThread(scope: Scope, threadId: string): Promise<void> {
    const userKey = `${scope.orgId}\u0000${scope.userId}`;
    let activity = this.#activityByUser.get(userKey);
    if (activity === undefined) {
      activity = [];
      this.#activityByUser.set(userKey, activity);
    }
    this.#threads.set(threadId, { id: threadId, orgId: scope.orgId, userId: scope.userId, messages: [], activity });
    activity.push(threadId);
  }

  async appendOne(scope: Scope, threadId: string, message: NewMessage): Promise<void> {
    const thread = this.#thread(scope, threadId);
    thread.messages.push(message);
    touch(thread);
  }

  async appendBatch(scope: Scope, threadId: string, messages: readonly NewMessage[]): Promise<void> {
    const thread = this.#thread(scope, threadId);
    for (const message of messages) thread.messages.push(message);
    touch(thread);
  }

  async replaceTail(
    scope: Scope,
    threadId: string,
    _afterSeq: number,
    removed: number,
    messages: readonly NewMessage[],
  ): Promise<void> {
    const thread = this.#thread(scope, threadId);
    thread.messages.length -= removed;
    for (const message of messages) thread.messages.push(message);
    touch(thread);
  }

  async readNewest50(scope: Scope, threadId: string): Promise<number> {
    return this.#thread(scope, threadId).messages.slice(-50).length;
  }

  async listThreadsPage20(scope: Scope): Promise<number> {
    const activity = this.#activityByUser.get(`${scope.orgId}\u0000${scope.userId}`) ?? [];
    const page: FloorThread[] = [];
    for (let i = activity.length - 1; i >= 0 && page.length < 20; i--) {
      const thread = this.#threads.get(activity[i] ?? '');
      if (thread !== undefined) page.push(thread);
    }
    return page.length;
  }

  async messageCount(scope: Scope, threadId: string): Promise<number> {
    return this.#thread(scope, threadId).messages.length;
  }

  async close(): Promise<void> {
    this.#threads.clear();
    this.#activityByUser.clear();
  }

  #thread(scope: Scope, threadId: string): FloorThread {
    const thread = this.#threads.get(threadId);
    if (thread?.orgId !== scope.orgId || thread.userId !== scope.userId) {
      throw new Error(`floor: no thread ${threadId} for this scope`);
    }
    return thread;
  }
}

/** Move the thread to the newest end of its owner's activity order (a no-op when it is already there). */
function touch(thread: FloorThread): void {
  const { activity, id } = thread;
  if (activity[activity.length - 1] === id) return;
  activity.splice(activity.lastIndexOf(id), 1);
  activity.push(id);
}

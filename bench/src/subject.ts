import type { NewMessage, Scope } from '@fluxibly/core';

/**
 * What a workload drives. An adapter's repository is wrapped into one (see `repository-subject.ts`); a floor
 * implements it directly with the raw driver doing the minimum work, so both run the very same workload code.
 *
 * Every method acts for `scope` and must keep the contract's observable behaviour for the operations it serves:
 * messages in order, nothing lost under concurrent appends, newest 50 returned oldest first, a user's threads
 * newest activity first.
 */
export interface WorkloadSubject {
  /** Create an empty thread with this id, owned by `scope`. Setup only: never timed. */
  createThread(scope: Scope, threadId: string): Promise<void>;
  /** Append one message to the end of the thread. */
  appendOne(scope: Scope, threadId: string, message: NewMessage): Promise<void>;
  /** Append a batch of messages, in order, as one call. */
  appendBatch(scope: Scope, threadId: string, messages: readonly NewMessage[]): Promise<void>;
  /**
   * Remove the thread's last `removed` messages — those with `seq > afterSeq` — and append `messages` after its
   * last seq (never reusing one), as ONE atomic step (W6 "regenerate"). A subject may go by `afterSeq` or by
   * `removed`, whichever is its least work; the workload passes both, consistently.
   */
  replaceTail(
    scope: Scope,
    threadId: string,
    afterSeq: number,
    removed: number,
    messages: readonly NewMessage[],
  ): Promise<void>;
  /** Read the thread's newest 50 messages (oldest first); returns how many were read. */
  readNewest50(scope: Scope, threadId: string): Promise<number>;
  /** Read the first page (20) of the user's threads, newest activity first; returns how many were read. */
  listThreadsPage20(scope: Scope): Promise<number>;
  /** How many messages the thread holds. Used to verify a run, never timed. */
  messageCount(scope: Scope, threadId: string): Promise<number>;
  /** Release everything this subject holds. */
  close(): Promise<void>;
}

import type { JsonObject } from './json.js';

/** Where a forked thread came from: the source thread and the last `seq` copied from it. */
export interface ThreadParent {
  readonly threadId: string;
  readonly seq: number;
}

/**
 * A conversation: an ordered log of messages owned by exactly one `{ orgId, userId }` pair.
 */
export interface ChatThread {
  readonly id: string;
  readonly orgId: string;
  readonly userId: string;
  /** Display name; `''` when none was given. */
  readonly name: string;
  readonly metadata: JsonObject;
  readonly createdAt: Date;
  /**
   * Set to the time of every write to the thread (append, edit, delete or clear of messages, update). Never goes
   * backwards; millisecond precision, so writes within one millisecond share it.
   */
  readonly updatedAt: Date;
  /** The highest `seq` ever assigned in this thread; `0` when nothing was ever appended. Never decreases. */
  readonly lastSeq: number;
  /** How many messages the thread holds now. */
  readonly messageCount: number;
  /** Set on a thread made by `forkThread`. */
  readonly parent?: ThreadParent;
  /**
   * The `seq` of the newest summary message (one with `summaryOf`) appended to this thread; absent when there is
   * none. The append that stores a summary sets it in the same atomic step; `truncateThread`, a `replaceAfterSeq`
   * append and `clearThread` that remove that seq unset it (a replacement batch holding a summary sets it again).
   * `deleteMessage` leaves it alone, so it may name a deleted message: readers then fall back to the plain window.
   */
  readonly summarySeq?: number;
}

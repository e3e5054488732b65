import type { JsonObject } from '../model/json.js';
import type { ChatMessage } from '../model/message.js';
import type { ThreadParent } from '../model/thread.js';

/** What `eraseUser` / `eraseOrg` removed. */
export interface EraseResult {
  /** Threads deleted (each with all its messages and index entries). */
  threads: number;
  /** Messages deleted with them. */
  messages: number;
}

/** `transferThread` input: give a thread to another user of the same organisation. */
export interface TransferThreadInput {
  threadId: string;
  /** The new owner, in the same organisation (1–255 characters). */
  toUserId: string;
}

/** Which threads `pruneThreads` considers: one organisation's, or (no `orgId`) every organisation's. */
export interface PruneScope {
  orgId?: string;
}

/** `pruneThreads` input. */
export interface PruneThreadsInput {
  /** Delete threads whose last activity (`updatedAt`) is strictly before this time. */
  inactiveBefore: Date;
  /** The most threads this call deletes (1–10,000). Call again while `more` is `true`. */
  limit: number;
}

/** What `pruneThreads` did. */
export interface PruneResult {
  /** Threads deleted by this call. */
  deleted: number;
  /** Messages deleted with them. */
  messages: number;
  /** `true` when inactive threads may remain (the call stopped at `limit`); call again to continue. */
  more: boolean;
}

/**
 * A thread as `importThread` stores it: every field as exported, except `messageCount` (counted from the imported
 * messages). Its scope is the call's.
 */
export interface ImportThreadInput {
  id: string;
  name: string;
  metadata: JsonObject;
  createdAt: Date;
  updatedAt: Date;
  /** The highest seq ever assigned in the source; later appends continue after it. */
  lastSeq: number;
  parent?: ThreadParent;
  summarySeq?: number;
}

/** A message as `importMessages` stores it: every field as exported (its `threadId` is the call's). */
export type ImportedMessage = Omit<ChatMessage, 'threadId'> & { threadId?: string };

/** `importMessages` input. */
export interface ImportMessagesInput {
  threadId: string;
  /** 1–1000 messages with distinct ids and distinct seqs in `1 … lastSeq` of the thread. */
  messages: readonly ImportedMessage[];
}

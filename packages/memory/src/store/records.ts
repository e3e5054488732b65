import type {
  JsonObject,
  MessageContent,
  MessageRole,
  MessageStatus,
  SummaryRange,
  ThreadParent,
} from '@fluxibly/core';
import type { MessageLog } from './message-log.js';

/**
 * What the store holds. Records are private to the store: the repository hands out copies only.
 *
 * Invariant: stored JSON values (`content`, `metadata`) are never mutated in place — an edit or update replaces
 * the whole value with a fresh validated copy. That is why a fork may share them between source and copy.
 * Timestamps are epoch milliseconds; the repository turns them into fresh `Date`s on the way out.
 */

/** A stored message. */
export interface MessageRecord {
  readonly id: string;
  readonly threadId: string;
  readonly seq: number;
  readonly role: MessageRole;
  content: MessageContent;
  readonly name?: string;
  readonly toolCallId?: string;
  metadata: JsonObject;
  /** Always set: appends store `'completed'` when the caller gave none. */
  status: MessageStatus;
  tokenCount?: number;
  readonly summaryOf?: SummaryRange;
  readonly createdAt: number;
  editedAt?: number;
}

/** A stored thread and its messages. `updatedAt` changes only through `MemoryStore.touch` (it is an index key). */
export interface ThreadRecord {
  readonly id: string;
  readonly orgId: string;
  /** Changes only through `MemoryStore.transfer` (it is an index key). */
  userId: string;
  name: string;
  metadata: JsonObject;
  readonly createdAt: number;
  updatedAt: number;
  lastSeq: number;
  readonly parent?: ThreadParent;
  /** The seq of the newest summary message appended (see `ChatThread.summarySeq`); unset when there is none. */
  summarySeq?: number;
  readonly log: MessageLog;
}

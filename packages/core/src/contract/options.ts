import type { JsonObject, JsonValue } from '../model/json.js';
import type { ChatMessage, MessageContent, MessageStatus, NewMessage } from '../model/message.js';
import type { ChatThread } from '../model/thread.js';

/** Input of {@link ConversationRepository.createThread}. */
export interface CreateThreadInput {
  /** Caller-chosen id (1–255 chars, any characters). Generated (UUIDv7) when omitted. Thread ids are global. */
  id?: string;
  name?: string;
  metadata?: JsonObject;
}

/** A value a thread-listing filter matches exactly: a top-level metadata value that is a string, number or boolean. */
export type MetadataFilterValue = string | number | boolean;

/**
 * Input of {@link ConversationRepository.updateThread}: the fields to change (none: the call only moves
 * `updatedAt`). `metadata` and `metadataPatch` exclude each other.
 */
export interface UpdateThreadInput {
  threadId: string;
  name?: string;
  /** Replaces the whole metadata object. */
  metadata?: JsonObject;
  /**
   * Merges these top-level keys into the stored metadata in one atomic server-side step (a key set to `null` is
   * removed), so concurrent patches of different keys all survive. The merged metadata must stay within
   * `LIMITS.metadataBytes` (as the backend measures its JSON), otherwise `ValidationError` naming `metadataPatch`.
   */
  metadataPatch?: Record<string, JsonValue>;
  /**
   * Compare-and-set: the update happens only if each listed top-level key holds this value now (`null`: the key is
   * absent or `null`), checked in the same atomic step as the write; otherwise `ConflictError` and nothing is
   * written. Values are strings, numbers, booleans or `null`; 1 to `LIMITS.filterKeys` keys.
   */
  expectedMetadata?: Record<string, MetadataFilterValue | null>;
}

/** Input of {@link ConversationRepository.listThreads} and {@link ConversationRepository.listOrgThreads}. */
export interface ListThreadsInput {
  /** Page size, 1–1000. Default 50. */
  limit?: number;
  /** The `nextCursor` of a previous page (read with the same `metadata` filter). */
  cursor?: string;
  /**
   * Only threads whose metadata holds every one of these top-level keys with exactly this value (AND). 1 to
   * `LIMITS.filterKeys` keys.
   */
  metadata?: Record<string, MetadataFilterValue>;
}

/** A page of threads, newest activity first (`updatedAt` desc, then `id` desc). */
export interface ThreadPage {
  threads: ChatThread[];
  /** Pass as `cursor` for the next (older) page; `null` when there is none. */
  nextCursor: string | null;
}

/** Input of {@link ConversationRepository.appendMessages}. */
export interface AppendMessagesInput {
  threadId: string;
  /** 1–1000 messages, stored in this order with consecutive `seq`s. */
  messages: readonly NewMessage[];
  /** Fail with `ConflictError` unless the thread's `lastSeq` equals this when the append is applied. */
  expectedLastSeq?: number;
  /**
   * Fail with `ConflictError` unless the thread's `messageCount` equals this when the append is applied. With
   * `expectedLastSeq` it pins the whole tail: a removal (`truncateThread`, `deleteMessage`) leaves `lastSeq` alone
   * but changes the count.
   */
  expectedMessageCount?: number;
  /**
   * Regenerate / edit-and-resend: in the same atomic step, first remove every message with `seq > replaceAfterSeq`,
   * then append. `0 <= replaceAfterSeq <= lastSeq`. See {@link ConversationRepository.appendMessages}.
   */
  replaceAfterSeq?: number;
}

/** Input of {@link ConversationRepository.truncateThread}. */
export interface TruncateThreadInput {
  threadId: string;
  /** Remove every message with `seq > afterSeq`; `0 <= afterSeq <= lastSeq`. */
  afterSeq: number;
  /** Fail with `ConflictError` unless the thread's `lastSeq` equals this when the truncation is applied. */
  expectedLastSeq?: number;
  /** Fail with `ConflictError` unless the thread's `messageCount` equals this when the truncation is applied. */
  expectedMessageCount?: number;
}

/** Input of {@link ConversationRepository.getMessages}. */
export interface GetMessagesInput {
  threadId: string;
  /** Page size, 1–1000. Default 50. */
  limit?: number;
  /** Only messages older than this cursor (a page's `olderCursor`). */
  before?: string;
  /** Only messages newer than this cursor (a page's `newerCursor`). */
  after?: string;
  /** Order of the returned page. Default `'asc'` (oldest first). Does not change which messages are selected. */
  order?: 'asc' | 'desc';
}

/**
 * A page of messages.
 *
 * Selection: with `after`, the `limit` oldest messages newer than `after` (and older than `before`, if given);
 * otherwise the `limit` newest messages older than `before` (or the newest of the thread).
 */
export interface MessagePage {
  messages: ChatMessage[];
  /** Pass as `before` to read the messages just older than this page; `null` when none exist (always for an empty page). */
  olderCursor: string | null;
  /**
   * Pass as `after` to read the messages just newer than this page. Always set when the page is non-empty or
   * `after` was given (newer messages may be appended later); `null` only for an empty page read without `after`.
   */
  newerCursor: string | null;
}

/**
 * Input of {@link ConversationRepository.editMessage}: the fields to replace (at least one of `content`, `metadata`,
 * `status` and `tokenCount`).
 */
export interface EditMessageInput {
  threadId: string;
  messageId: string;
  content?: MessageContent;
  /** Replaces the whole metadata object. */
  metadata?: JsonObject;
  status?: MessageStatus;
  /** A non-negative integer. */
  tokenCount?: number;
  /**
   * Edit only if the message has this status now, checked in the same atomic step as the write; otherwise
   * `ConflictError` and nothing is written. With `status`, "finish the streaming message" happens exactly once even
   * when an abort handler and an `onFinish` race.
   */
  expectedStatus?: MessageStatus;
}

/** Names one message: the input of {@link ConversationRepository.getMessage} and `deleteMessage`. */
export interface MessageRef {
  threadId: string;
  messageId: string;
}

/** Input of {@link ConversationRepository.forkThread}. */
export interface ForkThreadInput {
  /** The source thread. */
  threadId: string;
  /** Copy the messages with `seq <= atSeq`; `0 <= atSeq <= source.lastSeq`. Default: the source's `lastSeq`. */
  atSeq?: number;
  /** Id of the new thread; generated when omitted. */
  id?: string;
  /** Name of the new thread; default: the source's name. */
  name?: string;
  /** Metadata of the new thread; default: the source's metadata. */
  metadata?: JsonObject;
}

/** Input of {@link ConversationRepository.searchMessages}. */
export interface SearchMessagesInput {
  /** Words to find in message text (text content and `text` parts). 1–1000 chars. */
  query: string;
  /** Restrict to one thread of the scope. */
  threadId?: string;
  /** 1–1000. Default 20. */
  limit?: number;
}

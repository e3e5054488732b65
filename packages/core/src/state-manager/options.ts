import type { JsonObject, JsonValue } from '../model/json.js';
import type { MessageContent, MessageStatus } from '../model/message.js';
import type { MetadataFilterValue } from '../contract/options.js';
import type { ConversationRepository } from '../contract/repository.js';

/** Options of the {@link StateManager} constructor. */
export interface StateManagerOptions {
  /** Where conversations are stored. The StateManager never closes it. */
  repository: ConversationRepository;
  /** The user every call acts for (1–255 chars). */
  userId: string;
  /** The user's organisation (1–255 chars). */
  orgId: string;
  /**
   * Start with this thread as the current one. It is not looked up here (the constructor is synchronous): a
   * missing or foreign id gives `NotFoundError` on first use. Use `setCurrentThread` to check it at once.
   */
  threadId?: string | undefined;
}

/** Picks the thread a call acts on: this one, instead of the current thread. */
export interface ThreadTarget {
  /** One of this user's threads; defaults to the current thread. */
  threadId?: string | undefined;
}

/** Options of {@link StateManager.createThread}. */
export interface CreateThreadOptions {
  metadata?: JsonObject | undefined;
  /** Caller-chosen id (thread ids are global: an id already used anywhere gives `ConflictError`). */
  id?: string | undefined;
}

/** Options of {@link StateManager.addMessage}. */
export interface AddMessageOptions extends ThreadTarget {
  metadata?: JsonObject | undefined;
  /** Author name (e.g. the tool or participant name). */
  name?: string | undefined;
  /** For `role: 'tool'`: the assistant tool call this message answers. */
  toolCallId?: string | undefined;
  /** Caller-chosen message id: makes the append idempotent (a retry returns the stored message). */
  id?: string | undefined;
  /** Append only if the thread's `lastSeq` is still this (`ConflictError` otherwise). */
  expectedLastSeq?: number | undefined;
  /** Default `'completed'`; `'in_progress'` for a reply that is about to stream in (finish it with `editMessage`). */
  status?: MessageStatus | undefined;
  /** The message's tokens as the provider counted them (a non-negative integer). */
  tokenCount?: number | undefined;
}

/** Options of {@link StateManager.addMessages}. */
export interface AddMessagesOptions extends ThreadTarget {
  /** Append only if the thread's `lastSeq` is still this (`ConflictError` otherwise). */
  expectedLastSeq?: number | undefined;
  /**
   * Regenerate / edit-and-resend: remove every message with `seq >` this and append, in one atomic step (see
   * `ConversationRepository.appendMessages`).
   */
  replaceAfterSeq?: number | undefined;
}

/** Options of {@link StateManager.truncateThread}. */
export interface TruncateThreadOptions extends ThreadTarget {
  /** Remove every message with `seq >` this. */
  afterSeq: number;
  /** Truncate only if the thread's `lastSeq` is still this (`ConflictError` otherwise). */
  expectedLastSeq?: number | undefined;
}

/** Options of {@link StateManager.getMessages} and {@link StateManager.getMessagesPage}. */
export interface GetMessagesOptions extends ThreadTarget {
  /** Page size, 1–1000. Default 50. */
  limit?: number | undefined;
  /** A page's `olderCursor`: read the messages just older than that page. */
  before?: string | undefined;
  /** A page's `newerCursor`: read the messages just newer than that page. */
  after?: string | undefined;
}

/** Options of {@link StateManager.listThreads}. */
export interface ListThreadsOptions {
  /** `'user'` (default): this user's threads. `'org'`: every thread of the organisation. */
  scope?: 'user' | 'org' | undefined;
  /** At most this many threads. Without it, every thread is returned (paging internally). */
  limit?: number | undefined;
  /** Start after this position (a `ThreadPage.nextCursor` from {@link StateManager.listThreadsPage}). */
  cursor?: string | undefined;
  /** Only threads whose top-level metadata keys hold exactly these values (AND). */
  metadata?: Record<string, MetadataFilterValue> | undefined;
}

/** Options of {@link StateManager.updateThread}. */
export interface UpdateThreadOptions extends ThreadTarget {
  name?: string | undefined;
  /** Replaces the whole metadata object. */
  metadata?: JsonObject | undefined;
  /** Merges top-level keys atomically (`null` removes a key); cannot be combined with `metadata`. */
  metadataPatch?: Record<string, JsonValue> | undefined;
  /** Compare-and-set: update only if these keys hold these values now (`null`: absent), else `ConflictError`. */
  expectedMetadata?: Record<string, MetadataFilterValue | null> | undefined;
}

/** Options of {@link StateManager.editMessage}. */
export interface EditMessageOptions extends ThreadTarget {
  content?: MessageContent | undefined;
  /** Replaces the whole metadata object. */
  metadata?: JsonObject | undefined;
  status?: MessageStatus | undefined;
  tokenCount?: number | undefined;
  /** Edit only if the message has this status now (`ConflictError` otherwise): finish a stream exactly once. */
  expectedStatus?: MessageStatus | undefined;
}

/** Options of {@link StateManager.loadConversationHistory}. */
export interface LoadHistoryOptions extends ThreadTarget {
  /**
   * Start from the thread's newest summary (see `ChatThread.summarySeq`): the leading system messages, the
   * summary, then the messages after the range it covers. Without a summary, the whole thread. Default `false`.
   */
  fromSummary?: boolean | undefined;
}

/** Options of {@link StateManager.forkThread}. */
export interface ForkThreadOptions extends ThreadTarget {
  /** Copy the messages with `seq <= atSeq`. Default: the whole thread. */
  atSeq?: number | undefined;
  /** Id of the new thread; generated when omitted. */
  id?: string | undefined;
  /** Name of the new thread; default: the source's name. */
  name?: string | undefined;
  /** Metadata of the new thread; default: the source's metadata. */
  metadata?: JsonObject | undefined;
  /** Make the new thread the current one. Default `false`. */
  makeCurrent?: boolean | undefined;
}

/** Options of {@link StateManager.searchMessages}. */
export interface SearchMessagesOptions {
  /** Search only this thread. Default: every thread of this user. */
  threadId?: string | undefined;
  /** 1–1000. Default 20. */
  limit?: number | undefined;
}

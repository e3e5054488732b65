import type { JsonObject } from '../model/json.js';
import type { MessageContent, MessageRole, MessageStatus, SummaryRange } from '../model/message.js';
import type { StateManager } from '../state-manager/state-manager.js';

/** A message in a {@link ConversationHistory} window: what is sent to a model. */
export interface HistoryMessage {
  /** The message id (UUIDv7 unless given); the same id is used when it is stored. */
  readonly id: string;
  readonly role: MessageRole;
  readonly content: MessageContent;
  readonly name?: string;
  readonly toolCallId?: string;
  readonly metadata: JsonObject;
  readonly status?: MessageStatus;
  /** The provider's token count; when set, the window counts it instead of the token counter's estimate. */
  readonly tokenCount?: number;
  /** Set on a summary message (see {@link ConversationHistory.compact}). */
  readonly summaryOf?: SummaryRange;
}

/** Counts the tokens a message costs in a model's context. Must return a finite number `>= 0`. */
export type TokenCounter = (message: HistoryMessage) => number;

/**
 * What a {@link ConversationHistory} needs from a {@link StateManager} (any object with these members works).
 */
export type HistoryStore = Pick<
  StateManager,
  'currentThreadId' | 'createThread' | 'setCurrentThread' | 'addMessages' | 'getMessagesPage' | 'getThread'
>;

/** The window's limits. A missing limit is no limit. */
export interface WindowBudget {
  /** Most messages in the window, system messages included. */
  readonly maxMessages?: number | undefined;
  /** Most tokens in the window (by the token counter), system messages included. */
  readonly maxTokens?: number | undefined;
}

/** Options of the {@link ConversationHistory} constructor. */
export interface ConversationHistoryOptions extends WindowBudget {
  /** Where to persist and load messages. Required for `persistToDb` and `loadFromDb`. */
  stateManager?: HistoryStore | undefined;
  /** Store every added message through the `stateManager`, in order, in the background. Default `false`. */
  persistToDb?: boolean | undefined;
  /** Token counter for `maxTokens`. Default {@link estimateTokens}. */
  tokenCounter?: TokenCounter | undefined;
  /** The thread to write to (and load by default). Default: the StateManager's current thread at the first write. */
  threadId?: string | undefined;
  /**
   * Called each time a background write fails, with the error and what happens next (see {@link WriteFailure}):
   * a transient failure is retried by itself; a permanent one drops the offending messages. An exception it throws
   * is ignored.
   */
  onError?: ((error: unknown, failure: WriteFailure) => void) | undefined;
  /** Delays between automatic retries after a transient write failure. Default 100 ms, doubling, at most 5 s. */
  writeRetry?: WriteRetryOptions | undefined;
}

/** How background writes are retried after a transient failure: `initialDelayMs`, doubling up to `maxDelayMs`. */
export interface WriteRetryOptions {
  /** Delay before the first retry, in milliseconds (1 to 3,600,000). Default 100. */
  initialDelayMs?: number | undefined;
  /** Longest delay between retries, in milliseconds (at least `initialDelayMs`). Default 5000. */
  maxDelayMs?: number | undefined;
}

/** What `onError` is told beside the error. */
export type WriteFailure =
  | {
      /**
       * Retrying may help (the server is down, a timeout, an unknown error): the messages stay queued, in order,
       * and are retried by themselves after `retryInMs`.
       */
      readonly kind: 'transient';
      readonly retryInMs: number;
      /** Messages not stored yet, the failed ones included. */
      readonly pending: number;
    }
  | {
      /**
       * Retrying cannot help (`VALIDATION`: a bad message; `NOT_FOUND`: the thread is gone, so every write queued
       * for it; `CONFLICT`: an id taken elsewhere): these messages were dropped from the queue (they stay in the
       * window), and the writes after them go on.
       */
      readonly kind: 'dropped';
      readonly messages: readonly HistoryMessage[];
    };

/** Per-message options of the `add*` methods. */
export interface AddHistoryMessageOptions {
  metadata?: JsonObject | undefined;
  /** Author name (e.g. the tool or participant name). */
  name?: string | undefined;
  /** Caller-chosen id; default a new UUIDv7. */
  id?: string | undefined;
  /** The provider's token count for this message; the window counts it instead of the token counter's estimate. */
  tokenCount?: number | undefined;
  /** Default `'completed'`. */
  status?: MessageStatus | undefined;
}

/** Options of {@link ConversationHistory.compact}. */
export interface CompactOptions {
  /**
   * Writes the summary: receives the messages to summarise, oldest first (the previous summary first, when there
   * is one, then the raw messages after its range; never the leading system messages, which stay pinned as they
   * are) and returns the summary's content. Usually a call to a model.
   */
  summarize: (messages: readonly HistoryMessage[]) => MessageContent | Promise<MessageContent>;
  /** How many of the newest messages stay out of the summary, as they are. Default 0. */
  keepLast?: number | undefined;
  /** Role of the summary message. Default `'system'` (pinned in the window, never trimmed). */
  role?: MessageRole | undefined;
  /** Metadata of the summary message. */
  metadata?: JsonObject | undefined;
}

/** Options of {@link ConversationHistory.addMessage}. */
export interface AddAnyHistoryMessageOptions extends AddHistoryMessageOptions {
  /** For `role: 'tool'`: the assistant tool call this message answers. */
  toolCallId?: string | undefined;
}

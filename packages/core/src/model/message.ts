import type { JsonObject, JsonValue } from './json.js';

/** Who wrote a message. */
export type MessageRole = 'system' | 'user' | 'assistant' | 'tool';

/** Every valid {@link MessageRole}, in a stable order. */
export const MESSAGE_ROLES: readonly MessageRole[] = ['system', 'user', 'assistant', 'tool'];

/**
 * One part of a multi-part message. `type` is a string such as `text`, `image`, `file`, `tool-call`,
 * `tool-result`, `reasoning`, or any custom name; every other field is JSON.
 */
export interface ContentPart {
  type: string;
  [field: string]: JsonValue;
}

/**
 * Where a message is in its life: `'in_progress'` while a reply streams into it, `'completed'` (the default) once
 * it is whole, `'incomplete'` when its stream stopped early (aborted, cut off) and what was received is kept.
 */
export type MessageStatus = 'in_progress' | 'completed' | 'incomplete';

/** Every valid {@link MessageStatus}, in a stable order. */
export const MESSAGE_STATUSES: readonly MessageStatus[] = ['in_progress', 'completed', 'incomplete'];

/**
 * The range of a thread a summary message stands for: every message with `fromSeq <= seq <= toSeq`. A message
 * carrying it is a summary; `ConversationHistory.compact()` writes one, and loading "from the summary" reads the
 * newest summary plus the messages after `toSeq` (raw messages are never deleted by compaction).
 */
export interface SummaryRange {
  readonly fromSeq: number;
  readonly toSeq: number;
}

/** A message body: plain text, or an array of {@link ContentPart}s. */
export type MessageContent = string | ContentPart[];

/** A stored message. `seq` orders a thread: 1, 2, 3… in append order, never by timestamp. */
export interface ChatMessage {
  readonly id: string;
  readonly threadId: string;
  readonly seq: number;
  readonly role: MessageRole;
  readonly content: MessageContent;
  /** Optional author name (e.g. the tool or participant name). */
  readonly name?: string;
  /** For `role: 'tool'`: the id of the assistant tool call this message answers. */
  readonly toolCallId?: string;
  readonly metadata: JsonObject;
  /** `'completed'` unless the caller said otherwise; messages stored before statuses existed read as `'completed'`. */
  readonly status: MessageStatus;
  /** The caller's token count for this message (e.g. from the provider's usage); absent when never given. */
  readonly tokenCount?: number;
  /** Set on a summary message: the seq range it summarises. See {@link SummaryRange}. */
  readonly summaryOf?: SummaryRange;
  readonly createdAt: Date;
  /** Set when the message was changed by `editMessage`. */
  readonly editedAt?: Date;
}

/** A message to append. `id` is generated (UUIDv7) when omitted; supplying one makes the append idempotent. */
export interface NewMessage {
  id?: string;
  role: MessageRole;
  content: MessageContent;
  name?: string;
  toolCallId?: string;
  metadata?: JsonObject;
  /** Default `'completed'`. Append a streaming reply as `'in_progress'`, then finish it with `editMessage`. */
  status?: MessageStatus;
  /** A non-negative integer: the message's tokens as the provider counted them. */
  tokenCount?: number;
  /** Makes this message a summary of the given range (`1 <= fromSeq <= toSeq`). See {@link SummaryRange}. */
  summaryOf?: SummaryRange;
}

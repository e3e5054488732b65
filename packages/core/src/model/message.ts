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
}

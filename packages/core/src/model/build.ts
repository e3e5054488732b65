import type { JsonObject } from './json.js';
import type { ChatMessage, MessageContent, MessageRole, MessageStatus, SummaryRange } from './message.js';

/** What an adapter read or wrote for one message; optional fields may be `null` or `undefined` when unset. */
export interface ChatMessageFields {
  readonly id: string;
  readonly threadId: string;
  readonly seq: number;
  readonly role: MessageRole;
  readonly content: MessageContent;
  readonly metadata: JsonObject;
  /** A `Date` or epoch milliseconds. */
  readonly createdAt: Date | number;
  readonly name?: string | null | undefined;
  readonly toolCallId?: string | null | undefined;
  /** A `Date` or epoch milliseconds; unset for a message never edited. */
  readonly editedAt?: Date | number | null | undefined;
  /** Unset for a message stored before statuses existed: it reads as `'completed'`. */
  readonly status?: MessageStatus | null | undefined;
  readonly tokenCount?: number | null | undefined;
  readonly summaryOf?: SummaryRange | null | undefined;
}

/**
 * The {@link ChatMessage} every adapter returns for `fields`: new `Date`s, `status` `'completed'` when unset, and
 * `name`, `toolCallId`, `tokenCount`, `summaryOf` and `editedAt` present only when set (never `null` or
 * `undefined`), so a message reads the same from every backend. Content and metadata are used as given: pass values
 * the caller may own (parsed afresh, or a private copy).
 */
export function chatMessage(fields: ChatMessageFields): ChatMessage {
  const { name, toolCallId, editedAt, tokenCount, summaryOf } = fields;
  const message: { -readonly [K in keyof ChatMessage]: ChatMessage[K] } = {
    id: fields.id,
    threadId: fields.threadId,
    seq: fields.seq,
    role: fields.role,
    content: fields.content,
    metadata: fields.metadata,
    status: fields.status ?? 'completed',
    createdAt: new Date(fields.createdAt),
  };
  if (name != null) message.name = name;
  if (toolCallId != null) message.toolCallId = toolCallId;
  if (tokenCount != null) message.tokenCount = tokenCount;
  if (summaryOf != null) message.summaryOf = { fromSeq: summaryOf.fromSeq, toSeq: summaryOf.toSeq };
  if (editedAt != null) message.editedAt = new Date(editedAt);
  return message;
}

/** The fields of a new message as validation produced them (`ValidMessage`, structurally). */
interface NewMessageFields {
  readonly id: string;
  readonly role: ChatMessage['role'];
  readonly content: MessageContent;
  readonly metadata: JsonObject;
  readonly status: MessageStatus;
  readonly name?: string | undefined;
  readonly toolCallId?: string | undefined;
  readonly tokenCount?: number | undefined;
  readonly summaryOf?: SummaryRange | undefined;
}

/**
 * The {@link ChatMessage} for a message an adapter has just appended: a validated message (its content and
 * metadata are a private copy, so they are used as they are) with the `seq` and `createdAt` the store gave it.
 * The same message as {@link chatMessage} would build, built directly — this runs once per appended message, and
 * spreading the validated message into `chatMessage` cost an append about 2 µs.
 */
export function appendedMessage(
  message: NewMessageFields,
  threadId: string,
  seq: number,
  createdAt: number,
): ChatMessage {
  const out: { -readonly [K in keyof ChatMessage]: ChatMessage[K] } = {
    id: message.id,
    threadId,
    seq,
    role: message.role,
    content: message.content,
    metadata: message.metadata,
    status: message.status,
    createdAt: new Date(createdAt),
  };
  if (message.name !== undefined) out.name = message.name;
  if (message.toolCallId !== undefined) out.toolCallId = message.toolCallId;
  if (message.tokenCount !== undefined) out.tokenCount = message.tokenCount;
  if (message.summaryOf !== undefined)
    out.summaryOf = { fromSeq: message.summaryOf.fromSeq, toSeq: message.summaryOf.toSeq };
  return out;
}

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

import type {
  ChatMessage,
  ChatThread,
  JsonObject,
  MessageContent,
  MessageRole,
  MessageStatus,
  SummaryRange,
  ThreadParent,
} from '@fluxibly/core';
import type { ValidMessage } from '@fluxibly/core/adapter';
import { appendedMessage, chatMessage } from '@fluxibly/core/adapter';
import { decodeKeyPart } from './keys.js';

/**
 * How messages and threads are written as Redis strings, and read back.
 *
 * A stored message is one JSON array whose elements are separated by a newline before each comma:
 * `[seq\n,createdAt\n,editedAt|null\n,content\n,metadata\n,"id","role",name|null,toolCallId|null\n,"status"\n,
 * tokenCount|null\n,summaryOf|null]`. Messages written before statuses existed end after `toolCallId` (9
 * elements, 5 newlines) and read as `'completed'`; an edit rewrites them in the current form.
 * `JSON.stringify` never emits a raw newline (it escapes them inside strings), so the newlines are exactly the
 * element boundaries: the Lua scripts split and rebuild a message (an edit, the seq of a page's oldest message)
 * without a JSON parser, never re-encoding what the caller stored (Lua's cjson would lose number precision and
 * turn `[]` into `{}`), while the client reads a message with one `JSON.parse` (JSON allows the newlines).
 * Timestamps are epoch milliseconds.
 */

/** The part of a stored message the client builds (content onwards; the scripts add seq and timestamps). */
export function encodeMessageBody(message: ValidMessage): string {
  const name = message.name === undefined ? 'null' : JSON.stringify(message.name);
  const toolCallId = message.toolCallId === undefined ? 'null' : JSON.stringify(message.toolCallId);
  return (
    `${JSON.stringify(message.content)}\n,${JSON.stringify(message.metadata)}\n,` +
    `${JSON.stringify(message.id)},${JSON.stringify(message.role)},${name},${toolCallId}\n,` +
    `${JSON.stringify(message.status)}\n,${message.tokenCount ?? 'null'}\n,` +
    `${message.summaryOf === undefined ? 'null' : JSON.stringify(message.summaryOf)}]`
  );
}

type StoredMessage = [
  number,
  number,
  number | null,
  MessageContent,
  JsonObject,
  string,
  MessageRole,
  string | null,
  string | null,
  (MessageStatus | null)?,
  (number | null)?,
  (SummaryRange | null)?,
];

/** Decode a stored message of `threadId`. */
export function decodeMessage(threadId: string, stored: string): ChatMessage {
  const [seq, createdAt, editedAt, content, metadata, id, role, name, toolCallId, status, tokenCount, summaryOf] =
    JSON.parse(stored) as StoredMessage;
  return chatMessage({
    id,
    threadId,
    seq,
    role,
    content,
    metadata,
    createdAt,
    name,
    toolCallId,
    editedAt,
    status,
    tokenCount,
    summaryOf,
  });
}

/** A message just appended, built from the validated input (a private copy) instead of decoding it back. */
export function newMessage(threadId: string, message: ValidMessage, seq: number, createdAt: number): ChatMessage {
  return appendedMessage(message, threadId, seq, createdAt);
}

/** The `seq` and id of a stored message (for forks). */
export function messageKey(stored: string): { seq: number; id: string } {
  const [seq, , , , , id] = JSON.parse(stored) as StoredMessage;
  return { seq, id };
}

/**
 * A thread row as HMGET returns it: `[orgId, userId, name, metadataJson, createdAt, updatedAt, lastSeq,
 * parentJson | null, messageCount, summarySeq | null]` (`orgId` null when the thread does not exist).
 */
export type ThreadRow = [
  string | null,
  string | null,
  string,
  string,
  string,
  string,
  string,
  string | null,
  string,
  (string | null)?,
];

/** The fields of the thread hash, in {@link ThreadRow} order. */
export const THREAD_FIELDS = ['o', 'u', 'n', 'md', 'c', 'up', 'ls', 'p', 'mc', 'ss'] as const;

/** Decode a thread row of `threadId` (of an existing thread). */
export function decodeThread(threadId: string, row: ThreadRow): ChatThread {
  const [orgId, userId, name, metadata, createdAt, updatedAt, lastSeq, parent, count, summarySeq] = row;
  const out: { -readonly [K in keyof ChatThread]: ChatThread[K] } = {
    id: threadId,
    orgId: orgId ?? '',
    userId: userId ?? '',
    name,
    metadata: JSON.parse(metadata) as JsonObject,
    createdAt: new Date(Number(createdAt)),
    updatedAt: new Date(Number(updatedAt)),
    lastSeq: Number(lastSeq),
    messageCount: Number(count),
  };
  if (parent !== null && parent !== '') out.parent = JSON.parse(parent) as ThreadParent;
  if (summarySeq !== undefined && summarySeq !== null && summarySeq !== '') out.summarySeq = Number(summarySeq);
  return out;
}

/**
 * A thread as the standalone listing script returns it (`LIST_VERIFIED` in `scripts/listing.ts`): its listing
 * member (the hex-encoded id) and the ten {@link THREAD_FIELDS} joined by NUL, a missing field as `''`. No stored
 * field can hold a NUL: ids, names and org/user ids are validated without one, and JSON text escapes it.
 * @throws Error when the string does not have the eleven parts (never for data this adapter wrote).
 */
export function decodePackedThread(packed: string): ChatThread {
  const parts = packed.split('\u0000');
  if (parts.length !== THREAD_FIELDS.length + 1) throw new Error(`listing: a thread row has ${parts.length} parts`);
  return decodeThread(decodeKeyPart(parts[0] as string), parts.slice(1) as unknown as ThreadRow);
}

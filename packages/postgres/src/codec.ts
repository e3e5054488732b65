import type { ChatMessage, ChatThread, JsonObject, MessageContent, MessageRole, MessageStatus } from '@fluxibly/core';
import { chatMessage } from '@fluxibly/core/adapter';

/**
 * Rows as pg returns them (for the column lists of `sql/columns.ts`) and the contract's model built from them.
 * pg parses values afresh per query, so nothing a caller gets is shared with anything else: no copy is needed.
 */

/** A row of `fluxibly_threads` as the statements return it (`bigint` as string, `jsonb` parsed, times in ms). */
export interface ThreadRow {
  id: string;
  org_id: string;
  user_id: string;
  name: string;
  metadata: JsonObject;
  /** Epoch milliseconds (see `THREAD_SELECT`). */
  created_at: number;
  updated_at: number;
  last_seq: string | number;
  message_count: string | number;
  parent_thread_id: string | null;
  parent_seq: string | number | null;
  /** Migration 0004; null when the thread has no summary. */
  summary_seq: string | number | null;
}

/** A row of `fluxibly_messages` as the statements return it. */
export interface MessageRow {
  thread_id: string;
  seq: string | number;
  id: string;
  role: MessageRole;
  content: MessageContent;
  name: string | null;
  tool_call_id: string | null;
  metadata: JsonObject;
  /** Epoch milliseconds (see `messageColumns`). */
  created_at: number;
  edited_at: number | null;
  /** Migration 0004: null = `'completed'`. */
  status: StoredStatus;
  token_count: string | number | null;
  summary_from_seq: string | number | null;
  summary_to_seq: string | number | null;
}

/** A status as stored: `'completed'` is NULL (every message written before migration 0004 is too). */
export type StoredStatus = Exclude<MessageStatus, 'completed'> | null;

/** The status a message is stored with (see {@link StoredStatus}). */
export function storedStatus(status: MessageStatus): StoredStatus {
  return status === 'completed' ? null : status;
}

/** The `extras` of a {@link PageTuple}: null, or `[status, token_count, summary_from_seq, summary_to_seq]`. */
type PageExtras = [status: StoredStatus, tokenCount: number | null, from: number | null, to: number | null] | null;

/** A `PAGE_TUPLE` (see `sql/columns.ts`) as parsed from JSON. */
export type PageTuple = [
  seq: number,
  id: string,
  role: MessageRole,
  content: MessageContent,
  name: string | null,
  toolCallId: string | null,
  metadata: JsonObject,
  createdAt: number,
  editedAt: number | null,
  extras: PageExtras,
];

/** The caller's `ChatThread` for a row. */
export function toChatThread(row: ThreadRow): ChatThread {
  const thread: { -readonly [K in keyof ChatThread]: ChatThread[K] } = {
    id: row.id,
    orgId: row.org_id,
    userId: row.user_id,
    name: row.name,
    metadata: row.metadata,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    lastSeq: Number(row.last_seq),
    messageCount: Number(row.message_count),
  };
  if (row.parent_thread_id !== null && row.parent_seq !== null) {
    thread.parent = { threadId: row.parent_thread_id, seq: Number(row.parent_seq) };
  }
  if (row.summary_seq !== null) thread.summarySeq = Number(row.summary_seq);
  return thread;
}

/** The caller's `ChatMessage` for a row. */
export function toChatMessage(row: MessageRow): ChatMessage {
  return chatMessage({
    id: row.id,
    threadId: row.thread_id,
    seq: Number(row.seq),
    role: row.role,
    content: row.content,
    metadata: row.metadata,
    createdAt: row.created_at,
    name: row.name,
    toolCallId: row.tool_call_id,
    editedAt: row.edited_at,
    status: row.status,
    tokenCount: row.token_count === null ? null : Number(row.token_count),
    summaryOf:
      row.summary_from_seq === null || row.summary_to_seq === null
        ? null
        : { fromSeq: Number(row.summary_from_seq), toSeq: Number(row.summary_to_seq) },
  });
}

/** The caller's `ChatMessage` for a {@link PageTuple} of thread `threadId`. */
export function tupleToChatMessage(tuple: PageTuple, threadId: string): ChatMessage {
  const [seq, id, role, content, name, toolCallId, metadata, createdAt, editedAt, extras] = tuple;
  if (extras === null)
    return chatMessage({ id, threadId, seq, role, content, metadata, createdAt, name, toolCallId, editedAt });
  const [status, tokenCount, fromSeq, toSeq] = extras;
  const summaryOf = fromSeq === null || toSeq === null ? null : { fromSeq, toSeq };
  return chatMessage({
    ...{ id, threadId, seq, role, content, metadata, createdAt, name, toolCallId, editedAt },
    ...{ status, tokenCount, summaryOf },
  });
}

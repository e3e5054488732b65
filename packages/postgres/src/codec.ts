import type { ChatMessage, ChatThread, JsonObject, MessageContent, MessageRole } from '@fluxibly/core';
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
}

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
  });
}

/** The caller's `ChatMessage` for a {@link PageTuple} of thread `threadId`. */
export function tupleToChatMessage(tuple: PageTuple, threadId: string): ChatMessage {
  const [seq, id, role, content, name, toolCallId, metadata, createdAt, editedAt] = tuple;
  return chatMessage({ id, threadId, seq, role, content, metadata, createdAt, name, toolCallId, editedAt });
}

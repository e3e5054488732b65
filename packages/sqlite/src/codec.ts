import type { ChatMessage, ChatThread, JsonObject, MessageContent, MessageRole, MessageStatus } from '@fluxibly/core';
import { chatMessage } from '@fluxibly/core/adapter';

/**
 * Rows as better-sqlite3 returns them (for the column lists of `sql/columns.ts`) and the contract's model built
 * from them. JSON columns are parsed afresh per read, so nothing a caller gets is shared with anything else.
 */

/** A row of `fluxibly_threads`. */
export interface ThreadRow {
  id: string;
  org_id: string;
  user_id: string;
  name: string;
  /** JSON text. */
  metadata: string;
  /** Epoch milliseconds. */
  created_at: number;
  updated_at: number;
  last_seq: number;
  message_count: number;
  parent_thread_id: string | null;
  parent_seq: number | null;
  summary_seq: number | null;
}

/** A row of `fluxibly_messages` as the statements return it (`messageColumns()`). */
export interface MessageRow {
  thread_id: string;
  seq: number;
  id: string;
  role: MessageRole;
  /** JSON text. */
  content: string;
  name: string | null;
  tool_call_id: string | null;
  /** JSON text. */
  metadata: string;
  /** `NULL`: completed. */
  status: MessageStatus | null;
  token_count: number | null;
  summary_from: number | null;
  summary_to: number | null;
  created_at: number;
  edited_at: number | null;
}

/** One message of a page (see `pageJson` in `sql/columns.ts`), as parsed from its JSON text. */
export type PageTuple = [
  seq: number,
  id: string,
  role: MessageRole,
  content: MessageContent,
  name: string | null,
  toolCallId: string | null,
  metadata: JsonObject,
  status: MessageStatus | null,
  tokenCount: number | null,
  summaryFrom: number | null,
  summaryTo: number | null,
  createdAt: number,
  editedAt: number | null,
];

/** The caller's `ChatMessage` for a {@link PageTuple} of thread `threadId`. */
export function tupleToChatMessage(tuple: PageTuple, threadId: string): ChatMessage {
  const [seq, id, role, content, name, toolCallId, metadata, status, tokenCount, from, to, createdAt, editedAt] = tuple;
  const summaryOf = from === null || to === null ? null : { fromSeq: from, toSeq: to };
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

/** One thread of a listing (see `listThreads` in `sql/threads.ts`), as parsed from its JSON text. */
export type ThreadTuple = [
  id: string,
  orgId: string,
  userId: string,
  name: string,
  metadata: JsonObject,
  createdAt: number,
  updatedAt: number,
  lastSeq: number,
  messageCount: number,
  parentThreadId: string | null,
  parentSeq: number | null,
  summarySeq: number | null,
];

/** The caller's `ChatThread` for a row. */
export function toChatThread(row: ThreadRow): ChatThread {
  return tupleToChatThread([
    row.id,
    row.org_id,
    row.user_id,
    row.name,
    JSON.parse(row.metadata) as JsonObject,
    row.created_at,
    row.updated_at,
    row.last_seq,
    row.message_count,
    row.parent_thread_id,
    row.parent_seq,
    row.summary_seq,
  ]);
}

/** The caller's `ChatThread` for a {@link ThreadTuple}: `parent` and `summarySeq` only when set. */
export function tupleToChatThread(tuple: ThreadTuple): ChatThread {
  const [id, orgId, userId, name, metadata, createdAt, updatedAt, lastSeq, messageCount, parentId, parentSeq, summary] =
    tuple;
  const thread: { -readonly [K in keyof ChatThread]: ChatThread[K] } = {
    id,
    orgId,
    userId,
    name,
    metadata,
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
    lastSeq,
    messageCount,
  };
  if (parentId !== null && parentSeq !== null) thread.parent = { threadId: parentId, seq: parentSeq };
  if (summary !== null) thread.summarySeq = summary;
  return thread;
}

/** The caller's `ChatMessage` for a row. */
export function toChatMessage(row: MessageRow): ChatMessage {
  return chatMessage({
    id: row.id,
    threadId: row.thread_id,
    seq: row.seq,
    role: row.role,
    content: JSON.parse(row.content) as MessageContent,
    metadata: JSON.parse(row.metadata) as JsonObject,
    createdAt: row.created_at,
    name: row.name,
    toolCallId: row.tool_call_id,
    editedAt: row.edited_at,
    status: row.status,
    tokenCount: row.token_count,
    summaryOf:
      row.summary_from === null || row.summary_to === null
        ? null
        : { fromSeq: row.summary_from, toSeq: row.summary_to },
  });
}

import type { ChatMessage, ChatThread, JsonObject, MessageContent, MessageRole } from '@fluxibly/core';
import { chatMessage } from '@fluxibly/core';

/** The columns of a thread row, in table order (for `INSERT` column lists and raw reads). */
export const THREAD_COLUMNS =
  'id, org_id, user_id, name, metadata, created_at, updated_at, last_seq, message_count, parent_thread_id, parent_seq';

/**
 * A `timestamptz` expression as epoch milliseconds (`float8`). `date_part` works in `float8`, several times
 * cheaper than `extract`'s `numeric`; `round` makes it exact, since stored times have millisecond precision (the
 * float error is below a microsecond for any year the adapter can write; checked on two million timestamps
 * over 1920–2120 against the `numeric` form).
 */
export function epochMs(expression: string): string {
  return `round(date_part('epoch', ${expression}) * 1000)`;
}

/**
 * What every thread statement returns (`SELECT` lists, `RETURNING`): the thread columns with the timestamps as
 * epoch milliseconds (see {@link messageColumns}). The aliases shadow the column names in `ORDER BY`, so
 * statements that order by a timestamp must qualify it with a table alias.
 */
export const THREAD_SELECT =
  `id, org_id, user_id, name, metadata, ${epochMs('created_at')} AS created_at, ` +
  `${epochMs('updated_at')} AS updated_at, last_seq, message_count, parent_thread_id, parent_seq`;

/** The message columns every message statement returns (prefix them with a table alias through {@link messageColumns}). */
const MESSAGE_COLUMN_NAMES = [
  'thread_id',
  'seq',
  'id',
  'role',
  'content',
  'name',
  'tool_call_id',
  'metadata',
  'created_at',
  'edited_at',
] as const;

/**
 * Timestamps travel as epoch milliseconds (`float8`): exact (stored values have millisecond precision) and
 * cheaper for the driver than parsing timestamp text, which matters on 50-message pages.
 */
const EPOCH_COLUMNS = new Set<string>(['created_at', 'edited_at']);

/** The message columns, qualified by `alias` when given. */
export function messageColumns(alias?: string): string {
  return MESSAGE_COLUMN_NAMES.map((column) => {
    const name = alias === undefined ? column : `${alias}.${column}`;
    return EPOCH_COLUMNS.has(column) ? `${epochMs(name)} AS ${column}` : name;
  }).join(', ');
}

/**
 * One message of a page as a JSON array (see `sql/messages.ts`): `[seq, id, role, content, name, tool_call_id,
 * metadata, created_at, edited_at]`, times in epoch milliseconds. The thread id is the page's own.
 */
export const PAGE_TUPLE = `json_build_array(seq, id, role, content, name, tool_call_id, metadata, ${epochMs('created_at')}, ${epochMs('edited_at')})`;

/** A {@link PAGE_TUPLE} as parsed from JSON. */
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

/** The caller's `ChatMessage` for a {@link PageTuple} of thread `threadId`. */
export function tupleToChatMessage(tuple: PageTuple, threadId: string): ChatMessage {
  const [seq, id, role, content, name, toolCallId, metadata, createdAt, editedAt] = tuple;
  return chatMessage({ id, threadId, seq, role, content, metadata, createdAt, name, toolCallId, editedAt });
}

/** A row of `fluxibly_threads` as pg returns it (`bigint` as string, `jsonb` parsed, `timestamptz` as Date). */
export interface ThreadRow {
  id: string;
  org_id: string;
  user_id: string;
  name: string;
  metadata: JsonObject;
  /** Epoch milliseconds (see {@link THREAD_SELECT}). */
  created_at: number;
  updated_at: number;
  last_seq: string | number;
  message_count: string | number;
  parent_thread_id: string | null;
  parent_seq: string | number | null;
}

/** A row of `fluxibly_messages` as pg returns it. */
export interface MessageRow {
  thread_id: string;
  seq: string | number;
  id: string;
  role: MessageRole;
  content: MessageContent;
  name: string | null;
  tool_call_id: string | null;
  metadata: JsonObject;
  /** Epoch milliseconds (see {@link messageColumns}). */
  created_at: number;
  edited_at: number | null;
}

/** The caller's `ChatThread` for a row. pg parses values afresh per query, so nothing is shared. */
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

import { EntitySchema } from 'typeorm';
import { TABLES } from './schema.js';

/**
 * TypeORM `EntitySchema`s (no decorators) describing the adapter's tables, for applications that want to read them
 * with TypeORM's repositories or query builder. The adapter itself uses hand-written SQL; the tables are created by
 * the migrations (`migrate()`), never by `synchronize`. Times are epoch milliseconds; JSON columns are text.
 */

/** A thread row. */
export interface ThreadEntity {
  id: string;
  orgId: string;
  userId: string;
  name: string;
  /** JSON text. */
  metadata: string;
  createdAt: number;
  updatedAt: number;
  lastSeq: number;
  messageCount: number;
  parentThreadId: string | null;
  parentSeq: number | null;
  summarySeq: number | null;
}

/** A message row. */
export interface MessageEntity {
  threadId: string;
  seq: number;
  id: string;
  orgId: string;
  userId: string;
  role: string;
  /** JSON text. */
  content: string;
  name: string | null;
  toolCallId: string | null;
  /** JSON text. */
  metadata: string;
  /** `null`: completed. */
  status: string | null;
  tokenCount: number | null;
  summaryFrom: number | null;
  summaryTo: number | null;
  createdAt: number;
  editedAt: number | null;
}

/** The `EntitySchema`s of the tables: `[threads, messages]`. */
export function fluxiblyEntities(): [EntitySchema<ThreadEntity>, EntitySchema<MessageEntity>] {
  const nullable = { nullable: true } as const;
  const threads = new EntitySchema<ThreadEntity>({
    name: 'FluxiblyThread',
    tableName: TABLES.threads,
    columns: {
      id: { type: 'text', primary: true },
      orgId: { name: 'org_id', type: 'text' },
      userId: { name: 'user_id', type: 'text' },
      name: { type: 'text' },
      metadata: { type: 'text' },
      createdAt: { name: 'created_at', type: 'integer' },
      updatedAt: { name: 'updated_at', type: 'integer' },
      lastSeq: { name: 'last_seq', type: 'integer' },
      messageCount: { name: 'message_count', type: 'integer' },
      parentThreadId: { name: 'parent_thread_id', type: 'text', ...nullable },
      parentSeq: { name: 'parent_seq', type: 'integer', ...nullable },
      summarySeq: { name: 'summary_seq', type: 'integer', ...nullable },
    },
  });
  const messages = new EntitySchema<MessageEntity>({
    name: 'FluxiblyMessage',
    tableName: TABLES.messages,
    columns: {
      threadId: { name: 'thread_id', type: 'text', primary: true },
      seq: { type: 'integer', primary: true },
      id: { type: 'text' },
      orgId: { name: 'org_id', type: 'text' },
      userId: { name: 'user_id', type: 'text' },
      role: { type: 'text' },
      content: { type: 'text' },
      name: { type: 'text', ...nullable },
      toolCallId: { name: 'tool_call_id', type: 'text', ...nullable },
      metadata: { type: 'text' },
      status: { type: 'text', ...nullable },
      tokenCount: { name: 'token_count', type: 'integer', ...nullable },
      summaryFrom: { name: 'summary_from', type: 'integer', ...nullable },
      summaryTo: { name: 'summary_to', type: 'integer', ...nullable },
      createdAt: { name: 'created_at', type: 'integer' },
      editedAt: { name: 'edited_at', type: 'integer', ...nullable },
    },
  });
  return [threads, messages];
}

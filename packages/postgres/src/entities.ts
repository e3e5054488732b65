import { EntitySchema } from 'typeorm';
import { TABLES } from './schema.js';

/**
 * TypeORM `EntitySchema`s (no decorators) describing the adapter's tables, for applications that want to read
 * them with TypeORM's repositories or query builder. The adapter itself uses hand-written SQL; the tables are
 * created by the migrations (`migrate()`), never by `synchronize`.
 */

/** A thread row. */
export interface ThreadEntity {
  id: string;
  orgId: string;
  userId: string;
  name: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  lastSeq: string;
  messageCount: string;
  parentThreadId: string | null;
  parentSeq: string | null;
  /** Migration 0004: the seq of the newest summary message, or null. */
  summarySeq: string | null;
}

/** A message row. */
export interface MessageEntity {
  threadId: string;
  seq: string;
  id: string;
  orgId: string;
  userId: string;
  role: string;
  content: unknown;
  name: string | null;
  toolCallId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  editedAt: Date | null;
  /** Migration 0004: `'in_progress'` or `'incomplete'`; null is `'completed'` (and every row written before 0004). */
  status: string | null;
  tokenCount: string | null;
  summaryFromSeq: string | null;
  summaryToSeq: string | null;
}

/** The `EntitySchema`s of the tables in `schema` (default `public`): `[threads, messages]`. */
export function fluxiblyEntities(schema = 'public'): [EntitySchema<ThreadEntity>, EntitySchema<MessageEntity>] {
  const threads = new EntitySchema<ThreadEntity>({
    name: 'FluxiblyThread',
    tableName: TABLES.threads,
    schema,
    columns: {
      id: { type: 'text', primary: true, collation: 'C' },
      orgId: { name: 'org_id', type: 'text', collation: 'C' },
      userId: { name: 'user_id', type: 'text', collation: 'C' },
      name: { type: 'text' },
      metadata: { type: 'jsonb' },
      createdAt: { name: 'created_at', type: 'timestamptz' },
      updatedAt: { name: 'updated_at', type: 'timestamptz' },
      lastSeq: { name: 'last_seq', type: 'bigint' },
      messageCount: { name: 'message_count', type: 'bigint' },
      parentThreadId: { name: 'parent_thread_id', type: 'text', collation: 'C', nullable: true },
      parentSeq: { name: 'parent_seq', type: 'bigint', nullable: true },
      summarySeq: { name: 'summary_seq', type: 'bigint', nullable: true },
    },
  });
  const messages = new EntitySchema<MessageEntity>({
    name: 'FluxiblyMessage',
    tableName: TABLES.messages,
    schema,
    columns: {
      threadId: { name: 'thread_id', type: 'text', primary: true, collation: 'C' },
      seq: { type: 'bigint', primary: true },
      id: { type: 'text', collation: 'C' },
      orgId: { name: 'org_id', type: 'text', collation: 'C' },
      userId: { name: 'user_id', type: 'text', collation: 'C' },
      role: { type: 'text' },
      content: { type: 'jsonb' },
      name: { type: 'text', nullable: true },
      toolCallId: { name: 'tool_call_id', type: 'text', nullable: true },
      metadata: { type: 'jsonb' },
      createdAt: { name: 'created_at', type: 'timestamptz' },
      editedAt: { name: 'edited_at', type: 'timestamptz', nullable: true },
      status: { type: 'text', nullable: true },
      tokenCount: { name: 'token_count', type: 'bigint', nullable: true },
      summaryFromSeq: { name: 'summary_from_seq', type: 'bigint', nullable: true },
      summaryToSeq: { name: 'summary_to_seq', type: 'bigint', nullable: true },
    },
  });
  return [threads, messages];
}

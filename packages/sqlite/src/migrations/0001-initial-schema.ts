import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TABLES as T } from '../schema.js';

/**
 * Version 1 of the schema: threads, messages, their indexes and the full-text index.
 *
 * - `fluxibly_threads` (`WITHOUT ROWID`, clustered on `id`): listing indexes `(org_id, user_id, updated_at, id)` and
 *   `(org_id, updated_at, id)`, read backwards for newest activity first. Text compares with `BINARY` (UTF-8 bytes:
 *   code-point order, as the contract's tie-break asks).
 * - `fluxibly_messages`: unique `(thread_id, seq)` serves newest-N and cursor pages by an index range scan; unique
 *   `(thread_id, id)` makes append idempotent; the rowid links a message to its full-text row. Content and metadata
 *   are JSON text; times are epoch milliseconds; `status` is `NULL` for "completed".
 * - `fluxibly_search`: FTS5, contentless with deletes (`contentless_delete=1`), no positions (`detail=none`: a
 *   search is an AND of whole terms), `ascii` tokenizer over the
 *   tenant-keyed terms the adapter writes; a trigger removes a message's row when the message goes.
 */
export const INITIAL_SCHEMA: readonly string[] = [
  `CREATE TABLE ${T.threads} (
  id TEXT NOT NULL PRIMARY KEY,
  org_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  metadata TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  message_count INTEGER NOT NULL,
  parent_thread_id TEXT,
  parent_seq INTEGER,
  summary_seq INTEGER
) WITHOUT ROWID`,
  `CREATE INDEX fluxibly_threads_by_user ON ${T.threads} (org_id, user_id, updated_at, id)`,
  `CREATE INDEX fluxibly_threads_by_org ON ${T.threads} (org_id, updated_at, id)`,
  `CREATE TABLE ${T.messages} (
  thread_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  role TEXT NOT NULL,
  content TEXT NOT NULL,
  name TEXT,
  tool_call_id TEXT,
  metadata TEXT NOT NULL,
  status TEXT,
  token_count INTEGER,
  summary_from INTEGER,
  summary_to INTEGER,
  created_at INTEGER NOT NULL,
  edited_at INTEGER
)`,
  `CREATE UNIQUE INDEX fluxibly_messages_by_seq ON ${T.messages} (thread_id, seq)`,
  `CREATE UNIQUE INDEX fluxibly_messages_by_id ON ${T.messages} (thread_id, id)`,
  `CREATE VIRTUAL TABLE ${T.search} USING fts5(terms, content='', contentless_delete=1, tokenize='ascii', detail=none)`,
  `CREATE TRIGGER fluxibly_messages_unindex AFTER DELETE ON ${T.messages} BEGIN
  DELETE FROM ${T.search} WHERE rowid = old.rowid;
END`,
];

/** {@link INITIAL_SCHEMA} as a TypeORM migration. */
export const initialSchema: MigrationInterface & { name: string } = {
  name: 'FluxiblySqliteInitialSchema1764979200000',
  async up(runner: QueryRunner): Promise<void> {
    for (const sql of INITIAL_SCHEMA) await runner.query(sql);
  },
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ${T.search}`);
    await runner.query(`DROP TABLE ${T.messages}`);
    await runner.query(`DROP TABLE ${T.threads}`);
  },
};

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { qualifiedTables, quoteIdent } from '../schema.js';

/**
 * The text a message is searched by: string content itself, or the `text` fields of its `{ type: 'text' }`
 * parts (each part a separate string, so a phrase never spans two parts). Uses only immutable functions, as a
 * generated column must. (Also what `search-index.ts` rebuilds the column from.)
 */
export const SEARCH_TEXT = `CASE WHEN jsonb_typeof(content) = 'string' THEN content
  ELSE jsonb_path_query_array(content, 'lax $[*] ? (@.type == "text").text') END`;

/**
 * Version 1 of the schema: threads, messages, their indexes and the full-text search column.
 *
 * - `fluxibly_threads`: primary key `id`; listing indexes `(org_id, user_id, updated_at, id)` and
 *   `(org_id, updated_at, id)`, scanned backwards for newest activity first.
 * - `fluxibly_messages`: primary key `(thread_id, seq)` serves newest-N and cursor pages by index; unique
 *   `(thread_id, id)` makes append idempotent; `search_vector` is a generated `tsvector` ('simple' config) with a
 *   GIN index.
 * - Ids use `COLLATE "C"`, so ties break by code point; `jsonb` content and metadata; `timestamptz` (written with
 *   millisecond precision).
 */
export function initialSchema(schema: string): MigrationInterface {
  const t = qualifiedTables(schema);
  const index = (name: string): string => quoteIdent(name);
  return {
    name: 'FluxiblyInitialSchema1764115200000',
    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`CREATE TABLE ${t.threads} (
        id text COLLATE "C" NOT NULL,
        org_id text COLLATE "C" NOT NULL,
        user_id text COLLATE "C" NOT NULL,
        name text NOT NULL,
        metadata jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        last_seq bigint NOT NULL,
        message_count bigint NOT NULL,
        parent_thread_id text COLLATE "C",
        parent_seq bigint,
        CONSTRAINT ${index('fluxibly_threads_pkey')} PRIMARY KEY (id)
      )`);
      await runner.query(
        `CREATE INDEX ${index('fluxibly_threads_by_user')} ON ${t.threads} (org_id, user_id, updated_at, id)`,
      );
      await runner.query(`CREATE INDEX ${index('fluxibly_threads_by_org')} ON ${t.threads} (org_id, updated_at, id)`);
      await runner.query(`CREATE TABLE ${t.messages} (
        thread_id text COLLATE "C" NOT NULL,
        seq bigint NOT NULL,
        id text COLLATE "C" NOT NULL,
        org_id text COLLATE "C" NOT NULL,
        user_id text COLLATE "C" NOT NULL,
        role text NOT NULL,
        content jsonb NOT NULL,
        name text,
        tool_call_id text,
        metadata jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        edited_at timestamptz,
        search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, ${SEARCH_TEXT})) STORED,
        CONSTRAINT ${index('fluxibly_messages_pkey')} PRIMARY KEY (thread_id, seq),
        CONSTRAINT ${index('fluxibly_messages_thread_message')} UNIQUE (thread_id, id)
      )`);
      await runner.query(
        `CREATE INDEX ${index('fluxibly_messages_search')} ON ${t.messages} USING gin (search_vector)`,
      );
    },
    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE ${t.messages}`);
      await runner.query(`DROP TABLE ${t.threads}`);
    },
  };
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { qualifiedTables, quoteIdent } from '../schema.js';

/**
 * Version 4: contract v2 — message status, token counts, summaries, and listing threads by metadata.
 *
 * - `fluxibly_messages`: `status` (NULL = `'completed'`: every row written before this version reads as completed,
 *   and new completed messages are stored the same way; only `'in_progress'` and `'incomplete'` are spelled out),
 *   `token_count`, and `summary_from_seq` / `summary_to_seq` (a summary message's `summaryOf`, both set or both
 *   NULL). New nullable columns without a default: `ADD COLUMN` only updates the catalog, no table rewrite and
 *   no backfill. Their CHECK constraints are `NOT VALID`: enforced for every row written from now on, without
 *   scanning the existing rows (all NULL, which every check accepts).
 * - `fluxibly_threads`: `summary_seq`, the seq of the newest summary message (NULL when none), maintained by the
 *   append that stores a summary, so loading "from the summary" never scans the thread.
 * - `fluxibly_threads_metadata`: ONE GIN index on `(org_id, user_id, metadata jsonb_path_ops)` (`btree_gin`,
 *   created by migration 0003) serving `listThreads` and `listOrgThreads` with a `metadata` filter
 *   (`metadata @> $filter`): a multicolumn GIN index serves any subset of its columns, so the org-wide listing
 *   uses it with `org_id` alone and costs in proportion to the org's matching threads, the per-user listing to
 *   the user's. A second, org-only index would cost every append (each append rewrites its thread row) a second
 *   set of GIN entries for nothing. `gin_pending_list_limit = 64` (kB) as in migration 0003: every listing reads
 *   the unsorted pending list whole.
 *
 * The index is built inside the migration's transaction: writes to `fluxibly_threads` wait for the build (one row
 * per thread: seconds for a million threads).
 */
export function contractV2(schema: string): MigrationInterface {
  const t = qualifiedTables(schema);
  const name = (index: string): string => quoteIdent(index);
  return {
    name: 'FluxiblyContractV21765000000000',
    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`ALTER TABLE ${t.messages}
        ADD COLUMN status text,
        ADD COLUMN token_count bigint,
        ADD COLUMN summary_from_seq bigint,
        ADD COLUMN summary_to_seq bigint`);
      await runner.query(`ALTER TABLE ${t.messages}
        ADD CONSTRAINT ${name('fluxibly_messages_status')} CHECK (status IN ('in_progress', 'incomplete')) NOT VALID`);
      await runner.query(`ALTER TABLE ${t.messages}
        ADD CONSTRAINT ${name('fluxibly_messages_summary_range')}
        CHECK ((summary_from_seq IS NULL) = (summary_to_seq IS NULL) AND summary_from_seq <= summary_to_seq) NOT VALID`);
      await runner.query(`ALTER TABLE ${t.threads} ADD COLUMN summary_seq bigint`);
      await runner.query(
        `CREATE INDEX ${name('fluxibly_threads_metadata')} ON ${t.threads} ` +
          'USING gin (org_id, user_id, metadata jsonb_path_ops) WITH (gin_pending_list_limit = 64)',
      );
    },
    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP INDEX ${quoteIdent(schema)}.${name('fluxibly_threads_metadata')}`);
      await runner.query(`ALTER TABLE ${t.threads} DROP COLUMN summary_seq`);
      await runner.query(`ALTER TABLE ${t.messages}
        DROP CONSTRAINT ${name('fluxibly_messages_summary_range')},
        DROP CONSTRAINT ${name('fluxibly_messages_status')},
        DROP COLUMN summary_to_seq,
        DROP COLUMN summary_from_seq,
        DROP COLUMN token_count,
        DROP COLUMN status`);
    },
  };
}

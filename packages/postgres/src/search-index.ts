import type { QueryRunner } from 'typeorm';
import { SEARCH_TEXT } from './migrations/0001-initial-schema.js';
import { qualifiedTables, quoteIdent } from './schema.js';

/** What {@link applySearchChoice} returns when it changed the schema (listed with the migrations applied). */
const SEARCH_STEPS = {
  dropped: 'FluxiblySearchIndexDropped',
  rebuilt: 'FluxiblySearchIndexRebuilt',
} as const;

/** The search index's name (migration 0003's). */
const INDEX = 'fluxibly_messages_tenant_search';

/**
 * Make the schema match the repository's `fullTextSearch` option (see `PostgresRepositoryOptions`), inside
 * `migrate()`'s transaction and advisory lock, after the versioned migrations:
 * - `false`, and the schema has the search column: drop its GIN index and the column. Both are catalog changes
 *   (PostgreSQL marks a dropped column invisible; no row is rewritten), so this is instant on any table.
 * - `true`, and the column is missing (an earlier `false`): add the generated column back — PostgreSQL rewrites
 *   the table, computing it for every stored message — and build the index, exactly as migrations 0001 and 0003
 *   define them (`btree_gin` exists: migration 0003 created it); an index missing beside a present column (dropped
 *   by hand) is built alone.
 * Otherwise nothing. Returns the step's name ({@link SEARCH_STEPS}) when it changed the schema. Like any DDL, both
 * take the table's `ACCESS EXCLUSIVE` lock: they wait for transactions using the table, and reads and writes wait
 * for them meanwhile (`migrate()` sets no `lock_timeout`).
 */
export async function applySearchChoice(
  runner: QueryRunner,
  schema: string,
  fullTextSearch: boolean,
): Promise<string | undefined> {
  const t = qualifiedTables(schema);
  const column = await hasSearchColumn(runner, schema);
  const index = await hasSearchIndex(runner, schema);
  if (!fullTextSearch) {
    if (!column && !index) return undefined;
    await runner.query(`DROP INDEX IF EXISTS ${quoteIdent(schema)}.${quoteIdent(INDEX)}`);
    await runner.query(`ALTER TABLE ${t.messages} DROP COLUMN IF EXISTS search_vector`);
    return SEARCH_STEPS.dropped;
  }
  if (column && index) return undefined;
  if (!column) {
    await runner.query(
      `ALTER TABLE ${t.messages} ADD COLUMN search_vector tsvector ` +
        `GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, ${SEARCH_TEXT})) STORED`,
    );
  }
  if (!index) {
    await runner.query(
      `CREATE INDEX ${quoteIdent(INDEX)} ON ${t.messages} ` +
        'USING gin (org_id, user_id, search_vector) WITH (gin_pending_list_limit = 64)',
    );
  }
  return SEARCH_STEPS.rebuilt;
}

/** Whether `schema` has the search index. */
async function hasSearchIndex(runner: Pick<QueryRunner, 'query'>, schema: string): Promise<boolean> {
  const rows = (await runner.query('SELECT to_regclass($1) IS NOT NULL AS found', [
    `${quoteIdent(schema)}.${quoteIdent(INDEX)}`,
  ])) as Array<{ found: boolean }>;
  return rows[0]?.found === true;
}

/** Whether the messages table of `schema` has the search column. */
async function hasSearchColumn(runner: Pick<QueryRunner, 'query'>, schema: string): Promise<boolean> {
  const rows = (await runner.query(
    `SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'search_vector' AND NOT attisdropped`,
    [qualifiedTables(schema).messages],
  )) as unknown[];
  return rows.length > 0;
}

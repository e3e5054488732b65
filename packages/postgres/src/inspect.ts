import type { StoreInspector } from '@fluxibly/core/adapter';
import { qualifiedTables } from './schema.js';
import { THREAD_COLUMNS } from './sql/columns.js';

/**
 * A result row: column name to value. Declared here (not imported from `pg`) so this package's published types
 * need no `@types/pg`: a strict project without `skipLibCheck` compiles without it.
 */
export type QueryRow = Record<string, unknown>;

/** Anything that runs a parameterised query: a pg `Pool` or `Client` (structurally). */
export interface Queryable {
  query<R extends QueryRow>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * Raw read access to the adapter's tables: core's `StoreInspector`, read straight from the tables. `snapshot`
 * gives every thread row (by id) and every message row carrying that org (by thread id, then seq), dates as ISO
 * strings; messages are read by their own `org_id`, not through the threads, so an orphaned message shows up.
 * `messageSeqs` gives the `seq` of every message row of a thread, ascending. `remains` counts the thread rows and the
 * message rows (each carries its own `org_id`, `user_id` and search vector: the search index has no other rows) of
 * an organisation, or of one user of it.
 */
export type PostgresInspector = StoreInspector;

/**
 * An inspector over the tables in `schema`, through `client` (your own pg connection: it bypasses the
 * repository entirely).
 */
export function inspectPostgres(client: Queryable, schema: string): PostgresInspector {
  const t = qualifiedTables(schema);
  return {
    async snapshot(orgId) {
      const threads = await client.query(
        `SELECT ${THREAD_COLUMNS} FROM ${t.threads} WHERE org_id = $1 ORDER BY id COLLATE "C"`,
        [orgId],
      );
      const messages = await client.query(
        `SELECT thread_id, seq, id, org_id, user_id, role, content, name, tool_call_id, metadata, created_at, edited_at,
         status, token_count, summary_from_seq, summary_to_seq FROM ${t.messages} WHERE org_id = $1
         ORDER BY thread_id COLLATE "C", seq`,
        [orgId],
      );
      return JSON.parse(JSON.stringify({ orgId, threads: threads.rows, messages: messages.rows })) as unknown;
    },
    async remains({ orgId, userId }) {
      const where = userId === undefined ? 'org_id = $1' : 'org_id = $1 AND user_id = $2';
      const { rows } = await client.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM ${t.threads} WHERE ${where}) + (SELECT count(*) FROM ${t.messages} WHERE ${where}) AS n`,
        userId === undefined ? [orgId] : [orgId, userId],
      );
      return Number(rows[0]?.n);
    },
    async messageSeqs(threadId) {
      const { rows } = await client.query<{ seq: string }>(
        `SELECT seq FROM ${t.messages} WHERE thread_id = $1 ORDER BY seq`,
        [threadId],
      );
      return rows.map((row) => Number(row.seq));
    },
  };
}

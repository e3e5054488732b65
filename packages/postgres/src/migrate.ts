import type { DataSource } from 'typeorm';
import type { FluxiblyMigration } from './migrations/index.js';
import { fluxiblyMigrations, migrationTimestamp } from './migrations/index.js';
import { qualifiedTables, quoteIdent } from './schema.js';
import { applySearchChoice } from './search-index.js';

/**
 * Apply the shipped migrations that `schema` does not have yet, in one transaction, and return the names applied.
 *
 * Equivalent to TypeORM's `runMigrations({ transaction: 'all' })` on the adapter's own migration list, with two
 * differences that make it safe for a DataSource the caller owns and for concurrent deploys:
 * - it runs only this package's migrations and records them in `<schema>.fluxibly_migrations` (same columns as
 *   TypeORM's migrations table: `id`, `timestamp`, `name`), never touching the caller's own migrations;
 * - it first takes a transaction-scoped advisory lock (`pg_advisory_xact_lock`) keyed by the schema, so two
 *   processes migrating at once run one after the other: the second finds everything applied and does nothing.
 *
 * Creates the schema when missing. Never uses `synchronize`. `migrations` defaults to every shipped migration
 * (the upgrade test passes the first ones only, to build the previous release's schema). With
 * `options.fullTextSearch`, the same transaction then makes the search column match it (`search-index.ts`) and
 * lists that step's name after the migrations'.
 */
export async function runMigrations(
  dataSource: DataSource,
  schema: string,
  migrations: readonly FluxiblyMigration[] = fluxiblyMigrations(schema),
  options: { fullTextSearch?: boolean } = {},
): Promise<string[]> {
  const tables = qualifiedTables(schema);
  const runner = dataSource.createQueryRunner('master');
  const applied: string[] = [];
  let restore = (): void => undefined;
  try {
    restore = untimed((await runner.connect()) as PgClient | undefined);
    await runner.startTransaction();
    await runner.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`fluxibly:migrations:${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await runner.query(
      `CREATE TABLE IF NOT EXISTS ${tables.migrations} (` +
        'id SERIAL PRIMARY KEY, "timestamp" bigint NOT NULL, name character varying NOT NULL)',
    );
    const rows = (await runner.query(`SELECT name FROM ${tables.migrations}`)) as Array<{ name: string }>;
    const done = new Set(rows.map((row) => row.name));
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      await migration.up(runner);
      await runner.query(`INSERT INTO ${tables.migrations} ("timestamp", name) VALUES ($1, $2)`, [
        migrationTimestamp(migration.name),
        migration.name,
      ]);
      applied.push(migration.name);
    }
    if (options.fullTextSearch !== undefined) {
      const step = await applySearchChoice(runner, schema, options.fullTextSearch);
      if (step !== undefined) applied.push(step);
    }
    await runner.commitTransaction();
    return applied;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    restore();
    await runner.release();
  }
}

/** The part of a pg client {@link untimed} touches. */
interface PgClient {
  connectionParameters?: { query_timeout?: number };
}

/**
 * Lift pg's client-side `query_timeout` (`statementTimeoutMs`, set on pools the adapter makes) off the migration's
 * connection: an index build on a large table may take minutes, and a timed-out query would abort the migration.
 * pg reads it from `connectionParameters` at each query. Returns what puts it back, before the connection returns
 * to the pool.
 */
function untimed(client: PgClient | undefined): () => void {
  const parameters = client?.connectionParameters;
  if (parameters?.query_timeout === undefined) return () => undefined;
  const saved = parameters.query_timeout;
  parameters.query_timeout = 0;
  return () => {
    parameters.query_timeout = saved;
  };
}

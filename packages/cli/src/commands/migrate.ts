import type { ConversationRepository } from '@fluxibly/core';
import { migrateRepository } from '@fluxibly/core';
import type { CommandContext } from '../context.js';
import { withBackend } from '../context.js';

/** The part of a PostgreSQL / SQLite repository `--dry-run` reads (both expose their TypeORM `DataSource`). */
interface SqlRepository {
  dataSource: { query(sql: string): Promise<unknown>; isInitialized: boolean; initialize(): Promise<unknown> };
  schema?: string;
  tables?: { migrations?: string };
}

/** The part of `@fluxibly/postgres` / `@fluxibly/sqlite` `--dry-run` reads: the shipped migrations. */
interface MigrationsModule {
  fluxiblyMigrations(schema?: string): ReadonlyArray<{ name: string }>;
  TABLES?: { migrations?: string };
}

const ADAPTER_PACKAGES: Readonly<Record<string, string>> = {
  postgresql: '@fluxibly/postgres',
  sqlite: '@fluxibly/sqlite',
};

/** `fluxibly migrate [--dry-run]`. */
export async function migrateCommand(context: CommandContext, options: { dryRun?: boolean }): Promise<void> {
  await withBackend(context.open(), async ({ repository, backend }) => {
    if (options.dryRun === true) {
      const pending = await pendingMigrations(repository, backend);
      if (pending === undefined) {
        const hasSchema = typeof repository.migrate === 'function';
        context.result(
          { backend, hasSchema, pending: null },
          hasSchema
            ? `${backend}: cannot list pending migrations on this backend; \`fluxibly migrate\` applies what is missing (idempotent)`
            : `${backend}: no schema, nothing to migrate`,
        );
        return;
      }
      context.result(
        { backend, hasSchema: true, pending },
        pending.length === 0
          ? `${backend}: up to date`
          : [`${backend}: pending migrations:`, ...pending.map((n) => `  ${n}`)],
      );
      return;
    }
    const { hasSchema, applied } = await migrateRepository(repository);
    context.result(
      { backend, hasSchema, applied },
      !hasSchema
        ? `${backend}: no schema, nothing to migrate`
        : applied.length === 0
          ? `${backend}: up to date`
          : [`${backend}: applied:`, ...applied.map((n) => `  ${n}`)],
    );
  });
}

/**
 * The shipped migrations the store has not recorded (PostgreSQL, SQLite: their `fluxibly_migrations` table), or
 * `undefined` when this backend cannot say.
 */
async function pendingMigrations(repository: ConversationRepository, backend: string): Promise<string[] | undefined> {
  const packageName = ADAPTER_PACKAGES[backend];
  const sql = repository as unknown as Partial<SqlRepository>;
  if (packageName === undefined || typeof sql.dataSource?.query !== 'function') return undefined;
  const module = (await import(packageName)) as MigrationsModule;
  const shipped = module.fluxiblyMigrations(sql.schema).map((m) => m.name);
  const table = sql.tables?.migrations ?? module.TABLES?.migrations ?? 'fluxibly_migrations';
  let applied: Set<string>;
  try {
    // The repository connects on its first call; this read is the first (close() releases the connection).
    if (!sql.dataSource.isInitialized) await sql.dataSource.initialize();
    const rows = (await sql.dataSource.query(`SELECT name FROM ${table}`)) as Array<{ name: string }>;
    applied = new Set(rows.map((row) => row.name));
  } catch {
    applied = new Set(); // no migrations table yet: everything is pending
  }
  return shipped.filter((name) => !applied.has(name));
}

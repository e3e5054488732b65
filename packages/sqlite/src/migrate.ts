import type { Database } from 'better-sqlite3';
import type { FluxiblyMigration } from './migrations/index.js';
import { fluxiblyMigrations } from './migrations/index.js';
import { TABLES } from './schema.js';

/**
 * Apply the shipped migrations the file does not have yet, in ONE `BEGIN IMMEDIATE` transaction, and return the
 * names applied (`[]` when up to date).
 *
 * Equivalent to TypeORM's `runMigrations({ transaction: 'all' })` on the adapter's own list, recorded in
 * `fluxibly_migrations` (TypeORM's columns: `id`, `timestamp`, `name`) so the caller's own migrations are never
 * touched. The write lock taken at `BEGIN IMMEDIATE` serialises processes migrating at once: the second waits (busy
 * timeout), then finds everything applied. DDL is transactional in SQLite: a failure leaves the file as it was.
 * `migrations` defaults to every shipped migration.
 */
export function runMigrations(db: Database, migrations: readonly FluxiblyMigration[] = fluxiblyMigrations()): string[] {
  const migrate = db.transaction((): string[] => {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${TABLES.migrations} (` +
        'id INTEGER PRIMARY KEY AUTOINCREMENT, "timestamp" INTEGER NOT NULL, name TEXT NOT NULL)',
    );
    const rows = db.prepare(`SELECT name FROM ${TABLES.migrations}`).all() as Array<{ name: string }>;
    const done = new Set(rows.map((row) => row.name));
    const applied: string[] = [];
    const record = db.prepare(`INSERT INTO ${TABLES.migrations} ("timestamp", name) VALUES (?, ?)`);
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      for (const sql of migration.statements) db.exec(sql);
      record.run(migration.timestamp, migration.name);
      applied.push(migration.name);
    }
    return applied;
  });
  return migrate.immediate();
}

/**
 * The operator step before the programs run on a new database: apply the configured backend's schema once
 * (PostgreSQL: the versioned migrations; MongoDB: the indexes). Memory and Redis have no schema, so there is nothing
 * to do. Safe to run again: a second migration is a no-op.
 *
 * Run: `pnpm run migrate` with the same variables as the programs (e.g. `DB_BACKEND=postgresql DATABASE_URL=…`).
 */
import type { ConversationRepository } from '@fluxibly/core';
import { runProgram } from './support/run-program.js';

/** Adapters with a schema (`@fluxibly/postgres`, `@fluxibly/mongo`) expose `migrate()`. */
function hasMigrate(repository: ConversationRepository): repository is ConversationRepository & {
  migrate(): Promise<unknown>;
} {
  return typeof (repository as { migrate?: unknown }).migrate === 'function';
}

await runProgram(async (backend) => {
  const { repository } = backend;
  if (!hasMigrate(repository)) {
    console.log(`✓ Nothing to migrate: ${backend.config.database.backend} has no schema`);
    return;
  }
  await repository.migrate();
  console.log('✓ Schema is up to date');
});

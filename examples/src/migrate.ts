/**
 * The operator step before the programs run on a new database: apply the configured backend's schema once
 * (PostgreSQL: the versioned migrations; MongoDB: the indexes). Memory and Redis have no schema, so there is nothing
 * to do. Safe to run again: a second migration applies nothing and says so.
 *
 * Run: `pnpm run migrate` with the same variables as the programs (e.g. `DB_BACKEND=postgresql DATABASE_URL=…`).
 */
import { migrateRepository } from '@fluxibly/core';
import { runProgram } from './support/run-program.js';

await runProgram(async (backend) => {
  const { hasSchema, applied } = await migrateRepository(backend.repository);
  if (!hasSchema) {
    console.log(`✓ Nothing to migrate: ${backend.config.database.backend} has no schema`);
  } else if (applied.length === 0) {
    console.log('✓ Schema was already up to date: nothing applied');
  } else {
    console.log(`✓ Applied ${applied.length}: ${applied.join(', ')}`);
  }
});

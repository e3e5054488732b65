import type { MigrationInterface, QueryRunner } from 'typeorm';
import { qualifiedTables, quoteIdent } from '../schema.js';

/**
 * Version 5: `fluxibly_threads_by_activity` on `(updated_at, id)`, so retention across every organisation
 * (`pruneThreads` without an `orgId`) reads the least recently active threads from an index, oldest first, instead
 * of scanning every thread. A prune of one organisation uses `fluxibly_threads_by_org` `(org_id, updated_at, id)`,
 * an erase the two listing indexes: they need nothing new.
 *
 * Cost: every write to a thread moves its `updated_at`, already a key of both listing indexes (so those updates were
 * never HOT); this adds one more index entry per thread write. No table is rewritten. The index is built inside the
 * migration's transaction, as migration 0004's is: writes to `fluxibly_threads` wait for the build (one entry per
 * thread: seconds for a million threads).
 */
export function activityIndex(schema: string): MigrationInterface {
  const t = qualifiedTables(schema);
  return {
    name: 'FluxiblyActivityIndex1765152000000',
    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`CREATE INDEX ${quoteIdent('fluxibly_threads_by_activity')} ON ${t.threads} (updated_at, id)`);
    },
    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP INDEX ${quoteIdent(schema)}.${quoteIdent('fluxibly_threads_by_activity')}`);
    },
  };
}

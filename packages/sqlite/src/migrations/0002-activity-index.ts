import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TABLES as T } from '../schema.js';

/**
 * Version 2: `(updated_at, id)` on the threads, so retention across every organisation (`pruneThreads` without an
 * `orgId`) reads the least recently active threads from an index instead of scanning them all. Pruning one
 * organisation uses `fluxibly_threads_by_org`; erasing a user or an organisation uses the two listing indexes.
 */
export const ACTIVITY_INDEX: readonly string[] = [
  `CREATE INDEX fluxibly_threads_by_activity ON ${T.threads} (updated_at, id)`,
];

/** {@link ACTIVITY_INDEX} as a TypeORM migration. */
export const activityIndex: MigrationInterface & { name: string } = {
  name: 'FluxiblySqliteActivityIndex1765152000000',
  async up(runner: QueryRunner): Promise<void> {
    for (const sql of ACTIVITY_INDEX) await runner.query(sql);
  },
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX fluxibly_threads_by_activity');
  },
};

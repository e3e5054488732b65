import type { MigrationInterface } from 'typeorm';
import { INITIAL_SCHEMA, initialSchema } from './0001-initial-schema.js';
import { ACTIVITY_INDEX, activityIndex } from './0002-activity-index.js';

/**
 * A shipped migration: its TypeORM-style name (ending in a 13-digit timestamp), its steps as TypeORM's `up`/`down`
 * (to run from your own TypeORM setup) and as plain SQL `statements` (what `migrate()` runs, in one
 * `BEGIN IMMEDIATE` transaction).
 */
export interface FluxiblyMigration extends MigrationInterface {
  readonly name: string;
  readonly statements: readonly string[];
  /** What the migrations table records as its `timestamp` (the 13 digits the name ends with). */
  readonly timestamp: number;
}

/** Every migration of this package, oldest first. Names are what the migrations table records. */
export function fluxiblyMigrations(): FluxiblyMigration[] {
  return [
    { ...initialSchema, statements: INITIAL_SCHEMA, timestamp: 1764979200000 },
    { ...activityIndex, statements: ACTIVITY_INDEX, timestamp: 1765152000000 },
  ];
}

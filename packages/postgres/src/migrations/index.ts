import type { MigrationInterface } from 'typeorm';
import { initialSchema } from './0001-initial-schema.js';
import { messageIdKey } from './0002-message-id-key.js';
import { tenantSearch } from './0003-tenant-search.js';
import { contractV2 } from './0004-contract-v2.js';
import { activityIndex } from './0005-activity-index.js';

/** A shipped migration: its TypeORM-style name (ending in a 13-digit timestamp) and its steps. */
export interface FluxiblyMigration extends MigrationInterface {
  readonly name: string;
}

/**
 * Every migration of this package for one schema, oldest first. Names end in a 13-digit timestamp as TypeORM
 * expects, and are what the migrations table records.
 */
export function fluxiblyMigrations(schema: string): FluxiblyMigration[] {
  return [
    initialSchema(schema),
    messageIdKey(schema),
    tenantSearch(schema),
    contractV2(schema),
    activityIndex(schema),
  ] as FluxiblyMigration[];
}

/** The timestamp TypeORM records for a migration: the 13 digits its name ends with. */
export function migrationTimestamp(name: string): number {
  const match = /(\d{13})$/.exec(name);
  return match === null ? 0 : Number(match[1]);
}

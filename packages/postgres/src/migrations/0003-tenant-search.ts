import type { MigrationInterface, QueryRunner } from 'typeorm';
import { errorCode } from '../errors.js';
import { qualifiedTables, quoteIdent } from '../schema.js';

/** SQLSTATEs of "you may not create this extension": insufficient privilege, or its files are not installed. */
const CANNOT_CREATE_EXTENSION = new Set(['42501', '58P01', '0A000']);

/**
 * Version 3: search whose cost is bounded by the searching tenant's own data.
 *
 * Version 1 indexed `search_vector` alone (GIN) and filtered `org_id`/`user_id` afterwards, so a search read the
 * posting list of every tenant's rows holding the word (a victim with 2 messages searching a word that another
 * tenant has in 200k rows read all 200k). This migration replaces that index with one GIN index on
 * `(org_id, user_id, search_vector)`: GIN intersects the tenant's entries with the word's, skipping through the
 * large posting lists, so the scan returns only the tenant's matches. `org_id`/`user_id` in a GIN index need the
 * `btree_gin` extension (in PostgreSQL's contrib; trusted since PostgreSQL 13, so a role with `CREATE` on the
 * database may create it). It is created with `IF NOT EXISTS` in the database's default schema and never dropped
 * (other schemas may use it). The old index is dropped after the new one is built.
 *
 * `gin_pending_list_limit = 64` (kB, the least PostgreSQL allows): new rows first go to the index's unsorted
 * pending list, which EVERY search reads whole, whoever wrote it; at the default 4 MB a search among a busy
 * tenant's fresh rows read hundreds of pages (and the planner, counting them, chose a sequential scan of the whole
 * table). At 64 kB a search reads at most 8 pending pages; inserts flush it more often (measured: 27 µs per message
 * against 23 µs at 4 MB; `fastupdate = off` cost 98 µs).
 */
export function tenantSearch(schema: string): MigrationInterface {
  const t = qualifiedTables(schema);
  return {
    name: 'FluxiblyTenantSearch1764979200001',
    async up(runner: QueryRunner): Promise<void> {
      await runner.query('SAVEPOINT fluxibly_btree_gin');
      try {
        await runner.query('CREATE EXTENSION IF NOT EXISTS btree_gin');
        await runner.query('RELEASE SAVEPOINT fluxibly_btree_gin');
      } catch (error) {
        await runner.query('ROLLBACK TO SAVEPOINT fluxibly_btree_gin');
        const code = errorCode(error);
        if (code === undefined || !CANNOT_CREATE_EXTENSION.has(code)) throw error;
        throw new Error(
          `migration FluxiblyTenantSearch needs the btree_gin extension (PostgreSQL contrib) and could not create ` +
            `it (${code}: ${error instanceof Error ? error.message : String(error)}); have a superuser (or the ` +
            `database owner) run CREATE EXTENSION btree_gin; in this database, then run migrate() again`,
          { cause: error },
        );
      }
      await runner.query(
        `CREATE INDEX ${quoteIdent('fluxibly_messages_tenant_search')} ON ${t.messages} ` +
          'USING gin (org_id, user_id, search_vector) WITH (gin_pending_list_limit = 64)',
      );
      await runner.query(`DROP INDEX ${quoteIdent(schema)}.${quoteIdent('fluxibly_messages_search')}`);
    },
    async down(runner: QueryRunner): Promise<void> {
      await runner.query(
        `CREATE INDEX ${quoteIdent('fluxibly_messages_search')} ON ${t.messages} USING gin (search_vector)`,
      );
      await runner.query(`DROP INDEX ${quoteIdent(schema)}.${quoteIdent('fluxibly_messages_tenant_search')}`);
    },
  };
}

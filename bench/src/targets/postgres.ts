import { randomBytes } from 'node:crypto';
import type { ConversationRepository } from '@fluxibly/core';
import { PostgresConversationRepository } from '@fluxibly/postgres';
import pg from 'pg';
import { PostgresFloor } from '../floors/postgres-floor.js';
import { repositorySubject } from '../repository-subject.js';
import { walReport } from './postgres-wal.js';
import type { AdapterTarget } from './target.js';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The repository, with one `ANALYZE` of its tables before its first `getMessages`: the same treatment the floor
 * gives itself (see `postgres-floor.ts`), so both sides read with the planner statistics a live database has
 * (autovacuum would gather them within a minute) instead of the guesses for a just-filled table. Autovacuum's
 * `ANALYZE` also merges a GIN index's pending list (a manual one does not), so the search index's is merged too
 * (`gin_clean_pending_list`): W5 then times the state autovacuum leaves, not whatever the fill's last 64 kB of rows
 * left unmerged (that bounded cost is in the postgres README). It runs in a warm-up repetition, never in a timed one.
 */
function analyzeBeforeFirstRead(
  repository: PostgresConversationRepository,
  admin: pg.Pool,
  schema: string,
): ConversationRepository {
  let analyzed = false;
  const getMessages: ConversationRepository['getMessages'] = async (scope, input) => {
    if (!analyzed) {
      analyzed = true;
      await admin.query(`ANALYZE "${schema}".fluxibly_messages`);
      await admin.query(`ANALYZE "${schema}".fluxibly_threads`);
      // No index without search (fullTextSearch: false).
      await admin.query('SELECT gin_clean_pending_list(i) FROM to_regclass($1) AS i WHERE i IS NOT NULL', [
        `"${schema}".fluxibly_messages_tenant_search`,
      ]);
    }
    return repository.getMessages(scope, input);
  };
  return new Proxy(repository, {
    get: (target, property) => {
      if (property === 'getMessages') return getMessages;
      const value = Reflect.get(target, property, target) as unknown;
      // Methods run on the repository itself: its private fields are not on the proxy.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * `@fluxibly/postgres` against the bare `pg` driver, on the server `DATABASE_URL` names (default the loopback
 * `test` database). Every repository and every floor gets a fresh schema (the repository's migrated with
 * `migrate()`); `cleanup()` drops them all. `fullTextSearch` is the repository's option: `postgres` runs the
 * default (search on), `postgres-nosearch` a schema migrated without the search column and index.
 */
function postgresTargetWith(name: string, fullTextSearch: boolean): AdapterTarget {
  return {
    name,
    scaleCheckMessages: 100_000,
    setup: () => setupPostgres(fullTextSearch),
  };
}

/** The default repository (with full-text search). */
export const postgresTarget: AdapterTarget = postgresTargetWith('postgres', true);
/** The repository with `fullTextSearch: false` (issue 16: what a deployment that never searches gains). */
export const postgresNoSearchTarget: AdapterTarget = postgresTargetWith('postgres-nosearch', false);

async function setupPostgres(fullTextSearch: boolean): ReturnType<AdapterTarget['setup']> {
  const url = process.env.DATABASE_URL ?? DEFAULT_URL;
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  let version: string;
  try {
    const { rows } = await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    version = rows[0]?.v ?? '?';
  } catch (error) {
    await admin.end();
    throw error;
  }
  const run = randomBytes(4).toString('hex');
  const schemas: string[] = [];
  const repositories: PostgresConversationRepository[] = [];
  const floorPools: pg.Pool[] = [];
  const freshSchema = (kind: string): string => {
    const schema = `fluxibly_bench_${run}_${kind}_${schemas.length}`;
    schemas.push(schema);
    return schema;
  };
  let cleaned = false;
  const createRepository = async (): Promise<ConversationRepository> => {
    const schema = freshSchema('adapter');
    const repository = new PostgresConversationRepository({ url, schema, poolSize: 32, fullTextSearch });
    await repository.migrate();
    repositories.push(repository);
    return analyzeBeforeFirstRead(repository, admin, schema);
  };
  const createFloor = async () => {
    const pool = new pg.Pool({ connectionString: url, max: 32 });
    floorPools.push(pool);
    return PostgresFloor.create(pool, freshSchema('floor'));
  };
  return {
    description: `postgres ${version} at ${new URL(url).host}${fullTextSearch ? '' : ', fullTextSearch: false'}`,
    createRepository,
    createFloor,
    async extraReport() {
      const repository = repositorySubject(await createRepository());
      const floor = await createFloor();
      return [await walReport(admin, repository, floor, fullTextSearch ? 'postgres' : 'postgres-nosearch')];
    },
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      for (const repository of repositories) await repository.close();
      for (const pool of floorPools) await pool.end();
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

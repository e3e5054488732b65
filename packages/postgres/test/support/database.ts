import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresConversationRepository } from '../../src/index.js';
import type { PostgresRepositoryOptions } from '../../src/index.js';

/** The server the tests use: `DATABASE_URL`, else the loopback default. */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** True in CI, where a missing server is a failure rather than a skip. */
export const IN_CI = process.env.CI === 'true';

/** The server's version and address, or the reason it cannot be reached (after polling with a deadline). */
export async function probeServer(
  url = DATABASE_URL,
  deadlineMs = 5_000,
): Promise<{ target: string } | { reason: string }> {
  const deadline = Date.now() + deadlineMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      const address = new URL(url);
      return { target: `postgres ${rows[0]?.v ?? '?'} at ${address.hostname}:${address.port || '5432'}` };
    } catch (error) {
      last = error;
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    reason: `PostgreSQL not reachable at ${new URL(url).host}: ${String((last as Error | undefined)?.message)}`,
  };
}

/** A fresh, unique schema name for one test run. */
export function freshSchema(prefix = 'fluxibly_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A raw pg pool for setup, inspection and teardown (never the adapter's). */
export function rawPool(url = DATABASE_URL): pg.Pool {
  return new pg.Pool({ connectionString: url, max: 4 });
}

/** Drop a schema and everything in it (tables, migrations table). */
export async function dropSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema.replaceAll('"', '""')}" CASCADE`);
}

/** A repository on the test server in `schema`. */
export function repositoryIn(schema: string, options: PostgresRepositoryOptions = {}): PostgresConversationRepository {
  return new PostgresConversationRepository({
    url: DATABASE_URL,
    schema,
    applicationName: 'fluxibly_test',
    ...options,
  });
}

import { runConformanceSuite } from '@fluxibly/conformance';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PostgresConversationRepository, inspectPostgres } from '../src/index.js';
import { IN_CI, dropSchema, freshSchema, probeServer, rawPool, repositoryIn } from './support/database.js';

/**
 * The whole conformance suite against the real PostgreSQL server, in a fresh schema made (and migrated with
 * `migrate()`) for this run and dropped afterwards. Every instance opens its own pool, as separate processes do.
 */
const probe = await probeServer();
if ('reason' in probe && IN_CI) throw new Error(probe.reason);

if ('reason' in probe) {
  describe.skip(`postgres conformance (skipped: ${probe.reason})`, () => {
    it('needs a server', () => undefined);
  });
} else {
  console.log(`conformance target: ${probe.target}`);
  const schema = freshSchema();
  const pool = rawPool();
  const secret = 'not-the-real-password-7f3a';

  beforeAll(async () => {
    const setup = repositoryIn(schema);
    await setup.migrate();
    await setup.close();
  });

  afterAll(async () => {
    await pool.end();
  });

  runConformanceSuite<PostgresConversationRepository>({
    name: probe.target,
    create: async () => repositoryIn(schema, { poolSize: 4 }),
    destroy: (repository) => repository.close(),
    capabilities: { fullTextSearch: true, ttl: false },
    inspect: () => inspectPostgres(pool, schema),
    unavailable: {
      // A closed loopback port, with a password in the URL that must never show in an error.
      create: async () =>
        new PostgresConversationRepository({
          url: `postgres://postgres:${secret}@127.0.0.1:1/test`,
          schema,
          connectTimeoutMs: 2_000,
        }),
      secret,
    },
    teardown: () => dropSchema(pool, schema),
  });
}

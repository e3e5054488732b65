import { runConformanceSuite } from '@fluxibly/conformance';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { PostgresConversationRepository } from '../src/index.js';
import { inspectPostgres } from '../src/index.js';
import { IN_CI, dropSchema, freshSchema, probeServer, rawPool, repositoryIn } from './support/database.js';

/**
 * The whole conformance suite again, on a schema migrated with `fullTextSearch: false` (no search column or
 * index): the capability is declared off, so the suite checks that search is refused with `UnsupportedError` and
 * that every other promise holds unchanged. (Connection failures and secrets are covered by `conformance.test.ts`.)
 */
const probe = await probeServer();
if ('reason' in probe && IN_CI) throw new Error(probe.reason);

if ('reason' in probe) {
  describe.skip(`postgres conformance without search (skipped: ${probe.reason})`, () => {
    it('needs a server', () => undefined);
  });
} else {
  const schema = freshSchema('fx_conf_nosearch');
  const pool = rawPool();

  beforeAll(async () => {
    const setup = repositoryIn(schema, { fullTextSearch: false });
    await setup.migrate();
    await setup.close();
  });

  afterAll(async () => {
    await pool.end();
  });

  runConformanceSuite<PostgresConversationRepository>({
    name: `${probe.target}, fullTextSearch: false`,
    create: async () => repositoryIn(schema, { poolSize: 4, fullTextSearch: false }),
    destroy: (repository) => repository.close(),
    capabilities: { fullTextSearch: false, ttl: false },
    inspect: () => inspectPostgres(pool, schema),
    teardown: async () => {
      await dropSchema(pool, schema);
    },
  });
}

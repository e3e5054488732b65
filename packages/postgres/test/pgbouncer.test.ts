import { runConformanceSuite } from '@fluxibly/conformance';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PostgresConversationRepository, inspectPostgres } from '../src/index.js';
import { DATABASE_URL, IN_CI, dropSchema, freshSchema, probeServer, rawPool } from './support/database.js';
import type { RunningPgBouncer } from './support/pgbouncer.js';
import { pgBouncerMissing, startPgBouncer } from './support/pgbouncer.js';

/**
 * The conformance suite through a private PgBouncer in transaction pooling mode (each statement may land on a
 * different server connection; no session state survives), with `preparedStatements: false`. Lower intensity:
 * the full-strength run is `conformance.test.ts`.
 */
const probe = await probeServer();
const missing = 'reason' in probe ? probe.reason : pgBouncerMissing();
if (missing !== undefined && IN_CI) throw new Error(missing);

if (missing !== undefined) {
  describe.skip(`conformance through pgbouncer (skipped: ${missing})`, () => {
    it('needs pgbouncer and a server', () => undefined);
  });
} else {
  const schema = freshSchema('fluxibly_pgbouncer');
  const pool = rawPool();
  const server = new URL(DATABASE_URL);
  let bouncer: RunningPgBouncer | undefined;

  beforeAll(async () => {
    bouncer = await startPgBouncer({
      host: server.hostname,
      port: Number(server.port || 5432),
      user: decodeURIComponent(server.username || 'postgres'),
      database: server.pathname.slice(1),
    });
    console.log(`conformance through pgbouncer (transaction mode) at ${new URL(bouncer.url).host}`);
    const setup = new PostgresConversationRepository({ url: bouncer.url, schema, preparedStatements: false });
    await setup.migrate();
    await setup.close();
  }, 30_000);

  afterAll(async () => {
    await bouncer?.stop();
    await dropSchema(pool, schema);
    await pool.end();
  });

  runConformanceSuite<PostgresConversationRepository>({
    name: `pgbouncer (transaction mode) in front of ${'target' in probe ? probe.target : ''}`,
    create: async () =>
      new PostgresConversationRepository({
        url: bouncer?.url ?? '',
        schema,
        preparedStatements: false,
        poolSize: 4,
        applicationName: 'fluxibly_pgbouncer_test',
      }),
    destroy: (repository) => repository.close(),
    capabilities: { fullTextSearch: true, ttl: false },
    inspect: () => inspectPostgres(pool, schema),
    intensity: 0.5,
    skip: {
      'state-manager': 'end-to-end group: runs once per adapter, in conformance.test.ts',
      'conversation-history': 'end-to-end group: runs once per adapter, in conformance.test.ts',
    },
  });
}

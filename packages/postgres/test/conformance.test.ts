import { runConformanceSuite } from '@fluxibly/conformance';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PostgresConversationRepository, inspectPostgres } from '../src/index.js';
import { IN_CI, dropSchema, freshSchema, probeServer, rawPool, repositoryIn } from './support/database.js';
import type { PrivateServer } from './support/private-server.js';
import { privateServerMissing, startPrivateServer } from './support/private-server.js';

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
  // The local server trusts 127.0.0.1 (any password connects): an auth failure needs a private server that checks
  // passwords (scram-sha-256), started on first use. Without the server binaries, locally, the auth-failure case is
  // left out (the secrets spec still runs with the unreachable one); under CI=true they are required.
  const missing = privateServerMissing();
  if (missing !== undefined && IN_CI) throw new Error(missing);
  let checking: Promise<PrivateServer> | undefined;

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
    secrets: {
      secret,
      unreachable: async () =>
        new PostgresConversationRepository({ url: `postgres://postgres:${secret}@127.0.0.1:1/test`, schema }),
      ...(missing === undefined
        ? {
            authFailure: async () => {
              checking ??= startPrivateServer({ password: 'the-right-one-9c1e' });
              const server = await checking;
              return new PostgresConversationRepository({ url: server.url('postgres', secret), schema });
            },
          }
        : {}),
    },
    teardown: async () => {
      await dropSchema(pool, schema);
      if (checking !== undefined) await (await checking).stop();
    },
  });
}

import { inspect } from 'node:util';
import { FluxiblyError, StateConfig, UnavailableError } from '@fluxibly/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresConversationRepository, createRepositoryFromConfig } from '../src/index.js';
import { IN_CI } from './support/database.js';
import { freePort } from './support/pgbouncer.js';
import type { PrivateServer } from './support/private-server.js';
import { privateServerMissing, startPrivateServer } from './support/private-server.js';

/**
 * Issue 9 item 1: no printable surface of the repository, of an error or of its whole `cause` chain holds the
 * password — for a wrong password, an unreachable server and a closed repository. The local server trusts
 * 127.0.0.1 (any password connects), so this runs against a private server with scram-sha-256 authentication.
 */
const missing = privateServerMissing();
if (missing !== undefined && IN_CI) throw new Error(missing);

const SECRET = 'hunter2-SECRET';
const scope = { orgId: 'org-secret', userId: 'user-secret' };

/** Every way a value is printed: `String`, `util.inspect` at any depth, `JSON.stringify`, the stack. */
function printed(value: unknown): string[] {
  const out = [String(value), inspect(value, { depth: null, showHidden: true }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) out.push(value.stack ?? '');
  return out;
}

/** The error and its whole `cause` chain, each printed every way. */
function printedChain(error: unknown): string[] {
  const out: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    out.push(...printed(e));
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => new Error('expected a failure'),
    (error: unknown) => error,
  );
}

function expectNoSecret(texts: readonly string[], label: string): void {
  for (const text of texts) expect(text.includes(SECRET), `${label}: ${text.slice(0, 200)}`).toBe(false);
}

if (missing !== undefined) {
  describe.skip(`secrets (skipped: ${missing})`, () => {
    it('needs the PostgreSQL server binaries', () => undefined);
  });
} else {
  let server: PrivateServer;
  beforeAll(async () => {
    server = await startPrivateServer({ password: 'the-right-password' });
    console.log(`secrets: private postgres (scram-sha-256) at 127.0.0.1:${server.port}`);
  }, 60_000);
  afterAll(async () => server.stop(), 30_000);

  describe('secrets', () => {
    it('a wrong password: the UnavailableError and its causes never hold it', async () => {
      const byUrl = new PostgresConversationRepository({ url: server.url('postgres', SECRET), schema: 's' });
      const byFields = new PostgresConversationRepository({
        host: '127.0.0.1',
        port: server.port,
        user: 'postgres',
        password: SECRET,
        database: 'postgres',
        schema: 's',
      });
      const config = StateConfig.fromEnv({
        DB_BACKEND: 'postgresql',
        DATABASE_URL: server.url('postgres', SECRET),
      }).database;
      const byConfig = await createRepositoryFromConfig(config, { schema: 's' });
      for (const [label, repository] of [
        ['url', byUrl],
        ['fields', byFields],
        ['config', byConfig],
      ] as const) {
        const error = await failure(repository.getThread(scope, 't'));
        expect(error, label).toBeInstanceOf(UnavailableError);
        expect((error as Error).message, label).toMatch(/password authentication failed/);
        expectNoSecret(printedChain(error), `${label} error`);
        expectNoSecret(printed(repository), `${label} repository`);
        await repository.close();
        const closed = await failure(repository.getThread(scope, 't'));
        expect((closed as Error).message).toBe('repository is closed');
        expectNoSecret([...printedChain(closed), ...printed(repository)], `${label} closed`);
      }
    });

    it('an unreachable server: the error and the repository never hold the password', async () => {
      const port = await freePort();
      const repository = new PostgresConversationRepository({
        url: `postgres://postgres:${SECRET}@127.0.0.1:${port}/postgres`,
        connectTimeoutMs: 2_000,
      });
      const error = await failure(repository.listThreads(scope));
      expect(error).toBeInstanceOf(FluxiblyError);
      expectNoSecret(printedChain(error), 'unreachable error');
      expectNoSecret(printed(repository), 'unreachable repository');
      await repository.close();
    });

    it('a working repository prints its schema, never its connection', async () => {
      const repository = new PostgresConversationRepository({
        url: server.url('postgres', 'the-right-password'),
        schema: 'printed',
        migrate: true,
      });
      try {
        await repository.listThreads(scope);
        for (const text of printed(repository)) expect(text.includes('the-right-password'), text).toBe(false);
        // The DataSource you get back is yours, credentials included (documented).
        expect(repository.dataSource.isInitialized).toBe(true);
      } finally {
        await repository.close();
      }
    });
  });
}

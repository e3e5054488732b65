import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { createRepository, StateConfig, UnavailableError } from '@fluxibly/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConversationRepository } from '../src/index.js';
import { closedPort } from './support/redis.js';
import type { PrivateServer } from './support/private-server.js';
import { privateServersAvailable, startPrivateServer } from './support/private-server.js';

/**
 * No printable surface of a repository, of an error it throws, or of that error's whole `cause` chain holds a
 * password: against a private `redis-server --requirepass`, for a wrong password, an unreachable server and a
 * closed repository, with the password in a URL, in `redisOptions` and in a caller-owned client.
 */
const PASSWORD = `pw-${randomUUID()}`;
const WRONG = `wrong:pw/@${randomUUID()}`;
const scope = { orgId: 'secrets', userId: 'u' };

/** Every way a value is commonly printed: String, util.inspect (every depth, hidden too), JSON, and stacks. */
function printed(value: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (item: unknown): void => {
    if (seen.has(item)) return;
    seen.add(item);
    out.push(String(item), inspect(item), inspect(item, { depth: null, showHidden: true }));
    try {
      out.push(JSON.stringify(item) ?? '');
    } catch (error) {
      out.push(`JSON.stringify threw ${String(error)}`);
    }
    if (item instanceof Error) {
      out.push(item.stack ?? '');
      visit(item.cause);
      for (const inner of (item as { errors?: unknown[] }).errors ?? []) visit(inner);
    }
  };
  visit(value);
  return out;
}

function expectNoSecret(value: unknown, ...secrets: string[]): void {
  for (const text of printed(value)) {
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
    }
  }
}

async function failure(call: Promise<unknown>): Promise<unknown> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UnavailableError);
  return error;
}

if (privateServersAvailable('secrets')) {
  describe('secrets never printed (private redis-server --requirepass)', () => {
    let server: PrivateServer;
    beforeAll(async () => {
      server = await startPrivateServer(['--requirepass', PASSWORD]);
    });
    afterAll(async () => server?.stop());

    const url = (password: string, port = server.port): string =>
      `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`;

    it('a working repository opened from a URL with the password prints no password', async () => {
      const repository = new RedisConversationRepository({ url: url(PASSWORD), keyPrefix: `s:${randomUUID()}:` });
      expect(await repository.getThread(scope, 'none')).toBeNull();
      expectNoSecret(repository, PASSWORD);
      await repository.close();
      expectNoSecret(repository, PASSWORD);
    });

    it('through createRepository(REDIS_URL): the repository prints no password', async () => {
      const config = StateConfig.fromEnv({ DB_BACKEND: 'redis', REDIS_URL: url(PASSWORD) }).database;
      const repository = await createRepository(config, { adapterOptions: { keyPrefix: `s:${randomUUID()}:` } });
      expect(await repository.getThread(scope, 'none')).toBeNull();
      expectNoSecret(repository, PASSWORD);
      await repository.close();
    });

    it("a caller-owned client's password does not show through the repository", async () => {
      const client = new Redis({ port: server.port, host: '127.0.0.1', password: PASSWORD });
      const repository = new RedisConversationRepository({ client });
      expect(await repository.getThread(scope, 'none')).toBeNull();
      expectNoSecret(repository, PASSWORD);
      await repository.close();
      await client.quit();
    });

    it('a wrong password in the URL: UNAVAILABLE, and no surface of the error or its causes holds it', async () => {
      const repository = new RedisConversationRepository({ url: url(WRONG) });
      const error = await failure(repository.getThread(scope, 'x'));
      expectNoSecret(error, WRONG, PASSWORD);
      expectNoSecret(repository, WRONG);
      await repository.close();
    });

    it('a wrong password in redisOptions: the same', async () => {
      const repository = new RedisConversationRepository({
        url: `redis://127.0.0.1:${server.port}`,
        redisOptions: { password: WRONG },
      });
      const error = await failure(
        repository.appendMessages(scope, { threadId: 't', messages: [{ role: 'user', content: 'x' }] }),
      );
      expectNoSecret(error, WRONG);
      expectNoSecret(repository, WRONG);
      await repository.close();
    });

    it('an unreachable server with a password in the URL: the same', async () => {
      const repository = new RedisConversationRepository({ url: url(PASSWORD, await closedPort()) });
      const error = await failure(repository.listThreads(scope));
      expectNoSecret(error, PASSWORD);
      expectNoSecret(repository, PASSWORD);
      await repository.close();
    });

    it('a closed repository: the same', async () => {
      const repository = new RedisConversationRepository({ url: url(PASSWORD) });
      await repository.close();
      const error = await failure(repository.getThread(scope, 'x'));
      expect(error).toMatchObject({ message: 'repository is closed' });
      expectNoSecret(error, PASSWORD);
      expectNoSecret(repository, PASSWORD);
    });
  });
}

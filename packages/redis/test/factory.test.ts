import { randomUUID } from 'node:crypto';
import { createRepository, StateConfig, ValidationError } from '@fluxibly/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRepositoryFromConfig, RedisConversationRepository } from '../src/index.js';
import { clientOf } from '../src/internal.js';
import { IN_CI, probeStandalone, REDIS_URL, removePrefix, runPrefix } from './support/redis.js';

/** `createRepository` with `DB_BACKEND=redis`, and the options the factory passes on. */
const version = await probeStandalone();
if (version === undefined && IN_CI) throw new Error(`redis at ${REDIS_URL} is required when CI=true`);

describe('createRepositoryFromConfig', () => {
  it('rejects a config of another backend', async () => {
    await expect(createRepositoryFromConfig({ backend: 'memory' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('rejects a URL that is not redis://', () => {
    expect(() => new RedisConversationRepository({ url: 'http://127.0.0.1:6379' })).toThrow(/url/u);
  });
});

describe.skipIf(version === undefined)(
  version === undefined
    ? `factory: skipped, redis at ${REDIS_URL} is not reachable`
    : 'createRepository(DB_BACKEND=redis)',
  () => {
    const keyPrefix = runPrefix('factory');
    const admin = new Redis(REDIS_URL);
    afterAll(async () => {
      await removePrefix(admin, keyPrefix);
      await admin.quit();
    });

    it('returns a RedisConversationRepository with the given key prefix and TTL; close() closes its client', async () => {
      const config = StateConfig.fromEnv({ DB_BACKEND: 'redis', REDIS_URL }).database;
      const repository = await createRepository(config, { adapterOptions: { keyPrefix, ttlSeconds: 120 } });
      expect(repository).toBeInstanceOf(RedisConversationRepository);
      expect(repository.capabilities).toEqual({ fullTextSearch: false, ttl: true });
      const scope = { orgId: `org-${randomUUID()}`, userId: 'u' };
      const thread = await repository.createThread(scope);
      expect(await admin.exists((repository as RedisConversationRepository).keys.thread(thread.id).thread)).toBe(1);
      expect((repository as RedisConversationRepository).keys.prefix).toBe(keyPrefix);
      await repository.close();
      expect(clientOf(repository as RedisConversationRepository).status).toMatch(/end|close/u);
      await expect(repository.getThread(scope, thread.id)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    });

    it("never closes a caller's client", async () => {
      const client = new Redis(REDIS_URL);
      const repository = new RedisConversationRepository({ client, keyPrefix });
      await repository.createThread({ orgId: 'o', userId: 'u' });
      await repository.close();
      await repository.close();
      expect(await client.ping()).toBe('PONG');
      await client.quit();
    });
  },
);

import { UnavailableError, ValidationError } from '@fluxibly/core';
import { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRepositoryFromConfig, RedisConversationRepository } from '../src/index.js';
import { closedPort } from './support/redis.js';

/**
 * Every call settles (issue 9, item 2), without any server: a Redis Cluster whose only node is a closed loopback
 * port keeps commands queued for ever in ioredis; the repository's deadline (`connectTimeoutMs +
 * commandTimeoutMs`) and `close()` settle them anyway, for a cluster it opened and for a caller's. A hang fails
 * by the test's timeout.
 */
const scope = { orgId: 'settle', userId: 'u' };
const FAST = { commandTimeoutMs: 1_000, connectTimeoutMs: 500 };

async function unreachableNodes(): Promise<{ host: string; port: number }[]> {
  return [{ host: '127.0.0.1', port: await closedPort() }];
}

describe('timeout options', () => {
  it.each([
    ['commandTimeoutMs', 0],
    ['commandTimeoutMs', -5],
    ['commandTimeoutMs', Number.NaN],
    ['commandTimeoutMs', '1000'],
    ['connectTimeoutMs', 0],
    ['connectTimeoutMs', Number.POSITIVE_INFINITY],
    ['connectTimeoutMs', 2e9],
  ])('%s = %s is a ValidationError naming it', (field, value) => {
    const make = (): unknown => new RedisConversationRepository({ url: 'redis://127.0.0.1:1', [field]: value });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(expect.objectContaining({ field }) as Error);
  });

  it('createRepository passes them on (and they are validated)', async () => {
    await expect(
      createRepositoryFromConfig({ backend: 'redis', url: 'redis://127.0.0.1:1' }, { commandTimeoutMs: -1 }),
    ).rejects.toMatchObject({ code: 'VALIDATION', field: 'commandTimeoutMs' });
  });
});

describe('a Redis Cluster with no reachable master', { timeout: 20_000 }, () => {
  it('every call settles UNAVAILABLE within the configured bound (a cluster the repository opens)', async () => {
    const repository = new RedisConversationRepository({ cluster: { nodes: await unreachableNodes() }, ...FAST });
    const calls = [
      repository.getThread(scope, 'x'),
      repository.createThread(scope),
      repository.listThreads(scope),
      repository.appendMessages(scope, { threadId: 'x', messages: [{ role: 'user', content: 'hi' }] }),
    ];
    for (const call of calls) await expect(call).rejects.toBeInstanceOf(UnavailableError);
    await repository.close();
  });

  it("a caller's cluster cannot hang a call either", async () => {
    const client = new Cluster(await unreachableNodes()); // ioredis defaults: queues commands while it retries
    client.on('error', () => undefined);
    const repository = new RedisConversationRepository({ client, ...FAST });
    await expect(repository.getThread(scope, 'x')).rejects.toBeInstanceOf(UnavailableError);
    await repository.close();
    client.disconnect();
  });

  it("close() settles every pending call with UnavailableError('repository is closed')", async () => {
    // Default timeouts (40 s bound): only close() can settle these within the test's timeout.
    const repository = new RedisConversationRepository({ cluster: { nodes: await unreachableNodes() } });
    const pending = [repository.getThread(scope, 'x'), repository.listOrgThreads({ orgId: 'settle' })];
    await repository.close();
    for (const call of pending) {
      await expect(call).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'repository is closed' });
    }
    await expect(repository.getThread(scope, 'x')).rejects.toMatchObject({ message: 'repository is closed' });
  });
});

import { randomUUID } from 'node:crypto';
import type { WriteFailure } from '@fluxibly/core';
import { ConversationHistory, FluxiblyError, StateManager, ValidationError } from '@fluxibly/core';
import { RedisConversationRepository } from '@fluxibly/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrivateRedisServer } from './private-redis-server.js';
import { HAS_REDIS_SERVER, privateRedisServer } from './private-redis-server.js';

/**
 * ConversationHistory against a real backend that goes away and comes back: a redis-server of this test's own
 * (free loopback port, append-only file in a temporary directory) is stopped while messages are added and started
 * again. It lives here, not in core, because core cannot depend on an adapter (core → redis → core is a cycle);
 * core's unit tests cover the same rules with a stand-in. Under `CI=true` a missing `redis-server` fails; locally
 * it is a one-line skip.
 */
if (!HAS_REDIS_SERVER && process.env.CI === 'true') throw new Error('redis-server is required when CI=true');

const DEADLINE_MS = 20_000;

/** Poll `check` until it is true, failing with `what` after the deadline. */
async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!HAS_REDIS_SERVER)(
  HAS_REDIS_SERVER
    ? 'ConversationHistory on a private redis-server that is stopped and started'
    : 'ConversationHistory server restart (skipped: no redis-server binary)',
  () => {
    let server: PrivateRedisServer;
    let repository: RedisConversationRepository;

    beforeAll(async () => {
      server = await privateRedisServer();
      await server.start();
      console.log(`redis-server (private, append-only) at ${server.url}`);
      repository = new RedisConversationRepository({ url: server.url });
    });

    afterAll(async () => {
      await repository?.close();
      await server?.destroy();
    });

    it('resumes writing by itself once the server is back; a duplicate id or a deleted thread never blocks later writes', async () => {
      const sm = new StateManager({ repository, userId: `u-${randomUUID()}`, orgId: `o-${randomUUID()}` });
      const thread = await sm.createThread('restart');
      const failures: Array<{ error: unknown; failure: WriteFailure }> = [];
      const history = new ConversationHistory({
        stateManager: sm,
        persistToDb: true,
        writeRetry: { initialDelayMs: 50, maxDelayMs: 400 },
        onError: (error, failure) => failures.push({ error, failure }),
      });
      history.addUserMessage('before');
      await history.flush();

      await server.stop();
      const texts = Array.from({ length: 70 }, (_, i) => `m${i + 1}`);
      for (const text of texts) history.addUserMessage(text);
      await until('two failed writes were reported while the server is stopped', () => failures.length >= 2);
      expect(failures.every((f) => FluxiblyError.is(f.error, 'UNAVAILABLE') && f.failure.kind === 'transient')).toBe(
        true,
      );
      expect(history.pendingWrites).toBe(70);

      await server.start(); // nobody calls flush(): the writes must resume by themselves
      await until('every message is stored', () => history.pendingWrites === 0);
      const stored = await sm.loadConversationHistory({ threadId: thread.id });
      expect(stored.map((m) => m.content)).toEqual(['before', ...texts]);
      await history.flush(); // healed: nothing left to report

      // A duplicate caller id is refused when added, so it never reaches (or poisons) the queue.
      history.addUserMessage('first', { id: 'dup-id' });
      expect(() => history.addUserMessage('second', { id: 'dup-id' })).toThrow(ValidationError);
      history.addUserMessage('valid');
      await history.flush();

      // A permanent failure: the thread is deleted underneath. Its writes are dropped and reported, once.
      expect(await sm.deleteThread(thread.id)).toBe(true);
      failures.length = 0;
      history.addUserMessage('to a deleted thread');
      await expect(history.flush()).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(history.pendingWrites).toBe(0);
      expect(failures.map((f) => f.failure.kind)).toEqual(['dropped']);
      const next = await sm.createThread('next');
      await history.loadFromDb(next.id);
      history.addUserMessage('after');
      await history.flush();
      expect((await sm.loadConversationHistory({ threadId: next.id })).map((m) => m.content)).toEqual(['after']);
    }, 60_000);
  },
);

import { randomUUID } from 'node:crypto';
import type { Scope } from '@fluxibly/core';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPart, RedisConversationRepository } from '../src/index.js';
import { removePrefix, runPrefix } from './support/redis.js';
import { requiredTargets } from './support/targets.js';

/**
 * Retention (`ttlSeconds`, capability `ttl`): every key of a thread carries the TTL, renewed by each write, and
 * an expired thread is gone from reads and listings. Expiry is forced with PEXPIRE or a TTL of milliseconds, and
 * awaited by polling with a deadline (no sleeps).
 */
const targets = await requiredTargets('ttl');

const DEADLINE_MS = 5_000;

for (const target of targets) {
  describe(`ttl (${target.label})`, () => {
    const keyPrefix = runPrefix('ttl');
    let admin: Redis | Cluster;
    const repos: RedisConversationRepository[] = [];
    const open = (ttlSeconds?: number): RedisConversationRepository => {
      const repo = new RedisConversationRepository({
        ...target.connection,
        keyPrefix,
        ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
      });
      repos.push(repo);
      return repo;
    };
    const scope = (): Scope => ({ orgId: `org-${randomUUID()}`, userId: `user-${randomUUID()}` });

    beforeAll(() => {
      admin = target.admin();
    });
    afterAll(async () => {
      for (const repo of repos) await repo.close();
      await removePrefix(admin, keyPrefix);
      await admin.quit();
    });

    it('declares ttl exactly when ttlSeconds is set', () => {
      expect(open(60).capabilities).toEqual({ fullTextSearch: false, ttl: true });
      expect(open().capabilities).toEqual({ fullTextSearch: false, ttl: false });
      expect(() => open(0)).toThrow(/ttlSeconds/u);
    });

    it('every key of a thread and its listing entries carry the TTL; a write renews it', async () => {
      const repo = open(60);
      const s = scope();
      const thread = await repo.createThread(s, { name: 'kept for a minute' });
      await repo.appendMessages(s, { threadId: thread.id, messages: [{ role: 'user', content: 'hello' }] });
      const k = repo.keys.thread(thread.id);
      for (const key of [
        k.thread,
        k.messages,
        k.ids,
        repo.keys.userIndex(s.orgId, s.userId),
        repo.keys.orgIndex(s.orgId),
      ]) {
        const ttl = await admin.pttl(key);
        expect(ttl, key).toBeGreaterThan(50_000);
        expect(ttl, key).toBeLessThanOrEqual(60_000);
      }
      for (const key of [k.thread, k.messages, k.ids]) await admin.pexpire(key, 10_000);
      await repo.appendMessages(s, { threadId: thread.id, messages: [{ role: 'user', content: 'still here' }] });
      for (const key of [k.thread, k.messages, k.ids]) expect(await admin.pttl(key), key).toBeGreaterThan(50_000);
    });

    it('an expired thread is gone from reads and listings, and its stale entries are removed', async () => {
      const repo = open(60);
      const s = scope();
      const kept = await repo.createThread(s, { name: 'kept' });
      const expiring = await repo.createThread(s, { name: 'expiring' });
      await repo.appendMessages(s, { threadId: expiring.id, messages: [{ role: 'user', content: 'bye' }] });
      const k = repo.keys.thread(expiring.id);
      for (const key of [k.thread, k.messages, k.ids]) await admin.pexpire(key, 1);
      const deadline = Date.now() + DEADLINE_MS;
      while ((await admin.exists(k.thread, k.messages, k.ids)) > 0) {
        if (Date.now() > deadline) assert.fail('the keys did not expire');
      }
      expect(await repo.getThread(s, expiring.id)).toBeNull();
      expect(await repo.getMessages(s, { threadId: expiring.id })).toBeNull();
      expect((await repo.listThreads(s)).threads.map((t) => t.id)).toEqual([kept.id]);
      expect((await repo.listOrgThreads({ orgId: s.orgId })).threads.map((t) => t.id)).toEqual([kept.id]);
      expect(await admin.zscore(repo.keys.userIndex(s.orgId, s.userId), encodeKeyPart(expiring.id))).toBeNull();
      await expect(
        repo.appendMessages(s, { threadId: expiring.id, messages: [{ role: 'user', content: 'late' }] }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('prune and erase coexist with ttlSeconds: an expired thread’s stale entries are dropped, never counted', async () => {
      const repo = open(60);
      const s = scope();
      const live = await repo.createThread(s, { name: 'live' });
      const expiring = await repo.createThread(s, { name: 'expiring' });
      const k = repo.keys.thread(expiring.id);
      for (const key of [k.thread, k.messages, k.ids]) await admin.pexpire(key, 1);
      const deadline = Date.now() + DEADLINE_MS;
      while ((await admin.exists(k.thread, k.messages, k.ids)) > 0) {
        if (Date.now() > deadline) assert.fail('the keys did not expire');
      }
      const future = new Date(Date.now() + 3_600_000);
      // Only the live thread is deleted (and counted); the expired one's entries are dropped on the way.
      expect(await repo.pruneThreads({ orgId: s.orgId }, { inactiveBefore: future, limit: 10 })).toEqual({
        deleted: 1,
        messages: 0,
        more: false,
      });
      expect(await repo.getThread(s, live.id)).toBeNull();
      expect(await admin.zcard(repo.keys.orgIndex(s.orgId))).toBe(0);
      // An erase finds nothing but stale entries: it removes them and reports nothing deleted.
      const other = await repo.createThread(s, { name: 'other' });
      const o = repo.keys.thread(other.id);
      for (const key of [o.thread, o.messages, o.ids]) await admin.pexpire(key, 1);
      while ((await admin.exists(o.thread, o.messages, o.ids)) > 0) {
        if (Date.now() > deadline + DEADLINE_MS) assert.fail('the keys did not expire');
      }
      expect(await repo.eraseUser(s)).toEqual({ threads: 0, messages: 0 });
      expect(await admin.zcard(repo.keys.userIndex(s.orgId, s.userId))).toBe(0);
    });

    it('a thread with a TTL of a second expires on its own, all keys together', async () => {
      // Long enough for the create and the append to land first on a loaded machine (both renew it), short enough
      // to wait for by polling.
      const repo = open(1);
      const s = scope();
      const thread = await repo.createThread(s);
      await repo.appendMessages(s, { threadId: thread.id, messages: [{ role: 'user', content: 'short-lived' }] });
      const deadline = Date.now() + DEADLINE_MS;
      while ((await repo.getThread(s, thread.id)) !== null) {
        if (Date.now() > deadline) assert.fail('the thread did not expire');
      }
      const k = repo.keys.thread(thread.id);
      expect(await admin.exists(k.thread, k.messages, k.ids)).toBe(0);
      expect((await repo.listThreads(s)).threads).toEqual([]);
    });
  });
}

import type { Scope } from '@fluxibly/core';
import { UnavailableError } from '@fluxibly/core';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisRepositoryOptions } from '../src/index.js';
import { encodeKeyPart, RedisConversationRepository } from '../src/index.js';
import { setCrashHook } from '../src/internal.js';
import { removePrefix, runPrefix } from './support/redis.js';
import { requiredTargets } from './support/targets.js';

/**
 * The crash window between a thread write and its listing-index write (separate index writes: always on a
 * cluster; forced here on standalone too). A hook throws at the crash point, as if the process died there; the
 * listings must still never show a missing thread, never lose a live one, and end up in true order.
 */
const targets = await requiredTargets('crash window');

/** Spin (a poll, bounded by a deadline) until the local clock has passed `time`: at most about a millisecond. */
async function clockPast(time: Date): Promise<void> {
  const deadline = Date.now() + 1_000;
  while (Date.now() <= time.getTime() && Date.now() < deadline) await Promise.resolve();
}

let counter = 0;
function scope(): Scope {
  counter += 1;
  return { orgId: `org-crash-${counter}-${Date.now()}`, userId: `user ${counter} {x}:*` };
}

for (const target of targets) {
  describe(`crash window between thread and index writes (${target.label})`, () => {
    const keyPrefix = runPrefix('crash');
    let admin: Redis | Cluster;
    let repo: RedisConversationRepository;
    let crashAt: string | undefined;
    const open = (extra: Partial<RedisRepositoryOptions> = {}): RedisConversationRepository => {
      const opened = new RedisConversationRepository({
        ...target.connection,
        keyPrefix,
        indexWrites: 'separate',
        ...extra,
      });
      setCrashHook(opened, (point) => {
        if (point === crashAt) {
          crashAt = undefined;
          throw new Error(`simulated crash at ${point}`);
        }
      });
      return opened;
    };

    beforeAll(() => {
      admin = target.admin();
      repo = open();
    });
    afterAll(async () => {
      await repo.close();
      await removePrefix(admin, keyPrefix);
      await admin.quit();
    });

    const userIndexScore = (s: Scope, id: string): Promise<string | null> =>
      admin.zscore(repo.keys.userIndex(s.orgId, s.userId), encodeKeyPart(id));
    const orgIndexScore = (s: Scope, id: string): Promise<string | null> =>
      admin.zscore(repo.keys.orgIndex(s.orgId), encodeKeyPart(id));

    it('a create that crashes after its index entry: the entry is skipped and removed, the id stays free', async () => {
      const s = scope();
      crashAt = 'before-thread-write';
      await expect(repo.createThread(s, { id: 'lost {thread}' })).rejects.toBeInstanceOf(UnavailableError);
      expect(await userIndexScore(s, 'lost {thread}')).not.toBeNull();
      expect(await repo.getThread(s, 'lost {thread}')).toBeNull();
      expect((await repo.listThreads(s)).threads).toEqual([]);
      expect((await repo.listOrgThreads({ orgId: s.orgId })).threads).toEqual([]);
      expect(await userIndexScore(s, 'lost {thread}')).toBeNull();
      expect(await orgIndexScore(s, 'lost {thread}')).toBeNull();
      const again = await repo.createThread(s, { id: 'lost {thread}' });
      expect((await repo.listThreads(s)).threads).toEqual([again]);
    });

    it('a create that crashes after the thread write is listed (its entry was written first)', async () => {
      const s = scope();
      crashAt = 'after-thread-write';
      await expect(repo.createThread(s, { id: 'made' })).rejects.toBeInstanceOf(UnavailableError);
      const thread = await repo.getThread(s, 'made');
      expect(thread).not.toBeNull();
      expect((await repo.listThreads(s)).threads).toEqual([thread]);
      expect((await repo.listOrgThreads({ orgId: s.orgId })).threads).toEqual([thread]);
    });

    it('an append that crashes before its index update: listings repair the stale score and keep true order', async () => {
      const s = scope();
      const older = await repo.createThread(s, { id: 'older' });
      const newer = await repo.createThread(s, { id: 'newer' });
      await clockPast(newer.updatedAt);
      crashAt = 'after-thread-write';
      await expect(
        repo.appendMessages(s, { threadId: older.id, messages: [{ id: 'm1', role: 'user', content: 'hi' }] }),
      ).rejects.toBeInstanceOf(UnavailableError);
      const moved = await repo.getThread(s, older.id);
      expect(moved?.lastSeq).toBe(1);
      expect(Number(await userIndexScore(s, older.id))).toBeLessThan(moved?.updatedAt.getTime() ?? 0);
      // Page by page (limit 1): the stale entry must come first, then the other, nothing repeated.
      const first = await repo.listThreads(s, { limit: 1 });
      expect(first.threads.map((t) => t.id)).toEqual([older.id]);
      const second = await repo.listThreads(s, { limit: 1, cursor: first.nextCursor ?? '' });
      expect(second.threads.map((t) => t.id)).toEqual([newer.id]);
      expect(second.nextCursor).toBeNull();
      expect(Number(await userIndexScore(s, older.id))).toBe(moved?.updatedAt.getTime());
      expect((await repo.listOrgThreads({ orgId: s.orgId })).threads.map((t) => t.id)).toEqual([older.id, newer.id]);
      expect(Number(await orgIndexScore(s, older.id))).toBe(moved?.updatedAt.getTime());
      // The retry of the crashed call is idempotent: nothing written twice.
      const [retried] = await repo.appendMessages(s, {
        threadId: older.id,
        messages: [{ id: 'm1', role: 'user', content: 'hi' }],
      });
      expect(retried?.seq).toBe(1);
    });

    it('a delete that crashes before its index removal: the thread never comes back in a listing', async () => {
      const s = scope();
      const kept = await repo.createThread(s, { id: 'kept' });
      const gone = await repo.createThread(s, { id: 'gone' });
      crashAt = 'after-thread-write';
      await expect(repo.deleteThread(s, gone.id)).rejects.toBeInstanceOf(UnavailableError);
      expect(await userIndexScore(s, gone.id)).not.toBeNull();
      expect((await repo.listThreads(s)).threads.map((t) => t.id)).toEqual([kept.id]);
      expect((await repo.listOrgThreads({ orgId: s.orgId })).threads.map((t) => t.id)).toEqual([kept.id]);
      expect(await userIndexScore(s, gone.id)).toBeNull();
      expect(await orgIndexScore(s, gone.id)).toBeNull();
      await expect(
        repo.appendMessages(s, { threadId: gone.id, messages: [{ role: 'user', content: 'x' }] }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await repo.getThread(s, gone.id)).toBeNull();
    });

    it("a create that conflicts with another tenant's id leaves no entry in the caller's listings", async () => {
      const owner = scope();
      const other = scope();
      await repo.createThread(owner, { id: 'taken' });
      await expect(repo.createThread(other, { id: 'taken' })).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await userIndexScore(other, 'taken')).toBeNull();
      expect(await orgIndexScore(other, 'taken')).toBeNull();
      expect((await repo.listThreads(other)).threads).toEqual([]);
    });

    it("an index entry pointing at another tenant's thread is skipped and removed", async () => {
      const owner = scope();
      const other = scope();
      const thread = await repo.createThread(owner, { id: 'foreign' });
      await admin.zadd(
        repo.keys.userIndex(other.orgId, other.userId),
        thread.updatedAt.getTime(),
        encodeKeyPart(thread.id),
      );
      expect((await repo.listThreads(other)).threads).toEqual([]);
      expect(await userIndexScore(other, thread.id)).toBeNull();
    });
  });
}

/**
 * On standalone Redis the index writes are inline (atomic with the thread write), so a crash cannot leave a bad
 * entry; TTL expiry and a switch between modes still can. The one-script listing must repair such entries too:
 * planted here with raw writes.
 */
const standalone = targets.find((target) => target.label === 'standalone');
describe.skipIf(standalone === undefined)('inline listing repairs entries it finds wrong (standalone)', () => {
  const keyPrefix = runPrefix('inline-repair');
  let admin: Redis | Cluster;
  let repo: RedisConversationRepository;
  beforeAll(() => {
    admin = (standalone as NonNullable<typeof standalone>).admin();
    repo = new RedisConversationRepository({ ...(standalone as NonNullable<typeof standalone>).connection, keyPrefix });
  });
  afterAll(async () => {
    await repo.close();
    await removePrefix(admin, keyPrefix);
    await admin.quit();
  });

  it('drops orphan and foreign entries, corrects stale scores, and pages in true order', async () => {
    const s = scope();
    const other = scope();
    const a = await repo.createThread(s, { id: 'a' });
    const b = await repo.createThread(s, { id: 'b' });
    const foreign = await repo.createThread(other, { id: 'foreign' });
    const index = repo.keys.userIndex(s.orgId, s.userId);
    const late = b.updatedAt.getTime() + 1_000;
    await admin.zadd(index, late + 1, encodeKeyPart('orphan'), late, encodeKeyPart(foreign.id), 1, encodeKeyPart(a.id));
    // `a` is listed with a stale (too old) score: it must still come first when it is newest.
    await clockPast(b.updatedAt);
    const moved = (await admin.hset(repo.keys.thread(a.id).thread, 'up', String(late + 2))) === 0;
    expect(moved).toBe(true);
    const first = await repo.listThreads(s, { limit: 1 });
    expect(first.threads.map((t) => t.id)).toEqual(['a']);
    const second = await repo.listThreads(s, { limit: 1, cursor: first.nextCursor ?? '' });
    expect(second.threads.map((t) => t.id)).toEqual(['b']);
    expect(second.nextCursor).toBeNull();
    expect(await admin.zrange(index, '0', '-1')).toEqual([encodeKeyPart('b'), encodeKeyPart('a')]);
    expect(Number(await admin.zscore(index, encodeKeyPart('a')))).toBe(late + 2);
  });
});

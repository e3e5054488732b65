import { describe, expect, it } from 'vitest';
import type { StorageOperations } from '../../src/adapter/index.js';
import { BaseConversationRepository, LIMITS } from '../../src/adapter/index.js';
import { UnavailableError, type ValidationError } from '../../src/index.js';

type Batch = { threads: number; messages: number };

/** A repository whose only operations are erase and prune, answering from scripted batches. */
class Scripted extends BaseConversationRepository {
  readonly eraseCalls: Array<[unknown, number]> = [];
  readonly pruneCalls: Array<[unknown, unknown]> = [];

  constructor(erase: Batch[], prune: Array<{ deleted: number; messages: number; more: boolean }>) {
    const operations = {
      eraseThreads: async (scope: unknown, limit: number) => {
        this.eraseCalls.push([scope, limit]);
        return erase.shift() ?? { threads: 0, messages: 0 };
      },
      pruneThreads: async (scope: unknown, input: unknown) => {
        this.pruneCalls.push([scope, input]);
        return prune.shift() ?? { deleted: 0, messages: 0, more: false };
      },
      close: async () => undefined,
    } as unknown as StorageOperations;
    super({ backend: 'scripted', capabilities: { fullTextSearch: false, ttl: false } }, operations);
  }
}

describe('the kit runs erase and prune in bounded batches', () => {
  it('eraseUser calls eraseThreads with the batch size until a batch deletes nothing, and adds the counts', async () => {
    const repo = new Scripted(
      [
        { threads: 100, messages: 900 },
        { threads: 100, messages: 10 },
        { threads: 3, messages: 0 },
      ],
      [],
    );
    expect(await repo.eraseUser({ orgId: 'o', userId: 'u' })).toEqual({ threads: 203, messages: 910 });
    expect(repo.eraseCalls).toEqual([
      [{ orgId: 'o', userId: 'u' }, LIMITS.eraseBatch],
      [{ orgId: 'o', userId: 'u' }, LIMITS.eraseBatch],
      [{ orgId: 'o', userId: 'u' }, LIMITS.eraseBatch],
      [{ orgId: 'o', userId: 'u' }, LIMITS.eraseBatch],
    ]);
  });

  it('eraseOrg passes only the organisation; a missing userId on eraseUser never erases the organisation', async () => {
    const repo = new Scripted([{ threads: 1, messages: 1 }], []);
    expect(await repo.eraseOrg({ orgId: 'o', userId: 'ignored' } as { orgId: string })).toEqual({
      threads: 1,
      messages: 1,
    });
    expect(repo.eraseCalls[0]?.[0]).toEqual({ orgId: 'o' });
    const error = await repo.eraseUser({ orgId: 'o' } as never).catch((e: unknown) => e);
    expect((error as ValidationError).field).toBe('scope.userId');
    expect(repo.eraseCalls).toHaveLength(2);
  });

  it('pruneThreads stops at limit, asks each batch for at most what is left, and reports more', async () => {
    const repo = new Scripted(
      [],
      [
        { deleted: 100, messages: 5, more: true },
        { deleted: 50, messages: 1, more: true },
      ],
    );
    const inactiveBefore = new Date(1_000);
    expect(await repo.pruneThreads({ orgId: 'o' }, { inactiveBefore, limit: 150 })).toEqual({
      deleted: 150,
      messages: 6,
      more: true,
    });
    expect(repo.pruneCalls).toEqual([
      [{ orgId: 'o' }, { inactiveBefore: 1_000, limit: 100 }],
      [{ orgId: 'o' }, { inactiveBefore: 1_000, limit: 50 }],
    ]);
  });

  it('pruneThreads stops when a batch says no more, and works across organisations without orgId', async () => {
    const repo = new Scripted([], [{ deleted: 7, messages: 0, more: false }]);
    expect(await repo.pruneThreads({}, { inactiveBefore: new Date(5), limit: 10_000 })).toEqual({
      deleted: 7,
      messages: 0,
      more: false,
    });
    expect(repo.pruneCalls).toEqual([[{}, { inactiveBefore: 5, limit: 100 }]]);
  });

  it('pruneThreads returns (more: true) after 3 full batches in a row that delete nothing, instead of spinning', async () => {
    const idle = { deleted: 0, messages: 0, more: true };
    const repo = new Scripted([], [{ deleted: 2, messages: 0, more: true }, idle, idle, idle, idle]);
    expect(await repo.pruneThreads({ orgId: 'o' }, { inactiveBefore: new Date(5), limit: 1_000 })).toEqual({
      deleted: 2,
      messages: 0,
      more: true,
    });
    expect(repo.pruneCalls).toHaveLength(4);
  });

  it('a closed repository rejects the next batch', async () => {
    const repo = new Scripted([{ threads: 100, messages: 0 }], []);
    const erasing = repo.eraseUser({ orgId: 'o', userId: 'u' });
    await repo.close();
    await expect(erasing).rejects.toBeInstanceOf(UnavailableError);
  });
});

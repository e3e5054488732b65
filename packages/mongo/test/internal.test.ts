import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { TransactionRunner } from '../src/internal.js';
import { openMongoRepository } from '../src/internal.js';
import { transactionRunner } from './support/one-at-a-time.js';
import { clearPrefix, target } from './support/repositories.js';

/**
 * The test-only seam (`src/internal.ts`): a repository's transactions go through the runner it was given, once per
 * write call — an append that finds a stored id takes its careful path inside the same retry loop.
 */
const prefix = `internal_${randomUUID().slice(0, 8)}_`;
afterAll(() => clearPrefix(prefix));

describe('openMongoRepository(options, runTransaction)', () => {
  it('runs every transaction through the given runner, one retry loop per call', async () => {
    let transactions = 0;
    const inner = transactionRunner(target().kind);
    const counting: TransactionRunner = (client, work) => {
      transactions += 1;
      return inner(client, work);
    };
    const { url, dbName } = target();
    const repository = openMongoRepository({ url, dbName, collectionPrefix: prefix, migrate: true }, counting);
    try {
      const scope = { orgId: `org-${randomUUID()}`, userId: `user-${randomUUID()}` };
      const thread = await repository.createThread(scope);
      expect(transactions).toBe(0); // one insert, no transaction
      const batch = { threadId: thread.id, messages: [{ id: 'm1', role: 'user' as const, content: 'hi' }] };
      const first = await repository.appendMessages(scope, batch);
      expect(transactions).toBe(1);
      // A retry: the fast path meets the stored id, the careful path returns it — in the same runner call.
      expect(await repository.appendMessages(scope, batch)).toEqual(first);
      expect(transactions).toBe(2);
    } finally {
      await repository.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import type { Document } from 'mongodb';
import type { MessageDocument } from '../src/codec.js';
import { afterAll, describe, expect, it } from 'vitest';
import { queryWords, wordsFilter } from '../src/search.js';
import { winningStages } from './support/explain.js';
import { clearPrefix, openRepository, rawClient, target } from './support/repositories.js';

/**
 * Search cost belongs to the searching tenant: the search filter `{ orgId, userId, text… }` leads the
 * `orgId_userId_createdAt` index, so the documents examined are the searching user's own, however many another
 * tenant has. Checked with `explain('executionStats')`, which only real MongoDB answers (the CI workflow's replica
 * set): the jongodb stand-in has no `explain` command, which the second test pins.
 */
const prefix = `search_${randomUUID().slice(0, 8)}_`;
afterAll(() => clearPrefix(prefix));

const onStandIn = target().kind === 'stand-in';
const VICTIM_MESSAGES = 3;
const OTHER_MESSAGES = 300;

describe('search index use', () => {
  it("examines only the searching user's messages, not another tenant's", async (context) => {
    if (onStandIn) context.skip('the jongodb stand-in has no explain command: runs on real MongoDB (CI workflow)');
    const repository = openRepository(prefix, { migrate: true });
    const victim = { orgId: `org-${randomUUID()}`, userId: 'victim' };
    const other = { orgId: `org-${randomUUID()}`, userId: 'other' };
    try {
      const mine = await repository.createThread(victim);
      await repository.appendMessages(victim, {
        threadId: mine.id,
        messages: Array.from({ length: VICTIM_MESSAGES }, (_, i) => ({ role: 'user' as const, content: `msg ${i}` })),
      });
      const theirs = await repository.createThread(other);
      for (let i = 0; i < OTHER_MESSAGES; i += 100) {
        await repository.appendMessages(other, {
          threadId: theirs.id,
          messages: Array.from({ length: 100 }, (_, j) => ({ role: 'user' as const, content: `msg ${i + j}` })),
        });
      }
      expect(await repository.searchMessages(victim, { query: 'msg' })).toHaveLength(VICTIM_MESSAGES);
    } finally {
      await repository.close();
    }
    const client = await rawClient();
    try {
      const explained = await client
        .db(target().dbName)
        .collection<MessageDocument>(`${prefix}messages`)
        .find({ orgId: victim.orgId, userId: victim.userId, ...wordsFilter(queryWords('msg')) })
        .sort({ createdAt: -1, seq: -1, threadId: -1 })
        .limit(50)
        .explain('executionStats');
      const scans = winningStages(explained).filter((s) => s.stage === 'IXSCAN');
      expect(scans.map((s) => String(s.indexName))).toEqual(['orgId_userId_createdAt']);
      const stats = explained.executionStats as Document;
      expect(stats.totalDocsExamined).toBeLessThanOrEqual(VICTIM_MESSAGES);
      expect(stats.totalKeysExamined).toBeLessThanOrEqual(VICTIM_MESSAGES + 1);
    } finally {
      await client.close();
    }
  });
});

describe.runIf(onStandIn)('the stand-in and explain', () => {
  it('has no explain command (when it gains one, run the index test above on it too)', async () => {
    const client = await rawClient();
    try {
      const error = await client
        .db(target().dbName)
        .collection(`${prefix}messages`)
        .find({ orgId: 'o' })
        .explain()
        .catch((e: unknown) => e);
      expect(String(error)).toMatch(/no such command: explain/);
    } finally {
      await client.close();
    }
  });
});

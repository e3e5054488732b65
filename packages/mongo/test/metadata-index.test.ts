import { randomUUID } from 'node:crypto';
import type { Document } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { ThreadDocument } from '../src/codec.js';
import { filterTags } from '../src/metadata-tags.js';
import { winningStages } from './support/explain.js';
import { clearPrefix, openRepository, rawClient, target } from './support/repositories.js';

/**
 * Listing by metadata is index-backed: the filter `{ orgId, userId, metadataTags: { $all: [tag] } }` sorted by
 * `updatedAt` desc, `_id` desc is one `IXSCAN` of `orgId_userId_metadataTags_updatedAt_id` in the listing's order
 * (no in-memory sort), so a page examines `limit + 1` documents however many threads match or exist. Checked with
 * `explain('executionStats')`, which only real MongoDB answers (the CI workflow's replica set): the jongodb
 * stand-in has no `explain` command (pinned by `search-index.test.ts`).
 */
const prefix = `metaidx_${randomUUID().slice(0, 8)}_`;
afterAll(() => clearPrefix(prefix));

const onStandIn = target().kind === 'stand-in';
const MATCHING = 60;
const OTHERS = 60;
const LIMIT = 5;

describe('metadata listing index use', () => {
  it('reads a filtered page from the tag index in order, examining limit + 1 documents', async (context) => {
    if (onStandIn) context.skip('the jongodb stand-in has no explain command: runs on real MongoDB (CI workflow)');
    const repository = openRepository(prefix, { migrate: true });
    const scope = { orgId: `org-${randomUUID()}`, userId: 'lister' };
    try {
      for (let i = 0; i < MATCHING + OTHERS; i++) {
        await repository.createThread(scope, { metadata: { kind: i < MATCHING ? 'match' : 'other', n: i } });
      }
      const page = await repository.listThreads(scope, { metadata: { kind: 'match' }, limit: LIMIT });
      expect(page.threads).toHaveLength(LIMIT);
    } finally {
      await repository.close();
    }
    const client = await rawClient();
    try {
      const explained = await client
        .db(target().dbName)
        .collection<ThreadDocument>(`${prefix}threads`)
        .find({ orgId: scope.orgId, userId: scope.userId, metadataTags: { $all: filterTags({ kind: 'match' }) } })
        .sort({ updatedAt: -1, _id: -1 })
        .limit(LIMIT + 1)
        .explain('executionStats');
      const all = winningStages(explained);
      expect(all.filter((s) => s.stage === 'IXSCAN').map((s) => String(s.indexName))).toEqual([
        'orgId_userId_metadataTags_updatedAt_id',
      ]);
      expect(all.map((s) => String(s.stage))).not.toContain('SORT');
      const stats = explained.executionStats as Document;
      expect(stats.totalDocsExamined).toBeLessThanOrEqual(LIMIT + 1);
    } finally {
      await client.close();
    }
  });
});

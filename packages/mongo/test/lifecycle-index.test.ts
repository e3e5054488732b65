import { randomUUID } from 'node:crypto';
import type { Collection, Document, FindCursor } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadDocument } from '../src/codec.js';
import { eraseCandidates, pruneCandidates } from '../src/lifecycle-ops.js';
import type { MongoConversationRepository } from '../src/index.js';
import { winningStages } from './support/explain.js';
import { clearPrefix, openRepository, rawClient, target } from './support/repositories.js';

/**
 * The erase and prune batches are index-backed: each candidate query (the adapter's own cursor, explained) is one
 * `IXSCAN` of the expected index, no in-memory `SORT`, and examines about `limit` keys however many threads the
 * store holds — pruning across organisations included (`updatedAt_id`). Checked with `explain('executionStats')`,
 * which only real MongoDB answers (the CI workflow's replica set): the jongodb stand-in has no `explain` command
 * (pinned by `search-index.test.ts`).
 */
const prefix = `lcidx_${randomUUID().slice(0, 8)}_`;
const onStandIn = target().kind === 'stand-in';
const NO_EXPLAIN = 'the jongodb stand-in has no explain command: runs on real MongoDB (CI workflow)';
const PER_USER = 25;
const LIMIT = 5;
const orgA = `org-a-${randomUUID()}`;
const orgB = `org-b-${randomUUID()}`;
let repository: MongoConversationRepository | undefined;

beforeAll(async () => {
  if (onStandIn) return;
  repository = openRepository(prefix, { migrate: true });
  // Interleaved: every batch's index range holds other users' and organisations' threads around it.
  for (let i = 0; i < PER_USER; i++) {
    for (const scope of [
      { orgId: orgA, userId: 'u1' },
      { orgId: orgA, userId: 'u2' },
      { orgId: orgB, userId: 'u1' },
    ]) {
      await repository.createThread(scope, { metadata: { i } });
    }
  }
});

afterAll(async () => {
  await repository?.close();
  await clearPrefix(prefix);
});

async function explainBatch(query: (threads: Collection<ThreadDocument>) => FindCursor<unknown>): Promise<Document> {
  const client = await rawClient();
  try {
    const threads = client.db(target().dbName).collection<ThreadDocument>(`${prefix}threads`);
    return await query(threads).explain('executionStats');
  } finally {
    await client.close();
  }
}

function expectIndexBacked(explained: Document, index: string): void {
  const all = winningStages(explained);
  expect(all.filter((s) => s.stage === 'IXSCAN').map((s) => String(s.indexName))).toEqual([index]);
  expect(all.map((s) => String(s.stage))).not.toContain('SORT');
  const stats = explained.executionStats as Document;
  expect(stats.nReturned).toBe(LIMIT);
  expect(stats.totalKeysExamined).toBeLessThanOrEqual(LIMIT + 1);
  expect(stats.totalDocsExamined).toBeLessThanOrEqual(LIMIT);
}

describe('erase and prune batches read an index, oldest first', () => {
  const now = Date.now() + 60_000;
  const CASES: ReadonlyArray<readonly [string, string, (threads: Collection<ThreadDocument>) => FindCursor<unknown>]> =
    [
      ['eraseUser', 'orgId_userId_updatedAt_id', (t) => eraseCandidates(t, { orgId: orgA, userId: 'u1' }, LIMIT)],
      ['eraseOrg', 'orgId_updatedAt_id', (t) => eraseCandidates(t, { orgId: orgA }, LIMIT)],
      [
        'pruneThreads of one organisation',
        'orgId_updatedAt_id',
        (t) => pruneCandidates(t, { orgId: orgA }, { inactiveBefore: now, limit: LIMIT }),
      ],
      [
        'pruneThreads of every organisation',
        'updatedAt_id',
        (t) => pruneCandidates(t, {}, { inactiveBefore: now, limit: LIMIT }),
      ],
    ];

  it.for(CASES)('%s: one IXSCAN of %s, no SORT, about limit keys', async ([, index, query], context) => {
    if (onStandIn) context.skip(NO_EXPLAIN);
    expectIndexBacked(await explainBatch(query), index);
  });
});

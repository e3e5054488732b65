import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresConversationRepository } from '../src/index.js';
import { dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import { describeWithServer } from './support/server.js';
import { StatementCounter } from './support/statement-counter.js';

/**
 * The cost guarantee, counted: every operation sends exactly this many statements to the server (each is one
 * round trip). Counted at the pg driver, below TypeORM and the adapter. If a count grows, this test fails.
 */
const APPLICATION = 'fluxibly_statement_count';
const schema = freshSchema('fluxibly_count');
const pool = rawPool();
const counter = new StatementCounter(APPLICATION);
let repository: PostgresConversationRepository;
const scope = { orgId: 'org-count', userId: 'user-count' };

beforeAll(async () => {
  repository = repositoryIn(schema, { applicationName: APPLICATION, migrate: true });
  await repository.listThreads(scope); // connect and migrate before counting
  counter.start();
});

afterAll(async () => {
  counter.stop();
  await repository.close();
  await dropSchema(pool, schema);
  await pool.end();
});

await describeWithServer('statements per operation', () => {
  it('each operation sends the expected number of statements', async () => {
    const r = repository;
    let threadId = '';
    expect(
      await counter.count(async () => {
        threadId = (await r.createThread(scope, { name: 't' })).id;
      }),
      'createThread',
    ).toBe(1);
    const batch = Array.from({ length: 100 }, (_, i) => ({
      id: `m${i}`,
      role: 'user' as const,
      content: `hello ${i}`,
    }));
    expect(await counter.count(() => r.appendMessages(scope, { threadId, messages: batch })), 'append 100').toBe(1);
    expect(
      await counter.count(() =>
        r.appendMessages(scope, { threadId, messages: [{ role: 'user', content: 'one' }], expectedLastSeq: 100 }),
      ),
      'append 1 with expectedLastSeq',
    ).toBe(1);
    expect(await counter.count(() => r.appendMessages(scope, { threadId, messages: batch })), 'idempotent retry').toBe(
      1,
    );
    const page = await r.getMessages(scope, { threadId, limit: 50 });
    expect(await counter.count(() => r.getMessages(scope, { threadId, limit: 50 })), 'newest page').toBe(1);
    expect(
      await counter.count(() => r.getMessages(scope, { threadId, limit: 10, before: page?.olderCursor ?? '' })),
      'older page',
    ).toBe(1);
    expect(
      await counter.count(() => r.getMessages(scope, { threadId, limit: 10, after: page?.olderCursor ?? '' })),
      'newer page',
    ).toBe(1);
    expect(await counter.count(() => r.getThread(scope, threadId)), 'getThread').toBe(1);
    expect(await counter.count(() => r.listThreads(scope)), 'listThreads').toBe(1);
    expect(await counter.count(() => r.listOrgThreads({ orgId: scope.orgId })), 'listOrgThreads').toBe(1);
    expect(await counter.count(() => r.updateThread(scope, { threadId, name: 'u' })), 'updateThread').toBe(1);
    expect(await counter.count(() => r.getMessage(scope, { threadId, messageId: 'm1' })), 'getMessage').toBe(1);
    expect(
      await counter.count(() => r.editMessage(scope, { threadId, messageId: 'm1', content: 'edited' })),
      'editMessage',
    ).toBe(1);
    expect(await counter.count(() => r.deleteMessage(scope, { threadId, messageId: 'm2' })), 'deleteMessage').toBe(1);
    expect(await counter.count(() => r.searchMessages(scope, { query: 'hello' })), 'searchMessages').toBe(1);
    let forkId = '';
    expect(
      await counter.count(async () => {
        forkId = (await r.forkThread(scope, { threadId, atSeq: 50 })).id;
      }),
      'forkThread',
    ).toBe(1);
    expect(await counter.count(() => r.clearThread(scope, forkId)), 'clearThread').toBe(1);
    // Contract v2: each one statement, as append is.
    expect(
      await counter.count(() =>
        r.appendMessages(scope, { threadId, messages: batch.slice(0, 2), replaceAfterSeq: 99, expectedLastSeq: 101 }),
      ),
      'append with replaceAfterSeq',
    ).toBe(1);
    expect(
      await counter.count(() =>
        r.appendMessages(scope, { threadId, messages: batch.slice(0, 2), replaceAfterSeq: 99 }),
      ),
      'replaceAfterSeq retry',
    ).toBe(1);
    expect(await counter.count(() => r.truncateThread(scope, { threadId, afterSeq: 98 })), 'truncateThread').toBe(1);
    expect(
      await counter.count(() =>
        r.editMessage(scope, { threadId, messageId: 'm1', status: 'incomplete', expectedStatus: 'completed' }),
      ),
      'editMessage with expectedStatus',
    ).toBe(1);
    expect(
      await counter.count(() =>
        r.updateThread(scope, { threadId, metadataPatch: { a: 1, b: null }, expectedMetadata: { a: null } }),
      ),
      'updateThread with metadataPatch and expectedMetadata',
    ).toBe(1);
    expect(await counter.count(() => r.listThreads(scope, { metadata: { a: 1 } })), 'listThreads by metadata').toBe(1);
    expect(
      await counter.count(() => r.listOrgThreads({ orgId: scope.orgId }, { metadata: { a: 1 } })),
      'listOrgThreads by metadata',
    ).toBe(1);
    // deleteThread is a transaction: BEGIN, delete the thread row, delete its messages, COMMIT.
    expect(await counter.count(() => r.deleteThread(scope, forkId)), 'deleteThread').toBe(4);
    // The data lifecycle: the guard inside the append's and truncation's own statement; each batch one statement.
    const now = await r.getThread(scope, threadId);
    const [lastSeq, count] = [now?.lastSeq ?? 0, now?.messageCount ?? 0];
    expect(
      await counter.count(() =>
        r.appendMessages(scope, {
          threadId,
          messages: [{ role: 'user', content: 'guarded' }],
          expectedLastSeq: lastSeq,
          expectedMessageCount: count,
        }),
      ),
      'append 1 with expectedMessageCount',
    ).toBe(1);
    expect(
      await counter.count(() =>
        r.appendMessages(scope, {
          threadId,
          messages: batch.slice(5, 7),
          replaceAfterSeq: lastSeq,
          expectedMessageCount: count + 1,
        }),
      ),
      'append with replaceAfterSeq and expectedMessageCount',
    ).toBe(1);
    expect(
      await counter.count(() =>
        // The replacement removed the guarded message again (the batch's ids are stored before the cut).
        r.truncateThread(scope, { threadId, afterSeq: lastSeq + 1, expectedMessageCount: count }),
      ),
      'truncateThread with expectedMessageCount',
    ).toBe(1);
    const other = { orgId: scope.orgId, userId: 'user-count-2' };
    expect(
      await counter.count(() => r.transferThread(scope, { threadId, toUserId: other.userId })),
      'transferThread',
    ).toBe(1);
    const imported = {
      id: 'imported-count',
      name: 'i',
      metadata: {},
      createdAt: new Date(0),
      updatedAt: new Date(1),
      lastSeq: 3,
    };
    expect(await counter.count(() => r.importThread(other, imported)), 'importThread').toBe(1);
    const exported = [1, 2, 3].map((seq) => ({
      id: `x${seq}`,
      seq,
      role: 'user' as const,
      content: 'x',
      metadata: {},
      status: 'completed' as const,
      createdAt: new Date(0),
    }));
    expect(
      await counter.count(() => r.importMessages(other, { threadId: imported.id, messages: exported })),
      'importMessages',
    ).toBe(1);
    // A batch that deletes the inactive thread, with its messages, in one statement (and says it was the last).
    expect(
      await counter.count(async () => {
        const pruned = await r.pruneThreads({ orgId: scope.orgId }, { inactiveBefore: new Date(2), limit: 10 });
        expect(pruned).toEqual({ deleted: 1, messages: 3, more: false });
      }),
      'pruneThreads (one batch)',
    ).toBe(1);
    // Two batches: the one that deletes the user's thread, and the one that finds none left.
    expect(
      await counter.count(async () => {
        expect(await r.eraseUser(other)).toEqual({ threads: 1, messages: count });
      }),
      'eraseUser (one thread)',
    ).toBe(2);
    expect(counter.statements.some((text) => text.includes('LIMIT 51'))).toBe(true);
  });

  it('32 concurrent appends to one thread are 2 statements: the first, then the 31 that waited, merged', async () => {
    const r = repository;
    const thread = await r.createThread(scope);
    let results: Awaited<ReturnType<typeof r.appendMessages>>[] = [];
    const statements = await counter.count(async () => {
      results = await Promise.all(
        Array.from({ length: 32 }, (_, i) =>
          r.appendMessages(scope, {
            threadId: thread.id,
            messages: [
              { id: `c${i}a`, role: 'user', content: `caller ${i} a` },
              { id: `c${i}b`, role: 'assistant', content: `caller ${i} b` },
            ],
          }),
        ),
      );
    });
    expect(statements).toBe(2);
    results.forEach((messages, i) => {
      expect(messages.map((m) => m.id)).toEqual([`c${i}a`, `c${i}b`]);
      expect(messages[1]?.seq).toBe((messages[0]?.seq ?? 0) + 1);
    });
    const seqs = results.flatMap((messages) => messages.map((m) => m.seq)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
    const page = await r.getMessages(scope, { threadId: thread.id, limit: 100 });
    expect(page?.messages.map((m) => m.id)).toEqual(results.flat().map((m) => m.id));
  });

  it('the newest page, a page before a cursor and both listings are served by an index, never sorted', async () => {
    const r = repository;
    const thread = await r.createThread(scope);
    await r.appendMessages(scope, { threadId: thread.id, messages: [{ role: 'user', content: 'x' }] });
    const captured = async (work: () => Promise<unknown>): Promise<{ text: string; values: unknown[] }> => {
      const at = counter.statements.length;
      await work();
      return { text: counter.statements[at] ?? '', values: counter.values[at] ?? [] };
    };
    const first = await r.listThreads(scope, { limit: 1 });
    const cursor = first.nextCursor;
    expect(cursor).not.toBeNull();
    const statements = [
      await captured(() => r.getMessages(scope, { threadId: thread.id, limit: 50 })),
      await captured(() => r.getMessages(scope, { threadId: thread.id, before: 'm1.MTAw' })),
      await captured(() => r.listThreads(scope)),
      await captured(() => r.listThreads(scope, { cursor: cursor ?? '' })),
      await captured(() => r.listOrgThreads({ orgId: scope.orgId })),
    ];
    const client = await pool.connect();
    try {
      // With sequential scans and sorts priced out, a plan still holding a Sort would mean no index can serve the
      // order: the statement would sort the thread (or the user's threads) on every call.
      await client.query('SET enable_seqscan = off');
      await client.query('SET enable_sort = off');
      await client.query('SET enable_bitmapscan = off');
      for (const { text, values } of statements) {
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values);
        const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
        expect(plan, text).toMatch(/Index (Only )?Scan/);
        expect(plan, text).not.toMatch(/Sort|Seq Scan/);
      }
    } finally {
      client.release(true);
    }
  });
});

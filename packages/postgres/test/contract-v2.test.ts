import { ConflictError, LIMITS, NotFoundError, ValidationError } from '@fluxibly/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresConversationRepository } from '../src/index.js';
import { dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import { describeWithServer } from './support/server.js';

/**
 * Focused checks of the contract v2 operations on PostgreSQL (the conformance suite covers them all on every
 * backend): the tail replacement, truncation, statuses, summaries, metadata patches and filters, and the races
 * each atomic step settles.
 */
const schema = freshSchema('fluxibly_v2');
const pool = rawPool();
let r: PostgresConversationRepository;
const scope = { orgId: 'org-v2', userId: 'u1' };

beforeAll(async () => {
  r = repositoryIn(schema, { migrate: true, poolSize: 8 });
});

afterAll(async () => {
  await r.close();
  await dropSchema(pool, schema);
  await pool.end();
});

const user = (id: string, content = id) => ({ id, role: 'user' as const, content });

/** A message deleted by a racing call is a NotFoundError for an edit: expected, not a failure of the race. */
function notFound(error: unknown): void {
  if (!(error instanceof NotFoundError)) throw error;
}

async function threadWith(n: number): Promise<string> {
  const { id } = await r.createThread(scope);
  const messages = Array.from({ length: n }, (_, i) => user(`m${i + 1}`));
  if (n > 0) await r.appendMessages(scope, { threadId: id, messages });
  return id;
}

await describeWithServer('contract v2 on PostgreSQL', () => {
  it('replaceAfterSeq removes the tail and appends after lastSeq; a retry writes nothing', async () => {
    const threadId = await threadWith(5);
    const stored = await r.appendMessages(scope, {
      threadId,
      messages: [user('m2'), user('a'), user('b')],
      replaceAfterSeq: 3,
      expectedLastSeq: 5,
    });
    expect(stored.map((m) => [m.id, m.seq])).toEqual([
      ['m2', 2],
      ['a', 6],
      ['b', 7],
    ]);
    const thread = await r.getThread(scope, threadId);
    expect(thread).toMatchObject({ lastSeq: 7, messageCount: 5 });
    const page = await r.getMessages(scope, { threadId, limit: 50 });
    expect(page?.messages.map((m) => m.seq)).toEqual([1, 2, 3, 6, 7]);
    // A retry: the tail after 3 is exactly [a, b]... but the batch is [m2, a, b]: not a replay (m2 is at 2).
    const again = await r.appendMessages(scope, { threadId, messages: [user('a'), user('b')], replaceAfterSeq: 3 });
    expect(again).toEqual(stored.slice(1));
    expect((await r.getThread(scope, threadId))?.updatedAt).toEqual(thread?.updatedAt);
    // The tail's own id coming back without being a replay gets a new seq.
    const moved = await r.appendMessages(scope, { threadId, messages: [user('b')], replaceAfterSeq: 3 });
    expect(moved[0]?.seq).toBe(8);
    expect(await r.getThread(scope, threadId)).toMatchObject({ lastSeq: 8, messageCount: 4 });
  });

  it('replaceAfterSeq: errors in the contract order, one message and an empty tail', async () => {
    const threadId = await threadWith(3);
    await expect(
      r.appendMessages(scope, { threadId: 'nope', messages: [user('x')], replaceAfterSeq: 1 }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      r.appendMessages(scope, { threadId, messages: [user('x')], replaceAfterSeq: 1, expectedLastSeq: 2 }),
    ).rejects.toBeInstanceOf(ConflictError);
    const cut = await r
      .appendMessages(scope, { threadId, messages: [user('x')], replaceAfterSeq: 4 })
      .catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(ValidationError);
    expect((cut as ValidationError).message).toMatch(/replaceAfterSeq/);
    // Cut at lastSeq: a plain append; all-existing at seq <= n with no tail: returned, nothing written.
    const [x] = await r.appendMessages(scope, { threadId, messages: [user('x')], replaceAfterSeq: 3 });
    expect(x?.seq).toBe(4);
    const before = await r.getThread(scope, threadId);
    const same = await r.appendMessages(scope, { threadId, messages: [user('m1')], replaceAfterSeq: 4 });
    expect(same[0]?.seq).toBe(1);
    expect(await r.getThread(scope, threadId)).toEqual(before);
    // Another tenant sees nothing.
    await expect(
      r.appendMessages({ orgId: 'org-v2', userId: 'u2' }, { threadId, messages: [user('y')], replaceAfterSeq: 0 }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a regenerate racing appends: every call settles and the count matches the rows', async () => {
    const threadId = await threadWith(10);
    const calls = Array.from({ length: 16 }, (_, i) =>
      i % 2 === 0
        ? r.appendMessages(scope, { threadId, messages: [user(`r${i}`)], replaceAfterSeq: 8 })
        : r.appendMessages(scope, { threadId, messages: [user(`p${i}`)] }),
    );
    await Promise.all(calls);
    const thread = await r.getThread(scope, threadId);
    const { rows } = await pool.query<{ n: number; max: number }>(
      `SELECT count(*)::int AS n, max(seq)::int AS max FROM "${schema}".fluxibly_messages WHERE thread_id = $1`,
      [threadId],
    );
    expect(thread?.messageCount).toBe(rows[0]?.n);
    expect(thread?.lastSeq).toBe(rows[0]?.max);
    expect(thread?.lastSeq).toBe(26);
  });

  it('edits, deletes, clears, truncates and replaces racing on one thread never deadlock', async () => {
    // Every write to a thread's messages locks the thread row first: with two lock orders (message, then thread
    // for a delete or clear; thread, then message for an edit) PostgreSQL aborts one side with a deadlock error.
    for (let round = 0; round < 12; round++) {
      const threadId = await threadWith(6);
      const calls: Promise<unknown>[] = [];
      for (let i = 1; i <= 6; i++) {
        calls.push(r.editMessage(scope, { threadId, messageId: `m${i}`, content: `edited ${i}` }).catch(notFound));
        calls.push(r.deleteMessage(scope, { threadId, messageId: `m${7 - i}` }));
      }
      calls.push(r.truncateThread(scope, { threadId, afterSeq: 3 }));
      calls.push(r.appendMessages(scope, { threadId, messages: [user(`x${round}`)], replaceAfterSeq: 2 }));
      calls.push(r.clearThread(scope, threadId));
      const outcomes = await Promise.allSettled(calls);
      const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(
        failures.map((f) => String(f.reason)),
        `round ${round}`,
      ).toEqual([]);
      const thread = await r.getThread(scope, threadId);
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${schema}".fluxibly_messages WHERE thread_id = $1`,
        [threadId],
      );
      expect(thread?.messageCount, `round ${round}: the count matches the rows`).toBe(rows[0]?.n);
    }
  });

  it('truncateThread removes the tail, keeps lastSeq, and checks its inputs', async () => {
    const threadId = await threadWith(6);
    const before = await r.getThread(scope, threadId);
    expect(await r.truncateThread(scope, { threadId, afterSeq: 6 })).toBe(0);
    expect(await r.getThread(scope, threadId)).toEqual(before);
    await expect(r.truncateThread(scope, { threadId, afterSeq: 2, expectedLastSeq: 5 })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(r.truncateThread(scope, { threadId, afterSeq: 7 })).rejects.toBeInstanceOf(ValidationError);
    await expect(r.truncateThread(scope, { threadId: 'nope', afterSeq: 0 })).rejects.toBeInstanceOf(NotFoundError);
    expect(await r.truncateThread(scope, { threadId, afterSeq: 2, expectedLastSeq: 6 })).toBe(4);
    expect(await r.getThread(scope, threadId)).toMatchObject({ lastSeq: 6, messageCount: 2 });
    const [next] = await r.appendMessages(scope, { threadId, messages: [user('n')] });
    expect(next?.seq).toBe(7);
  });

  it('status, tokenCount and summaryOf round-trip; summarySeq follows appends, cuts, clears and forks', async () => {
    const { id: threadId } = await r.createThread(scope);
    const one = await r.appendMessages(scope, {
      threadId,
      messages: [{ role: 'assistant', content: 'streaming', status: 'in_progress', tokenCount: 3 }],
    });
    expect(one[0]).toMatchObject({ status: 'in_progress', tokenCount: 3 });
    await r.appendMessages(scope, { threadId, messages: [user('u2'), user('u3')] });
    const [summary] = await r.appendMessages(scope, {
      threadId,
      messages: [{ id: 's', role: 'system', content: 'sum', summaryOf: { fromSeq: 1, toSeq: 3 } }, user('u5')],
    });
    expect(summary).toMatchObject({ seq: 4, summaryOf: { fromSeq: 1, toSeq: 3 }, status: 'completed' });
    expect((await r.getThread(scope, threadId))?.summarySeq).toBe(4);
    const page = await r.getMessages(scope, { threadId, limit: 50 });
    expect(page?.messages[0]).toEqual(one[0]);
    expect(page?.messages[3]).toEqual(summary);
    expect(await r.getMessage(scope, { threadId, messageId: 's' })).toEqual(summary);
    expect(page?.messages[1]).not.toHaveProperty('tokenCount');
    const fork = await r.forkThread(scope, { threadId, atSeq: 4 });
    expect(fork.summarySeq).toBe(4);
    expect(
      (await r.getMessages(scope, { threadId: fork.id, limit: 50 }))?.messages.map((m) => m.summaryOf ?? m.status),
    ).toEqual(['in_progress', 'completed', 'completed', { fromSeq: 1, toSeq: 3 }]);
    expect((await r.forkThread(scope, { threadId, atSeq: 3 })).summarySeq).toBeUndefined();
    expect(await r.truncateThread(scope, { threadId, afterSeq: 4 })).toBe(1);
    expect((await r.getThread(scope, threadId))?.summarySeq).toBe(4);
    await r.appendMessages(scope, { threadId, messages: [user('v')], replaceAfterSeq: 3 });
    expect(await r.getThread(scope, threadId)).not.toHaveProperty('summarySeq');
    await r.appendMessages(scope, {
      threadId,
      messages: [{ id: 's2', role: 'system', content: 'sum2', summaryOf: { fromSeq: 1, toSeq: 3 } }],
      replaceAfterSeq: 3,
    });
    expect((await r.getThread(scope, threadId))?.summarySeq).toBe(7);
    await r.clearThread(scope, threadId);
    expect(await r.getThread(scope, threadId)).not.toHaveProperty('summarySeq');
  });

  it('editMessage with expectedStatus: exactly one of racing finishers wins; errors name what is missing', async () => {
    const { id: threadId } = await r.createThread(scope);
    const [m] = await r.appendMessages(scope, {
      threadId,
      messages: [{ role: 'assistant', content: '', status: 'in_progress' }],
    });
    const messageId = m?.id ?? '';
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        r.editMessage(scope, {
          threadId,
          messageId,
          content: `final ${i}`,
          status: 'completed',
          expectedStatus: 'in_progress',
          tokenCount: i,
        }),
      ),
    );
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    for (const x of results) if (x.status === 'rejected') expect(x.reason).toBeInstanceOf(ConflictError);
    const done = await r.getMessage(scope, { threadId, messageId });
    expect(done?.status).toBe('completed');
    expect((await r.getThread(scope, threadId))?.updatedAt).toEqual(done?.editedAt);
    await expect(r.editMessage(scope, { threadId, messageId: 'none', content: 'x' })).rejects.toThrow(
      'message not found',
    );
    await expect(r.editMessage(scope, { threadId: 'none', messageId, content: 'x' })).rejects.toThrow(
      'thread not found',
    );
    const edited = await r.editMessage(scope, {
      threadId,
      messageId,
      status: 'incomplete',
      expectedStatus: 'completed',
    });
    expect(edited.status).toBe('incomplete');
  });

  it('metadataPatch merges atomically; expectedMetadata is a compare-and-set; the merged size is bounded', async () => {
    const { id: threadId } = await r.createThread(scope, { metadata: { keep: 1, drop: 'x' } });
    await Promise.all(
      Array.from({ length: 32 }, (_, i) => r.updateThread(scope, { threadId, metadataPatch: { [`k${i}`]: i } })),
    );
    const patched = await r.updateThread(scope, { threadId, metadataPatch: { drop: null, name: 'n' } });
    expect(Object.keys(patched.metadata)).toHaveLength(34);
    expect(patched.metadata).not.toHaveProperty('drop');
    const cas = await Promise.allSettled(
      Array.from({ length: 32 }, (_, i) =>
        r.updateThread(scope, { threadId, metadataPatch: { streamId: `s${i}` }, expectedMetadata: { streamId: null } }),
      ),
    );
    expect(cas.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    await expect(
      r.updateThread(scope, { threadId, metadataPatch: { a: 1 }, expectedMetadata: { keep: '1' } }),
    ).rejects.toBeInstanceOf(ConflictError);
    const big = 'x'.repeat(40_000);
    await r.updateThread(scope, { threadId, metadataPatch: { big1: big } });
    const error = await r.updateThread(scope, { threadId, metadataPatch: { big2: big } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(/metadataPatch/);
    // Conflict before size.
    await expect(
      r.updateThread(scope, { threadId, metadataPatch: { big2: big }, expectedMetadata: { keep: 2 } }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(r.updateThread(scope, { threadId: 'nope', metadataPatch: { a: 1 } })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('the merged size is measured as compact JSON: exactly the limit passes, one byte more fails', async () => {
    const { id: threadId } = await r.createThread(scope, { metadata: { a: [1, { b: 'x, y: z' }, []], c: {} } });
    const base = JSON.stringify({ a: [1, { b: 'x, y: z' }, []], c: {}, pad: '' }).length;
    const pad = 'é'.repeat((LIMITS.metadataBytes - base) / 2);
    const exact = await r.updateThread(scope, { threadId, metadataPatch: { pad } });
    expect(Buffer.byteLength(JSON.stringify(exact.metadata))).toBe(LIMITS.metadataBytes);
    await expect(r.updateThread(scope, { threadId, metadataPatch: { pad: `${pad}x` } })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('listThreads / listOrgThreads filter by metadata with strict equality, paging by cursor', async () => {
    const s = { orgId: 'org-list', userId: 'lister' };
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const t = await r.createThread(s, { metadata: { kind: i % 2 === 0 ? 'even' : 'odd', n: i, arr: ['even'] } });
      ids.push(t.id);
    }
    await r.createThread({ orgId: 'org-list', userId: 'other' }, { metadata: { kind: 'even' } });
    const first = await r.listThreads(s, { metadata: { kind: 'even' }, limit: 2 });
    expect(first.threads.map((t) => t.id)).toEqual([ids[6], ids[4]]);
    const second = await r.listThreads(s, { metadata: { kind: 'even' }, limit: 2, cursor: first.nextCursor ?? '' });
    expect(second.threads.map((t) => t.id)).toEqual([ids[2], ids[0]]);
    expect((await r.listThreads(s, { metadata: { n: '1' } })).threads).toEqual([]);
    expect((await r.listThreads(s, { metadata: { arr: 'even' } })).threads).toEqual([]);
    expect((await r.listThreads(s, { metadata: { n: 1, kind: 'odd' } })).threads.map((t) => t.id)).toEqual([ids[1]]);
    expect((await r.listOrgThreads({ orgId: 'org-list' }, { metadata: { kind: 'even' } })).threads).toHaveLength(5);
  });
});

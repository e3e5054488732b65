import { ConflictError, LIMITS, NotFoundError } from '@fluxibly/core';
import type { ImportedMessage, Scope } from '@fluxibly/core';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresConversationRepository } from '../src/index.js';
import { inspectPostgres } from '../src/index.js';
import { dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import { describeWithServer } from './support/server.js';

/**
 * The data-lifecycle operations on PostgreSQL, where the conformance suite cannot look: the raw rows (message
 * `user_id` after a transfer, imported rows column by column, no orphaned message row), and the races a statement's
 * snapshot makes possible — a write that commits while an erase, prune or transfer waits for its thread's row lock
 * is deterministic here: a raw transaction holds the lock with an append's writes, the operation starts and is seen
 * waiting in `pg_locks`, then the transaction commits.
 */
const APPLICATION = 'fx_lifepg_waiter';
const schema = freshSchema('fx_lifepg');
const pool = rawPool();
const t = { threads: `"${schema}".fluxibly_threads`, messages: `"${schema}".fluxibly_messages` };
let r: PostgresConversationRepository;
let other: PostgresConversationRepository;
let n = 0;

beforeAll(async () => {
  r = repositoryIn(schema, { migrate: true, poolSize: 4, applicationName: APPLICATION });
  await r.listThreads({ orgId: 'o', userId: 'u' });
  other = repositoryIn(schema, { poolSize: 8 });
});

afterAll(async () => {
  await r.close();
  await other.close();
  await dropSchema(pool, schema);
  await pool.end();
});

function newScope(): Scope {
  n += 1;
  return { orgId: `fx-org-${n}`, userId: `fx-user-${n}` };
}

const say = (content: string) => ({ role: 'user' as const, content });

/** Message rows of the scope (or whose thread is gone), read raw. */
async function rawMessages(where: string, values: unknown[]): Promise<Array<Record<string, unknown>>> {
  const { rows } = await pool.query(`SELECT * FROM ${t.messages} WHERE ${where} ORDER BY thread_id, seq`, values);
  return rows as Array<Record<string, unknown>>;
}

/** Message rows whose thread row does not exist. */
async function orphans(orgId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${t.messages} m WHERE m.org_id = $1
     AND NOT EXISTS (SELECT 1 FROM ${t.threads} th WHERE th.id = m.thread_id)`,
    [orgId],
  );
  return rows[0]?.n ?? -1;
}

/**
 * Hold `threadId`'s row lock in a raw transaction that makes an append's writes (thread row bumped, one message with
 * `user_id` = the thread's at the time), uncommitted. Returns the client: COMMIT or ROLLBACK it.
 */
async function appendInFlight(threadId: string, id: string): Promise<pg.PoolClient> {
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query(
    `WITH bumped AS (
       UPDATE ${t.threads} SET last_seq = last_seq + 1, message_count = message_count + 1,
         updated_at = greatest(date_trunc('milliseconds', now()), updated_at)
       WHERE id = $1 RETURNING id, org_id, user_id, last_seq, updated_at
     )
     INSERT INTO ${t.messages} (thread_id, seq, id, org_id, user_id, role, content, metadata, created_at)
     SELECT id, last_seq, $2, org_id, user_id, 'user', '"in flight inflightword"', '{}', updated_at FROM bumped`,
    [threadId, id],
  );
  return client;
}

/** Resolves once a connection of the repository under test waits for a lock (deadline 10 s). */
async function waitingForLock(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE NOT l.granted AND a.application_name = $1`,
      [APPLICATION],
    );
    if ((rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the operation never waited for the row lock');
}

/** An exported thread of `scope`, inactive since `at`, with `count` messages (seqs 1…count). */
async function importInactive(scope: Scope, at: number, count: number, id = `imp-${++n}`): Promise<string> {
  const date = new Date(at);
  expect(
    await r.importThread(scope, { id, name: id, metadata: {}, createdAt: date, updatedAt: date, lastSeq: count }),
  ).toBe(true);
  if (count > 0) {
    const messages: ImportedMessage[] = Array.from({ length: count }, (_, i) => ({
      id: `${id}-m${i + 1}`,
      seq: i + 1,
      role: 'user',
      content: `old ${i + 1}`,
      metadata: {},
      status: 'completed',
      createdAt: date,
    }));
    expect(await r.importMessages(scope, { threadId: id, messages })).toBe(count);
  }
  return id;
}

const YEAR_2001 = Date.UTC(2001, 0, 1);

await describeWithServer('data lifecycle on PostgreSQL', () => {
  it('an append holding a thread row while an erase batch reads is erased with the thread (no orphaned row)', async () => {
    const scope = newScope();
    const held = await r.createThread(scope);
    const free = await r.createThread(scope);
    await r.appendMessages(scope, { threadId: held.id, messages: [say('first')] });
    const client = await appendInFlight(held.id, 'racing');
    let erasing: Promise<unknown> | undefined;
    try {
      erasing = r.eraseUser(scope);
      await waitingForLock();
    } finally {
      await client.query('COMMIT');
      client.release();
    }
    // Both messages of the held thread: the one committed while the batch waited too.
    expect(await erasing).toEqual({ threads: 2, messages: 2 });
    expect(free.id).toBeDefined();
    expect(await inspectPostgres(pool, schema).remains?.(scope)).toBe(0);
    expect(await rawMessages('thread_id = $1', [held.id])).toEqual([]);
    expect(await orphans(scope.orgId)).toBe(0);
  });

  it('a prune keeps a thread an append revives while the prune waits for its row (re-checked on the locked row)', async () => {
    const scope = newScope();
    const revived = await importInactive(scope, YEAR_2001, 1);
    const dormant = await importInactive(scope, YEAR_2001 + 1000, 1);
    const client = await appendInFlight(revived, 'revival');
    let pruning: Promise<unknown> | undefined;
    try {
      pruning = r.pruneThreads({ orgId: scope.orgId }, { inactiveBefore: new Date(Date.UTC(2002, 0, 1)), limit: 10 });
      await waitingForLock();
    } finally {
      await client.query('COMMIT');
      client.release();
    }
    expect(await pruning).toEqual({ deleted: 1, messages: 1, more: false });
    expect(await r.getThread(scope, dormant)).toBeNull();
    expect(await r.getThread(scope, revived)).toMatchObject({ lastSeq: 2, messageCount: 2 });
    expect((await rawMessages('thread_id = $1', [revived])).map((row) => row.id)).toEqual([`${revived}-m1`, 'revival']);
    expect(await orphans(scope.orgId)).toBe(0);
  });

  it("a transfer waiting for the row of an append in flight carries that append's message to the new owner", async () => {
    const scope = newScope();
    const to = { orgId: scope.orgId, userId: `${scope.userId}-new` };
    const thread = await r.createThread(scope);
    await r.appendMessages(scope, { threadId: thread.id, messages: [say('before transferword')] });
    const client = await appendInFlight(thread.id, 'racing');
    let moving: Promise<unknown> | undefined;
    try {
      moving = r.transferThread(scope, { threadId: thread.id, toUserId: to.userId });
      await waitingForLock();
    } finally {
      await client.query('COMMIT');
      client.release();
    }
    expect(await moving).toMatchObject({ userId: to.userId, lastSeq: 2, messageCount: 2 });
    const rows = await rawMessages('thread_id = $1', [thread.id]);
    expect(rows.map((row) => [row.id, row.org_id, row.user_id])).toEqual([
      [expect.any(String), scope.orgId, to.userId],
      ['racing', scope.orgId, to.userId],
    ]);
    expect(await inspectPostgres(pool, schema).remains?.(scope)).toBe(0);
    expect(await inspectPostgres(pool, schema).remains?.(to)).toBe(3);
    // Search (GIN on org_id, user_id, search_vector) follows the rows.
    expect(await r.searchMessages(scope, { query: 'inflightword' })).toEqual([]);
    expect((await r.searchMessages(to, { query: 'inflightword' })).map((m) => m.id)).toEqual(['racing']);
    expect((await r.searchMessages(to, { query: 'transferword' })).map((m) => m.seq)).toEqual([1]);
  });

  it(`appends from another repository racing eraseUser (${LIMITS.eraseBatch + 50} threads) leave nothing once it returns`, async () => {
    const scope = newScope();
    const threads: string[] = [];
    for (let i = 0; i < LIMITS.eraseBatch + 50; i++) threads.push((await r.createThread(scope)).id);
    let stop = false;
    let succeeded = 0;
    let missing = 0;
    let started = (): void => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const appenders = Array.from({ length: 6 }, async (_, k) => {
      for (let round = 0; !stop || round < 5; round++) {
        const threadId = threads[(round * 7 + k * 31) % threads.length] as string;
        try {
          await other.appendMessages(scope, { threadId, messages: [say(`a${k}-${round}`), say('b')] });
          succeeded += 1;
          started();
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
          missing += 1;
        }
        if (round > 2000) break;
      }
    });
    await running;
    const erased = await r.eraseUser(scope);
    stop = true;
    await Promise.all(appenders);
    expect(erased.threads).toBe(threads.length);
    expect(succeeded).toBeGreaterThan(0);
    expect(missing).toBeGreaterThan(0);
    expect(await inspectPostgres(pool, schema).remains?.(scope)).toBe(0);
    expect(await orphans(scope.orgId)).toBe(0);
    // After it returned, every append is NotFoundError: nothing comes back.
    await expect(
      other.appendMessages(scope, { threadId: threads[0] as string, messages: [say('late')] }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('appends racing pruneThreads: every thread an append succeeded on is kept, whole; the others are gone, whole', async () => {
    const scope = newScope();
    const threads: string[] = [];
    for (let i = 0; i < 60; i++) threads.push(await importInactive(scope, YEAR_2001 + i * 1000, 2));
    const appended = new Set<string>();
    let stop = false;
    const appenders = Array.from({ length: 4 }, async (_, k) => {
      for (let round = 0; !stop && round < 500; round++) {
        const threadId = threads[(round * 13 + k * 17) % threads.length] as string;
        try {
          await other.appendMessages(scope, { threadId, messages: [say(`p${k}-${round}`)] });
          appended.add(threadId);
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
        }
      }
    });
    let deleted = 0;
    for (let more = true; more;) {
      const batch = await r.pruneThreads(
        { orgId: scope.orgId },
        { inactiveBefore: new Date(Date.UTC(2002, 0, 1)), limit: 7 },
      );
      deleted += batch.deleted;
      more = batch.more;
    }
    stop = true;
    await Promise.all(appenders);
    const { rows } = await pool.query<{ id: string; message_count: string }>(
      `SELECT id, message_count FROM ${t.threads} WHERE org_id = $1`,
      [scope.orgId],
    );
    const kept = new Set(rows.map((row) => row.id));
    expect(deleted + kept.size).toBe(threads.length);
    for (const threadId of appended) expect(kept.has(threadId), `${threadId} got an append`).toBe(true);
    for (const row of rows) {
      expect((await rawMessages('thread_id = $1', [row.id])).length, row.id).toBe(Number(row.message_count));
    }
    expect(await orphans(scope.orgId)).toBe(0);
  });

  it('importMessages stores the rows exactly: status NULL when completed, timestamps to the millisecond, the count', async () => {
    const scope = newScope();
    const id = `imp-exact-${n}`;
    const createdAt = new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999));
    const updatedAt = new Date(Date.UTC(2000, 0, 2, 3, 4, 5, 6));
    expect(
      await r.importThread(scope, {
        id,
        name: 'old',
        metadata: { a: 1 },
        createdAt,
        updatedAt,
        lastSeq: 9,
        summarySeq: 4,
      }),
    ).toBe(true);
    const messages: ImportedMessage[] = [
      { id: 'x1', seq: 2, role: 'user', content: 'importword one', metadata: {}, status: 'completed', createdAt },
      {
        id: 'x2',
        seq: 4,
        role: 'assistant',
        content: [{ type: 'text', text: 'two' }],
        metadata: { k: 'v' },
        status: 'incomplete',
        tokenCount: 12,
        summaryOf: { fromSeq: 1, toSeq: 3 },
        name: 'bot',
        toolCallId: 'call-1',
        createdAt: new Date(createdAt.getTime() + 1),
        editedAt: new Date(createdAt.getTime() + 2),
      },
    ];
    expect(await r.importMessages(scope, { threadId: id, messages })).toBe(2);
    const rows = await rawMessages('thread_id = $1', [id]);
    expect(
      rows.map((row) => [
        row.seq,
        row.id,
        row.org_id,
        row.user_id,
        row.status,
        row.token_count,
        row.summary_from_seq,
        row.summary_to_seq,
        row.name,
        row.tool_call_id,
        (row.created_at as Date).getTime(),
        (row.edited_at as Date | null)?.getTime() ?? null,
        row.search_vector === null,
      ]),
    ).toEqual([
      ['2', 'x1', scope.orgId, scope.userId, null, null, null, null, null, null, createdAt.getTime(), null, false],
      [
        '4',
        'x2',
        scope.orgId,
        scope.userId,
        'incomplete',
        '12',
        '1',
        '3',
        'bot',
        'call-1',
        createdAt.getTime() + 1,
        createdAt.getTime() + 2,
        false,
      ],
    ]);
    const { rows: thread } = await pool.query(
      `SELECT last_seq, message_count, summary_seq, created_at, updated_at FROM ${t.threads} WHERE id = $1`,
      [id],
    );
    expect(thread).toEqual([
      { last_seq: '9', message_count: '2', summary_seq: '4', created_at: createdAt, updated_at: updatedAt },
    ]);
    expect((await r.searchMessages(scope, { query: 'importword' })).map((m) => m.id)).toEqual(['x1']);
    // A seq held by another id (here of a stored message, which the batch would otherwise skip): nothing written.
    await expect(
      r.importMessages(scope, {
        threadId: id,
        messages: [
          { ...(messages[0] as ImportedMessage), id: 'x3', seq: 5 },
          { ...(messages[0] as ImportedMessage), id: 'x1', seq: 4 },
        ],
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await rawMessages('thread_id = $1', [id])).map((row) => row.id)).toEqual(['x1', 'x2']);
  });

  it('concurrent imports of the same messages write each once; the count is right', async () => {
    const scope = newScope();
    const id = await importInactive(scope, YEAR_2001, 0);
    await pool.query(`UPDATE ${t.threads} SET last_seq = 40 WHERE id = $1`, [id]);
    const messages: ImportedMessage[] = Array.from({ length: 40 }, (_, i) => ({
      id: `c${i}`,
      seq: i + 1,
      role: 'user',
      content: `c${i}`,
      metadata: {},
      status: 'completed',
      createdAt: new Date(YEAR_2001),
    }));
    const written = await Promise.all(
      Array.from({ length: 6 }, (_, k) =>
        (k % 2 === 0 ? r : other).importMessages(scope, { threadId: id, messages: messages.slice(k * 3, 20 + k * 3) }),
      ),
    );
    expect(written.reduce((a, b) => a + b, 0)).toBe(35);
    expect(await r.getThread(scope, id)).toMatchObject({ messageCount: 35, lastSeq: 40 });
    expect((await rawMessages('thread_id = $1', [id])).length).toBe(35);
  });

  it('remains counts per user and per organisation, thread and message rows', async () => {
    const scope = newScope();
    const colleague = { orgId: scope.orgId, userId: 'colleague' };
    const inspector = inspectPostgres(pool, schema);
    const a = await r.createThread(scope);
    await r.appendMessages(scope, { threadId: a.id, messages: [say('1'), say('2')] });
    await r.createThread(colleague);
    expect(await inspector.remains?.(scope)).toBe(3);
    expect(await inspector.remains?.(colleague)).toBe(1);
    expect(await inspector.remains?.({ orgId: scope.orgId })).toBe(4);
    // An orphaned message row (its thread row deleted behind the repository's back) still counts.
    await pool.query(`DELETE FROM ${t.threads} WHERE id = $1`, [a.id]);
    expect(await inspector.remains?.(scope)).toBe(2);
    expect(await r.eraseOrg({ orgId: scope.orgId })).toEqual({ threads: 1, messages: 0 });
    expect(await inspector.remains?.({ orgId: scope.orgId })).toBe(2);
  });
});

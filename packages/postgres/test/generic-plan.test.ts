import { afterAll, beforeAll, expect, it } from 'vitest';
import type pg from 'pg';
import type { PostgresConversationRepository } from '../src/index.js';
import { buildStatements } from '../src/sql/index.js';
import type { Statement } from '../src/connection.js';
import { dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import type { PlanNode } from './support/plans.js';
import { explainExecute, planNodes, rowsRemoved, scansOf } from './support/plans.js';
import { describeWithServer } from './support/server.js';

/**
 * Issue 9 item 7: every plan of the statements that find a message by id — generic or custom — probes the unique
 * message key, never the thread. The worst case is forced: `plan_cache_mode = force_generic_plan` on a test-only
 * connection, each statement's generic plan made while the tables are empty (as right after a deploy) and kept
 * (autovacuum is off on the test tables, so no ANALYZE replaces it), then executed against a 20,000-message thread.
 */
const schema = freshSchema('fluxibly_generic');
const pool = rawPool();
const scope = { orgId: 'org-generic', userId: 'user-generic' };
const LONG = 20_000;
let repository: PostgresConversationRepository;
let client: pg.PoolClient;
let threadId = '';

beforeAll(async () => {
  repository = repositoryIn(schema);
  await repository.migrate();
  for (const table of ['fluxibly_messages', 'fluxibly_threads']) {
    await pool.query(`ALTER TABLE "${schema}".${table} SET (autovacuum_enabled = off)`);
  }
  client = await pool.connect();
  await client.query('SET plan_cache_mode = force_generic_plan');
});

afterAll(async () => {
  client.release();
  await repository.close();
  await dropSchema(pool, schema);
  await pool.end();
});

/** Prepare `sql` under `name` and make its generic plan now (one EXPLAIN EXECUTE, in a rolled-back transaction). */
async function prepare(name: string, sql: Statement, types: string[], args: string[]): Promise<void> {
  await client.query(`PREPARE ${name}(${types.join(', ')}) AS ${sql.text}`);
  await explain(name, args);
}

/** `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE` of a prepared statement, rolled back. */
function explain(name: string, args: string[]): Promise<PlanNode> {
  return explainExecute(client, name, args);
}

/** The message scans of a plan: each must probe the unique key and throw no row away. */
function expectProbesOnly(plan: PlanNode, label: string): void {
  const scans = scansOf(plan, 'fluxibly_messages');
  expect(scans.length, label).toBeGreaterThan(0);
  for (const scan of scans) {
    expect({ index: scan['Index Name'], removed: rowsRemoved(scan) }, label).toEqual({
      index: 'fluxibly_messages_message_key',
      removed: 0,
    });
  }
}

/**
 * Index entries past the 20k thread's tail left by the rolled-back EXPLAINs of the appends (31 + 1 rows inserted,
 * then rolled back): dead, not vacuumed (autovacuum is off), so a bitmap index scan of the tail counts them (its
 * heap scan then drops them as invisible); a plain index scan counts visible rows only. CI saw 33 = 2 + 31.
 */
const DEAD_TAIL_ENTRIES = 32;

/**
 * The message scans of a plan: unique-key probes, or a primary-key range of the thread's tail (a few rows). A bitmap
 * heap scan is judged by its bitmap index scans (the planner picks either shape for a short range on a near tie),
 * which may also count {@link DEAD_TAIL_ENTRIES}. A walk of the thread would count 20,000.
 */
function expectTailOnly(plan: PlanNode, label: string): void {
  const allowed = ['fluxibly_messages_message_key', 'fluxibly_messages_pkey'];
  const scans = scansOf(plan, 'fluxibly_messages');
  expect(scans.length, label).toBeGreaterThan(0);
  for (const scan of scans) {
    const bitmap = scan['Node Type'] === 'Bitmap Heap Scan';
    const probes = bitmap ? planNodes(scan).filter((node) => node['Node Type'] === 'Bitmap Index Scan') : [scan];
    expect(probes.length, label).toBeGreaterThan(0);
    for (const probe of probes) {
      expect(allowed, `${label}: ${probe['Node Type']} ${probe['Index Name']}`).toContain(probe['Index Name']);
      const most = bitmap ? 31 + DEAD_TAIL_ENTRIES : 31;
      expect(rowsOf(probe), `${label}: rows ${probe['Index Name']}`).toBeLessThanOrEqual(most);
    }
    expect(rowsRemoved(scan), label).toBe(0);
    expect(rowsOf(scan), label).toBeLessThanOrEqual(31);
  }
}

/** Rows a node returned over all its loops. */
function rowsOf(node: PlanNode): number {
  return (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1);
}

await describeWithServer('generic plans probe the unique message key', () => {
  it('batch append, single append, get, edit, delete, replace and truncate never walk a 20k-message thread', async () => {
    const statements = buildStatements(repository.tables);
    const batch = (prefix: string): string =>
      JSON.stringify(
        Array.from({ length: 31 }, (_, i) => ({ id: `${prefix}${i}`, role: 'user', content: 'x', metadata: {} })),
      );
    threadId = (await repository.createThread(scope)).id;
    const base = [threadId, scope.orgId, scope.userId];
    // Generic plans made on the empty tables.
    await prepare(
      'fx_append',
      statements.append,
      ['text', 'text', 'text', 'jsonb', 'bigint', 'bigint'],
      [...base, batch('a'), 'NULL', 'NULL'],
    );
    const one = [
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'bigint',
      'text',
      'bigint',
      'bigint',
      'bigint',
      'bigint',
    ];
    const oneTail = ['NULL', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL'];
    await prepare('fx_one', statements.appendOne, one, [
      ...base,
      'one',
      'user',
      '"x"',
      'NULL',
      'NULL',
      '{}',
      ...oneTail,
    ]);
    await prepare(
      'fx_replace',
      statements.replace,
      ['text', 'text', 'text', 'jsonb', 'bigint', 'bigint', 'bigint'],
      [...base, batch('r'), 'NULL', '1', 'NULL'],
    );
    // The bitmap shape CI's planner once picked for the tail range, forced, so both shapes are always judged.
    await client.query('SET enable_indexscan = off');
    try {
      await prepare(
        'fx_replace_bitmap',
        statements.replace,
        ['text', 'text', 'text', 'jsonb', 'bigint', 'bigint', 'bigint'],
        [...base, batch('r'), 'NULL', '1', 'NULL'],
      );
    } finally {
      await client.query('RESET enable_indexscan');
    }
    await prepare(
      'fx_truncate',
      statements.threads.truncate,
      ['text', 'text', 'text', 'bigint', 'bigint', 'bigint'],
      [...base, '0', 'NULL', 'NULL'],
    );
    const ref = ['text', 'text', 'text', 'text'];
    await prepare('fx_get', statements.messages.get, ref, [threadId, 'm1', scope.orgId, scope.userId]);
    await prepare(
      'fx_edit',
      statements.messages.edit,
      [...ref, 'text', 'text', 'text', 'text', 'bigint'],
      [threadId, 'm1', scope.orgId, scope.userId, '"e"', 'NULL', 'NULL', 'NULL', 'NULL'],
    );
    await prepare('fx_remove', statements.messages.remove, ref, [threadId, 'm1', scope.orgId, scope.userId]);

    await pool.query(
      `INSERT INTO "${schema}".fluxibly_messages (thread_id, seq, id, org_id, user_id, role, content, metadata, created_at)
       SELECT $1, g, 'm' || g, $2, $3, 'user', to_jsonb('message ' || g), '{}', now() FROM generate_series(1, ${LONG}) g`,
      base,
    );
    await pool.query(
      `UPDATE "${schema}".fluxibly_threads SET last_seq = ${LONG}, message_count = ${LONG} WHERE id = $1`,
      [threadId],
    );

    // New ids, ids that exist (the idempotent retry), and the single-message statements.
    expectProbesOnly(await explain('fx_append', [...base, batch('new'), 'NULL', 'NULL']), 'batch of new ids');
    const existing = JSON.stringify(
      Array.from({ length: 31 }, (_, i) => ({ id: `m${LONG - i}`, role: 'user', content: 'x', metadata: {} })),
    );
    expectProbesOnly(await explain('fx_append', [...base, existing, 'NULL', 'NULL']), 'batch of stored ids');
    expectProbesOnly(
      await explain('fx_one', [...base, 'fresh', 'user', '"x"', 'NULL', 'NULL', '{}', ...oneTail]),
      'one message',
    );
    expectProbesOnly(await explain('fx_get', [threadId, 'm5', scope.orgId, scope.userId]), 'getMessage');
    const edit = await explain('fx_edit', [
      threadId,
      'm5',
      scope.orgId,
      scope.userId,
      '"e"',
      'NULL',
      "'completed'",
      'NULL',
      'NULL',
    ]);
    expectProbesOnly(edit, 'editMessage');
    // Replacing / truncating the last 2 of 20k: probes of the message key and a range of the primary key's tail.
    const cut = String(LONG - 2);
    expectTailOnly(await explain('fx_replace', [...base, batch('regen'), 'NULL', cut, 'NULL']), 'replaceAfterSeq');
    const bitmapPlan = await explain('fx_replace_bitmap', [...base, batch('regen'), 'NULL', cut, 'NULL']);
    expect(
      planNodes(bitmapPlan).some((node) => node['Node Type'] === 'Bitmap Index Scan'),
      'enable_indexscan = off gives the bitmap shape',
    ).toBe(true);
    expectTailOnly(bitmapPlan, 'replaceAfterSeq, bitmap scans');
    expectTailOnly(await explain('fx_truncate', [...base, cut, 'NULL', 'NULL']), 'truncateThread');
    expectProbesOnly(await explain('fx_remove', [threadId, 'm5', scope.orgId, scope.userId]), 'deleteMessage');

    // The repository itself gets the right answers through the re-keyed statements.
    const stored = await repository.appendMessages(scope, {
      threadId,
      messages: [
        { id: 'm7', role: 'user', content: 'again' },
        { id: 'n1', role: 'user', content: 'new' },
      ],
    });
    expect(stored.map((m) => [m.id, m.seq, m.content])).toEqual([
      ['m7', 7, 'message 7'],
      ['n1', LONG + 1, 'new'],
    ]);
    expect((await repository.getMessage(scope, { threadId, messageId: 'm9' }))?.seq).toBe(9);
  });
});

import type { Scope } from '@fluxibly/core';
import { afterAll, expect, it } from 'vitest';
import { fluxiblyMigrations, inspectPostgres } from '../src/index.js';
import type { PostgresConversationRepository } from '../src/index.js';
import { runMigrations } from '../src/migrate.js';
import { buildStatements } from '../src/sql/index.js';
import { dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import { planNodes, planRoot } from './support/plans.js';
import { describeWithServer } from './support/server.js';
import { loadV0Rows, v0Fixture } from './support/v0-fixture.js';

/**
 * Upgrading a database of the previous release (schema 0001–0004) holding data to migration 0005 (the activity
 * index for `pruneThreads` across organisations), as `upgrade.test.ts` does for 0003 → 0004: the rows of
 * `fixtures/v0-data.json` (written by the code before contract v2) plus rows only 0004 can hold (statuses, token
 * counts, a summary), loaded into a schema built by the shipped migrations up to 0004; then `migrate()`. 0005
 * rewrites no table, every row reads back the same, and the data-lifecycle operations work on the old rows — the
 * prune across organisations on the new index.
 */
const pool = rawPool();
const schema = freshSchema('fx_lifepg_upgrade');
const MIGRATIONS = fluxiblyMigrations('x').map((migration) => migration.name);
const fixture = v0Fixture();
let repository: PostgresConversationRepository | undefined;

afterAll(async () => {
  await repository?.close();
  await dropSchema(pool, schema);
  await pool.end();
});

async function relfilenodes(): Promise<string[]> {
  const { rows } = await pool.query<{ node: string }>(
    `SELECT relfilenode::text AS node FROM pg_class WHERE oid IN (to_regclass($1), to_regclass($2)) ORDER BY oid`,
    [`"${schema}".fluxibly_threads`, `"${schema}".fluxibly_messages`],
  );
  return rows.map((row) => row.node);
}

/** Everything the repository and the raw tables show of the fixture's tenants (and the v2 tenant). */
async function everything(r: PostgresConversationRepository, scopes: Scope[]): Promise<unknown> {
  const inspector = inspectPostgres(pool, schema);
  const out: unknown[] = [];
  for (const scope of scopes) {
    out.push(await inspector.snapshot(scope.orgId));
    const { threads } = await r.listThreads(scope, { limit: 100 });
    out.push(threads);
    for (const thread of threads) out.push(await r.getMessages(scope, { threadId: thread.id, limit: 100 }));
  }
  return JSON.parse(JSON.stringify(out));
}

await describeWithServer('upgrade from 0004 (with data) to 0005', () => {
  it('0005 adds the activity index only; old rows read back the same and take erase, transfer, prune', async () => {
    expect(MIGRATIONS.slice(4)).toEqual(['FluxiblyActivityIndex1765152000000']);
    const r = (repository = repositoryIn(schema));
    await runMigrations(await r.dataSource.initialize(), schema, fluxiblyMigrations(schema).slice(0, 4));
    await loadV0Rows(pool, schema, fixture);
    const [alice, bob, bAlice] = fixture.reads.map((read) => read.scope) as [Scope, Scope, Scope];
    expect([alice, bob, bAlice]).toEqual([
      { orgId: 'org-a', userId: 'alice' },
      { orgId: 'org-a', userId: 'bob' },
      { orgId: 'org-b', userId: 'alice' },
    ]);
    // Rows only schema 0004 holds: a streamed reply (status, token count) and a summary on an old thread.
    await r.appendMessages(bAlice, {
      threadId: 'thread-2-cleared',
      messages: [
        { id: 'v2-stream', role: 'assistant', content: 'streaming', status: 'in_progress', tokenCount: 3 },
        { id: 'v2-summary', role: 'system', content: 'summary', summaryOf: { fromSeq: 1, toSeq: 2 } },
      ],
    });
    const scopes = [alice, bob, bAlice];
    const before = await everything(r, scopes);
    const nodes = await relfilenodes();

    expect(await r.migrate()).toEqual(['FluxiblyActivityIndex1765152000000']);
    expect(await relfilenodes(), 'no table rewritten').toEqual(nodes);
    const { rows: index } = await pool.query<{ def: string }>(
      `SELECT indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND indexname = 'fluxibly_threads_by_activity'`,
      [schema],
    );
    expect(index[0]?.def).toMatch(/ON .*fluxibly_threads USING btree \(updated_at, id\)$/);
    expect(await everything(r, scopes), 'every row reads back the same').toEqual(before);

    // The guard and the lifecycle on the old rows.
    await expect(
      r.truncateThread(bob, { threadId: 'thread-1-main', afterSeq: 8, expectedLastSeq: 8, expectedMessageCount: 6 }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await r.truncateThread(bob, { threadId: 'thread-1-main', afterSeq: 8, expectedMessageCount: 7 })).toBe(0);
    const carol = { orgId: 'org-a', userId: 'carol' };
    expect(await r.transferThread(bob, { threadId: 'thread-1-main', toUserId: 'carol' })).toMatchObject({
      userId: 'carol',
      messageCount: 7,
    });
    const { rows: owners } = await pool.query<{ user_id: string; n: number }>(
      `SELECT user_id, count(*)::int AS n FROM "${schema}".fluxibly_messages WHERE thread_id = 'thread-1-main' GROUP BY 1`,
    );
    expect(owners).toEqual([{ user_id: 'carol', n: 7 }]);
    expect(await r.eraseUser(alice)).toEqual({ threads: 3, messages: 13 });
    expect(await inspectPostgres(pool, schema).remains?.(alice)).toBe(0);

    // The prune across organisations: served by the new index (the only index on updated_at alone).
    const client = await pool.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const { text } = buildStatements(r.tables).lifecycle.pruneAll(100);
      const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, [Date.now()]);
      const used = planNodes(planRoot(rows)).map((node) => node['Index Name'] ?? node['Node Type']);
      expect(used).toContain('fluxibly_threads_by_activity');
    } finally {
      client.release(true);
    }
    // Older than every fixture row but thread-2-cleared (12:23:54.349, since moved by the v2 append) and the
    // transferred thread: bob's fork and cleared thread, org-b's main and fork.
    const cutoff = new Date('2026-12-04T12:23:54.345Z');
    expect(await r.pruneThreads({}, { inactiveBefore: cutoff, limit: 100 })).toEqual({
      deleted: 4,
      messages: 19,
      more: false,
    });
    const { rows: left } = await pool.query<{ id: string }>(
      `SELECT id FROM "${schema}".fluxibly_threads ORDER BY id COLLATE "C"`,
    );
    expect(left.map((row) => row.id)).toEqual(['thread-1-main', 'thread-2-cleared']);
    expect(await r.getThread(carol, 'thread-1-main')).toMatchObject({ messageCount: 7 });
    expect((await r.getThread(bAlice, 'thread-2-cleared'))?.summarySeq).toBeDefined();
  });
});

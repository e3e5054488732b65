import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresConversationRepository } from '../src/index.js';
import type { Statement } from '../src/connection.js';
import { buildStatements } from '../src/sql/index.js';
import { dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import type { PlanNode } from './support/plans.js';
import { explainExecute, planNodes, rowsRemoved, scansOf } from './support/plans.js';
import { describeWithServer } from './support/server.js';

/**
 * Erase and prune batches find their threads through an index (the listing indexes; `fluxibly_threads_by_activity`
 * of migration 0005 across organisations), delete them by row address, and find their messages through the primary
 * key's `thread_id` prefix: no sequential scan of either table, whatever the batch. Checked on 40 organisations'
 * 8,000 threads and 16,000 messages (analysed), for the generic plan (`plan_cache_mode = force_generic_plan`, as in
 * `generic-plan.test.ts`: what a connection caches after five calls) and for custom plans, each executed in a
 * rolled-back transaction.
 *
 * Not covered: a generic plan made while the tables are still empty and kept (autovacuum off) reads both tables
 * sequentially, as the listings' would. Autovacuum's `ANALYZE` of a growing table invalidates such a plan; erase and
 * prune are operator calls, rarely five times on one connection before the first `ANALYZE`.
 */
const schema = freshSchema('fx_lifepg_plans');
const pool = rawPool();
const ORGS = 40;
const THREADS_PER_ORG = 200;
let repository: PostgresConversationRepository;
let client: pg.PoolClient;

beforeAll(async () => {
  repository = repositoryIn(schema);
  await repository.migrate();
  for (const table of ['fluxibly_messages', 'fluxibly_threads']) {
    await pool.query(`ALTER TABLE "${schema}".${table} SET (autovacuum_enabled = off)`);
  }
  await fill();
  await pool.query(`ANALYZE "${schema}".fluxibly_threads`);
  await pool.query(`ANALYZE "${schema}".fluxibly_messages`);
  client = await pool.connect();
});

afterAll(async () => {
  client.release(true);
  await repository.close();
  await dropSchema(pool, schema);
  await pool.end();
});

/** Threads `o<i>-t<j>` of org `org-<i>` (users `u0`…`u4`), one a minute from 2001, each with two messages. */
async function fill(): Promise<void> {
  const t = `"${schema}".fluxibly_threads`;
  await pool.query(
    `INSERT INTO ${t} (id, org_id, user_id, name, metadata, created_at, updated_at, last_seq, message_count)
     SELECT 'o' || o || '-t' || j, 'org-' || o, 'u' || (j % 5), '', '{}', at, at, 2, 2
     FROM generate_series(1, ${ORGS}) o, generate_series(1, ${THREADS_PER_ORG}) j,
       LATERAL (SELECT timestamptz '2001-01-01' + ((j * ${ORGS} + o) * interval '1 minute') AS at) AS a`,
  );
  await pool.query(
    `INSERT INTO "${schema}".fluxibly_messages (thread_id, seq, id, org_id, user_id, role, content, metadata, created_at)
     SELECT id, s, 'm' || s, org_id, user_id, 'user', '"hello"', '{}', created_at FROM ${t}, generate_series(1, 2) s`,
  );
}

/** The cut-off between the 20th and 21st minute-rows of each org (so a prune batch finds 20 per org). */
const CUTOFF = Date.UTC(2001, 0, 1) + (21 * ORGS + 1) * 60_000;

/**
 * How each scan of `relation` in `plan` reads it: an index's name (a bitmap heap scan by its bitmap index scans),
 * `'tid'` for a scan by row address. Every scan must have thrown no row away.
 */
function accessOf(plan: PlanNode, relation: string, label: string): string[] {
  return scansOf(plan, relation).flatMap((scan) => {
    expect(rowsRemoved(scan), `${label}: ${relation} rows removed`).toBe(0);
    if (scan['Node Type'] === 'Tid Scan') return ['tid'];
    if (scan['Node Type'] === 'Bitmap Heap Scan') {
      return planNodes(scan)
        .filter((node) => node['Node Type'] === 'Bitmap Index Scan')
        .map((node) => node['Index Name'] ?? '?');
    }
    return [scan['Index Name'] ?? scan['Node Type']];
  });
}

/**
 * The batch reads the threads it chooses on `index`, deletes them by address, and their messages on the primary key;
 * no sequential scan anywhere.
 */
function expectIndexed(plan: PlanNode, label: string, index: string): void {
  const sequential = planNodes(plan).filter((node) => node['Node Type'] === 'Seq Scan');
  expect(
    sequential.map((node) => node['Relation Name']),
    `${label}: sequential scans`,
  ).toEqual([]);
  expect(accessOf(plan, 'fluxibly_threads', label).sort(), `${label}: threads`).toEqual([index, 'tid'].sort());
  expect(accessOf(plan, 'fluxibly_messages', label), `${label}: messages`).toEqual(['fluxibly_messages_pkey']);
}

/** The batch statements, their parameter types and arguments, and the index each must choose threads on. */
function cases(): Array<{ name: string; sql: Statement; types: string[]; args: string[]; index: string }> {
  const l = buildStatements(repository.tables).lifecycle;
  return [
    {
      name: 'erase_user',
      sql: l.eraseUser(100),
      types: ['text', 'text'],
      args: ['org-7', 'u3'],
      index: 'fluxibly_threads_by_user',
    },
    { name: 'erase_org', sql: l.eraseOrg(100), types: ['text'], args: ['org-7'], index: 'fluxibly_threads_by_org' },
    {
      name: 'prune_org',
      sql: l.pruneOrg(100),
      types: ['text', 'float8'],
      args: ['org-7', String(CUTOFF)],
      index: 'fluxibly_threads_by_org',
    },
    {
      name: 'prune_all',
      sql: l.pruneAll(100),
      types: ['float8'],
      args: [String(CUTOFF)],
      index: 'fluxibly_threads_by_activity',
    },
  ];
}

await describeWithServer('erase and prune batches use indexes', () => {
  it('generic plans: threads by the listing / activity index, messages by the primary key', async () => {
    await client.query('SET plan_cache_mode = force_generic_plan');
    for (const c of cases()) {
      await client.query(`PREPARE fx_${c.name}(${c.types.join(', ')}) AS ${c.sql.text}`);
    }
    for (const c of cases()) {
      const plan = await explainExecute(client, `fx_${c.name}`, c.args);
      expectIndexed(plan, `generic ${c.name}`, c.index);
    }
    for (const c of cases()) await client.query(`DEALLOCATE fx_${c.name}`);
    await client.query('RESET plan_cache_mode');
  });

  it('custom plans choose the same indexes, and each batch deletes what it chose', async () => {
    for (const c of cases()) {
      await client.query(`PREPARE fx_custom_${c.name}(${c.types.join(', ')}) AS ${c.sql.text}`);
      await client.query('BEGIN');
      try {
        const literals = c.args.map((arg) => client.escapeLiteral(arg));
        const { rows } = await client.query<{ picked: string; threads: string; messages: string }>(
          `EXECUTE fx_custom_${c.name}(${literals.join(', ')})`,
        );
        const expected = { erase_user: 40, erase_org: 100, prune_org: 20, prune_all: 100 }[c.name];
        expect(rows[0], c.name).toMatchObject({
          picked: String(expected),
          threads: String(expected),
          messages: String(2 * (expected ?? 0)),
        });
      } finally {
        await client.query('ROLLBACK');
      }
      expectIndexed(await explainExecute(client, `fx_custom_${c.name}`, c.args), `custom ${c.name}`, c.index);
    }
  });
});

import { ValidationError } from '@fluxibly/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type pg from 'pg';
import type { PostgresConversationRepository } from '../src/index.js';
import { buildStatements } from '../src/sql/index.js';
import { dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import type { PlanNode } from './support/plans.js';
import { explainExecute, planNodes, planRoot, rowsRemoved } from './support/plans.js';
import { describeWithServer } from './support/server.js';

/**
 * Issue 9 item 4: a search costs in proportion to the searching tenant's own data. A victim with 2 messages
 * containing "msg" searches for it while another tenant holds 20,000 rows containing it; the plan (custom, and the
 * generic plan of the prepared statement) must read no more message rows than the victim's 2. Numbers from
 * `EXPLAIN (ANALYZE, FORMAT JSON)`, never times.
 */
const schema = freshSchema('fluxibly_search');
const pool = rawPool();
const victim = { orgId: 'org-victim', userId: 'user-victim' };
const other = { orgId: 'org-big', userId: 'user-big' };
const OTHER_ROWS = 20_000;
let repository: PostgresConversationRepository;
let client: pg.PoolClient;
let victimThreadId: string;

beforeAll(async () => {
  repository = repositoryIn(schema);
  await repository.migrate();
  const thread = await repository.createThread(victim);
  victimThreadId = thread.id;
  await repository.appendMessages(victim, {
    threadId: thread.id,
    messages: [
      { role: 'user', content: 'first msg here' },
      { role: 'assistant', content: [{ type: 'text', text: 'a second msg' }] },
      { role: 'user', content: 'nothing to find' },
    ],
  });
  const big = await repository.createThread(other);
  await pool.query(
    `INSERT INTO "${schema}".fluxibly_messages (thread_id, seq, id, org_id, user_id, role, content, metadata, created_at)
     SELECT $1, g, 'm' || g, $2, $3, 'user', to_jsonb('msg number ' || g), '{}', now()
     FROM generate_series(1, ${OTHER_ROWS}) g`,
    [big.id, other.orgId, other.userId],
  );
  await pool.query(`ANALYZE "${schema}".fluxibly_messages`);
  client = await pool.connect();
});

afterAll(async () => {
  client.release();
  await repository.close();
  await dropSchema(pool, schema);
  await pool.end();
});

/** The message rows each scan of the plan produced or threw away (the most any one scan touched). */
function mostRowsTouched(root: PlanNode): number {
  const scans = planNodes(root).filter(
    (node) =>
      node['Node Type'].includes('Scan') &&
      (node['Relation Name'] === 'fluxibly_messages' || (node['Index Name'] ?? '').startsWith('fluxibly_messages')),
  );
  expect(scans.length).toBeGreaterThan(0);
  return Math.max(...scans.map((node) => (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1) + rowsRemoved(node)));
}

await describeWithServer('search cost is bounded by the searching tenant', () => {
  it('finds only the victim’s messages', async () => {
    const found = await repository.searchMessages(victim, { query: 'msg' });
    expect(found.map((m) => m.seq).sort()).toEqual([1, 2]);
  });

  it('the custom plan reads no more rows than the victim’s matches, whatever the other tenant holds', async () => {
    const { text } = buildStatements(repository.tables).messages.search(20);
    for (const query of ['msg', Array.from({ length: 32 }, () => 'msg').join(' ')]) {
      const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, [
        victim.orgId,
        victim.userId,
        query,
      ]);
      expect(mostRowsTouched(planRoot(rows)), query.slice(0, 20)).toBeLessThanOrEqual(2);
    }
  });

  it('so does the generic plan of the prepared statement', async () => {
    const { text } = buildStatements(repository.tables).messages.search(20);
    await client.query('SET plan_cache_mode = force_generic_plan');
    try {
      await client.query(`PREPARE fx_search(text, text, text) AS ${text}`);
      const plan = await explainExecute(client, 'fx_search', [victim.orgId, victim.userId, 'msg']);
      expect(mostRowsTouched(plan)).toBeLessThanOrEqual(2);
    } finally {
      await client.query('DEALLOCATE ALL');
      await client.query('RESET plan_cache_mode');
    }
  });

  it('the victim’s searches keep the generic plan instead of re-planning every call', async () => {
    // Planner statistics dominated by the other tenant made each custom plan look far cheaper than the generic
    // one, so PostgreSQL re-planned every search (~0.1 ms each). Plan choice is the server's default (auto).
    for (const statement of [
      { sql: buildStatements(repository.tables).messages.search(20), values: [victim.orgId, victim.userId, 'msg'] },
      {
        sql: buildStatements(repository.tables).messages.searchThread(20),
        values: [victim.orgId, victim.userId, 'msg', victimThreadId],
      },
    ]) {
      for (let call = 0; call < 12; call++) {
        const { rows } = await client.query({
          name: statement.sql.name,
          text: statement.sql.text,
          values: statement.values,
        });
        expect(rows).toHaveLength(2);
      }
      const { rows } = await client.query<{ generic_plans: string; custom_plans: string }>(
        'SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1',
        [statement.sql.name],
      );
      expect(rows[0]).toEqual({ generic_plans: '7', custom_plans: '5' });
    }
  });

  it('a query of more than LIMITS.queryTerms words is a ValidationError naming query', async () => {
    const query = Array.from({ length: 33 }, () => 'msg').join(' ');
    const error: unknown = await repository.searchMessages(victim, { query }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('query');
  });
});

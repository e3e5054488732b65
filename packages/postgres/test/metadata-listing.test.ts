import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresConversationRepository } from '../src/index.js';
import { buildStatements } from '../src/sql/index.js';
import { dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import { planNodes, planRoot } from './support/plans.js';
import { describeWithServer } from './support/server.js';

/**
 * Listing threads by metadata is index-backed (issue 11 item 4): among 20,000 threads of one user (and as many of
 * another org), the listings with a `metadata` filter are served by the GIN index `fluxibly_threads_metadata`
 * (migration 0004) — per user and org-wide — never by a sequential scan nor by walking the user's threads.
 */
const schema = freshSchema('fluxibly_metalist');
const pool = rawPool();
const scope = { orgId: 'org-meta', userId: 'user-meta' };
const THREADS = 20_000;
let repository: PostgresConversationRepository;

beforeAll(async () => {
  repository = repositoryIn(schema, { migrate: true });
  await repository.listThreads(scope);
  // One thread in 1,000 has { kind: 'rare' }; every one has a distinct n. Another org holds as many threads.
  for (const [org, user] of [
    [scope.orgId, scope.userId],
    ['org-other', 'other'],
  ]) {
    await pool.query(
      `INSERT INTO "${schema}".fluxibly_threads (id, org_id, user_id, name, metadata, created_at, updated_at, last_seq, message_count)
       SELECT $1 || g, $1, $2, '', jsonb_build_object('kind', CASE WHEN g % 1000 = 0 THEN 'rare' ELSE 'common' END, 'n', g),
         now() - g * interval '1 second', now() - g * interval '1 second', 0, 0
       FROM generate_series(1, ${THREADS}) g`,
      [org, user],
    );
  }
  await pool.query(`ANALYZE "${schema}".fluxibly_threads`);
});

afterAll(async () => {
  await repository.close();
  await dropSchema(pool, schema);
  await pool.end();
});

/** The index (or node type) of every scan in the plan of `text` with `values`. */
async function scans(text: string, values: unknown[]): Promise<string[]> {
  const { rows } = await pool.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, values);
  return planNodes(planRoot(rows))
    .filter((node) => node['Node Type'].includes('Scan'))
    .map((node) => node['Index Name'] ?? node['Node Type']);
}

await describeWithServer('listing threads by metadata', () => {
  it('per user and org-wide, first page and after a cursor, use fluxibly_threads_metadata', async () => {
    const t = buildStatements(repository.tables).threads;
    const filter = JSON.stringify({ kind: 'rare' });
    const cursor = [new Date(Date.now() - 5_000_000), 'x'];
    const plans = {
      user: await scans(t.listUserByMetadata(21).text, [scope.orgId, scope.userId, filter]),
      userAfter: await scans(t.listUserByMetadataAfter(21).text, [scope.orgId, scope.userId, filter, ...cursor]),
      org: await scans(t.listOrgByMetadata(21).text, [scope.orgId, filter]),
      orgAfter: await scans(t.listOrgByMetadataAfter(21).text, [scope.orgId, filter, ...cursor]),
    };
    for (const [label, used] of Object.entries(plans)) {
      expect(used, label).toContain('fluxibly_threads_metadata');
      expect(used, label).not.toContain('Seq Scan');
      expect(used, label).not.toContain('fluxibly_threads_by_user');
      expect(used, label).not.toContain('fluxibly_threads_by_org');
    }
    // The generic plan (prepared statements, `plan_cache_mode = force_generic_plan`) too.
    const client = await pool.connect();
    try {
      await client.query('SET plan_cache_mode = force_generic_plan');
      await client.query(`PREPARE fx_meta(text, text, jsonb) AS ${t.listUserByMetadata(21).text}`);
      await client.query(`PREPARE fx_meta_org(text, jsonb) AS ${t.listOrgByMetadata(21).text}`);
      for (const sql of [
        `EXPLAIN (FORMAT JSON) EXECUTE fx_meta('${scope.orgId}', '${scope.userId}', '${filter}')`,
        `EXPLAIN (FORMAT JSON) EXECUTE fx_meta_org('${scope.orgId}', '${filter}')`,
      ]) {
        const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(sql);
        const used = planNodes(planRoot(rows)).map((node) => node['Index Name'] ?? node['Node Type']);
        expect(used, sql).toContain('fluxibly_threads_metadata');
      }
    } finally {
      client.release(true);
    }

    const page = await repository.listThreads(scope, { metadata: { kind: 'rare' }, limit: 5 });
    expect(page.threads.map((thread) => thread.metadata)).toEqual(
      [1, 2, 3, 4, 5].map((i) => ({ kind: 'rare', n: i * 1000 })),
    );
    const org = await repository.listOrgThreads({ orgId: scope.orgId }, { metadata: { kind: 'rare' }, limit: 100 });
    expect(org.threads).toHaveLength(THREADS / 1000);
  });
});

import { ConflictError } from '@fluxibly/core';
import { afterAll, expect, it } from 'vitest';
import { fluxiblyMigrations } from '../src/index.js';
import type { PostgresConversationRepository } from '../src/index.js';
import { runMigrations } from '../src/migrate.js';
import { buildStatements } from '../src/sql/index.js';
import { dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import { planNodes, planRoot } from './support/plans.js';
import { describeWithServer } from './support/server.js';
import type { V0Fixture } from './support/v0-fixture.js';
import { asJson, loadV0Rows, v0Fixture, withStatus } from './support/v0-fixture.js';

/**
 * Upgrading a database of a previous release. Its data is `fixtures/v0-data.json`: rows written by the code of
 * main before contract v2 (commit da81740, schema 0001–0003; see `fixtures/make-v0-fixture.ts`), loaded as they
 * were into a schema built by the shipped migrations up to that release, then `migrate()`:
 * - from 0003 (the release before contract v2): migration 0004 rewrites no table, every old thread and message
 *   reads back exactly as that code read it (plus `status: 'completed'`), search finds what it found, and every
 *   new operation works on the old threads;
 * - from 0001: the same reads after 0002–0004, and the indexes of 0002/0003 replace the old ones and are used.
 */
const pool = rawPool();
const schemas: string[] = [];
const fixture: V0Fixture = v0Fixture();
const MIGRATIONS = fluxiblyMigrations('x').map((migration) => migration.name);

afterAll(async () => {
  for (const schema of schemas) await dropSchema(pool, schema);
  await pool.end();
});

/** A repository on a fresh schema holding the fixture's rows, migrated with the first `applied` migrations only. */
async function oldDatabase(applied: number): Promise<{ schema: string; repository: PostgresConversationRepository }> {
  const schema = freshSchema('fluxibly_upgrade');
  schemas.push(schema);
  const repository = repositoryIn(schema);
  await runMigrations(await repository.dataSource.initialize(), schema, fluxiblyMigrations(schema).slice(0, applied));
  await loadV0Rows(pool, schema, fixture);
  return { schema, repository };
}

async function indexes(schema: string, table: string): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT indexname AS name FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY 1`,
    [schema, table],
  );
  return rows.map((row) => row.name);
}

async function relfilenode(schema: string, table: string): Promise<string> {
  const { rows } = await pool.query<{ node: string }>(
    'SELECT relfilenode::text AS node FROM pg_class WHERE oid = to_regclass($1)',
    [`"${schema}".${table}`],
  );
  return rows[0]?.node ?? '';
}

/** Every read the previous code recorded gives the same answer through `repository` (plus `status`). */
async function expectSameReads(repository: PostgresConversationRepository): Promise<void> {
  expect(fixture.reads).toHaveLength(3);
  for (const { scope, threads, pages, searches } of fixture.reads) {
    expect(threads.length).toBeGreaterThanOrEqual(3);
    expect(asJson((await repository.listThreads(scope, { limit: 100 })).threads)).toEqual(threads);
    for (const thread of threads) {
      expect(asJson(await repository.getThread(scope, thread.id))).toEqual(thread);
      const page = await repository.getMessages(scope, { threadId: thread.id, limit: 100 });
      expect(asJson(page?.messages), thread.id).toEqual(withStatus(pages[thread.id] ?? []));
      for (const message of pages[thread.id] ?? []) {
        const one = await repository.getMessage(scope, { threadId: thread.id, messageId: message.id });
        expect(asJson(one)).toEqual({ ...message, status: 'completed' });
      }
    }
    // Every word found what it found before (w…x6 nothing: its message was deleted).
    expect(Object.values(searches).filter((found) => found.length > 0)).toHaveLength(8);
    for (const [query, found] of Object.entries(searches)) {
      expect(asJson(await repository.searchMessages(scope, { query })), query).toEqual(withStatus(found));
    }
  }
}

/** Every contract v2 operation on the old threads of each tenant. */
async function expectNewOperations(repository: PostgresConversationRepository): Promise<void> {
  for (const [i, { scope }] of fixture.reads.entries()) {
    const threadId = `thread-${i}-main`;
    const old = await repository.getThread(scope, threadId);
    expect(old).toMatchObject({ lastSeq: 8, messageCount: 7 });
    expect(old).not.toHaveProperty('summarySeq');

    // Stream a reply into a message and finish it exactly once.
    const [streaming] = await repository.appendMessages(scope, {
      threadId,
      messages: [{ id: `v2-${i}-stream`, role: 'assistant', content: '', status: 'in_progress' }],
      expectedLastSeq: 8,
    });
    expect(streaming).toMatchObject({ seq: 9, status: 'in_progress' });
    const finished = await repository.editMessage(scope, {
      threadId,
      messageId: `v2-${i}-stream`,
      content: 'done',
      status: 'completed',
      tokenCount: 7,
      expectedStatus: 'in_progress',
    });
    expect(finished).toMatchObject({ status: 'completed', tokenCount: 7 });
    await expect(
      repository.editMessage(scope, {
        threadId,
        messageId: `v2-${i}-stream`,
        status: 'incomplete',
        expectedStatus: 'in_progress',
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    // An old message takes expectedStatus: it is completed.
    const oldEdit = await repository.editMessage(scope, {
      threadId,
      messageId: `t${i}-assistant-2`,
      tokenCount: 3,
      expectedStatus: 'completed',
    });
    expect(oldEdit).toMatchObject({ status: 'completed', tokenCount: 3, seq: 6 });

    // Regenerate the last reply of an old thread, then retry it.
    const regenerate = {
      threadId,
      messages: [{ id: `v2-${i}-regen`, role: 'assistant' as const, content: 'again' }],
      replaceAfterSeq: 8,
    };
    const [regen] = await repository.appendMessages(scope, regenerate);
    expect(regen?.seq).toBe(10);
    expect(await repository.appendMessages(scope, regenerate)).toEqual([regen]);
    expect(await repository.getThread(scope, threadId)).toMatchObject({ lastSeq: 10, messageCount: 8 });
    expect(await repository.truncateThread(scope, { threadId, afterSeq: 5, expectedLastSeq: 10 })).toBe(3);
    expect(await repository.getThread(scope, threadId)).toMatchObject({ lastSeq: 10, messageCount: 5 });

    // A summary of the old messages.
    await repository.appendMessages(scope, {
      threadId,
      messages: [{ id: `v2-${i}-summary`, role: 'system', content: 'summary', summaryOf: { fromSeq: 1, toSeq: 5 } }],
    });
    expect((await repository.getThread(scope, threadId))?.summarySeq).toBe(11);

    // Metadata: patch, compare-and-set, list by it.
    const patched = await repository.updateThread(scope, {
      threadId,
      metadataPatch: { streamId: 's1', v: null },
      expectedMetadata: { topic: 'x', streamId: null },
    });
    expect(patched.metadata).toEqual({ topic: 'x', streamId: 's1' });
    await expect(
      repository.updateThread(scope, {
        threadId,
        metadataPatch: { streamId: 's2' },
        expectedMetadata: { streamId: null },
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    const byTopic = await repository.listThreads(scope, { metadata: { topic: 'x' } });
    expect(byTopic.threads.map((thread) => thread.id)).toEqual([threadId, `thread-${i}-fork`]);
    const archived = await repository.listOrgThreads({ orgId: scope.orgId }, { metadata: { archived: true, n: i } });
    expect(archived.threads.map((thread) => thread.id)).toEqual([`thread-${i}-cleared`]);

    // The old fork and the old cleared thread take the new operations too.
    const fork = await repository.forkThread(scope, { threadId: `thread-${i}-fork`, atSeq: 3 });
    expect((await repository.getMessages(scope, { threadId: fork.id }))?.messages.map((m) => m.status)).toEqual([
      'completed',
      'completed',
      'completed',
    ]);
    expect(await repository.truncateThread(scope, { threadId: `thread-${i}-cleared`, afterSeq: 1 })).toBe(0);
    expect(await repository.clearThread(scope, threadId)).toBe(6);
    expect(await repository.getThread(scope, threadId)).not.toHaveProperty('summarySeq');
  }
}

await describeWithServer('upgrade from the previous release', () => {
  it('the fixture was written by the code before contract v2, on the 0001–0003 schema', () => {
    expect(fixture.generatedBy).toMatch(/da81740/);
    expect(fixture.migrations).toEqual(MIGRATIONS.slice(0, 3));
    expect(fixture.messages.length).toBeGreaterThan(30);
  });

  it('from 0003: 0004 rewrites no table; old data reads back identical, then takes every new operation', async () => {
    const { schema, repository } = await oldDatabase(3);
    try {
      const nodes = [await relfilenode(schema, 'fluxibly_messages'), await relfilenode(schema, 'fluxibly_threads')];
      expect(await repository.migrate()).toEqual(MIGRATIONS.slice(3));
      expect([await relfilenode(schema, 'fluxibly_messages'), await relfilenode(schema, 'fluxibly_threads')]).toEqual(
        nodes,
      );
      expect(await indexes(schema, 'fluxibly_threads')).toContain('fluxibly_threads_metadata');
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${schema}".fluxibly_messages
         WHERE status IS NOT NULL OR token_count IS NOT NULL OR summary_from_seq IS NOT NULL`,
      );
      expect(rows).toEqual([{ n: 0 }]);
      await expectSameReads(repository);
      await expectNewOperations(repository);
    } finally {
      await repository.close();
    }
  });

  it('from 0001: the later indexes replace the old ones and are used; old data reads back identical', async () => {
    const { schema, repository } = await oldDatabase(1);
    try {
      expect(await indexes(schema, 'fluxibly_messages')).toEqual([
        'fluxibly_messages_pkey',
        'fluxibly_messages_search',
        'fluxibly_messages_thread_message',
      ]);
      // Another tenant with enough rows that the planner prefers an index.
      await pool.query(
        `INSERT INTO "${schema}".fluxibly_messages (thread_id, seq, id, org_id, user_id, role, content, metadata, created_at)
         SELECT 'big', g, 'm' || g, 'org-big', 'big', 'user', to_jsonb('w0x1 rules part result ' || g), '{}', now()
         FROM generate_series(1, 5000) g`,
      );
      expect(await repository.migrate()).toEqual(MIGRATIONS.slice(1));
      expect(await indexes(schema, 'fluxibly_messages')).toEqual([
        'fluxibly_messages_message_key',
        'fluxibly_messages_pkey',
        'fluxibly_messages_tenant_search',
      ]);
      await pool.query(`ANALYZE "${schema}".fluxibly_messages`);
      await expectSameReads(repository);

      const [{ scope }] = fixture.reads as [V0Fixture['reads'][number]];
      const { text } = buildStatements(repository.tables).messages.search(20);
      const { rows } = await pool.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, [
        scope.orgId,
        scope.userId,
        'w0x1',
      ]);
      const used = planNodes(planRoot(rows)).map((node) => node['Index Name'] ?? node['Node Type']);
      expect(used).toContain('fluxibly_messages_tenant_search');
      expect(used).not.toContain('Seq Scan');
    } finally {
      await repository.close();
    }
  });
});

import type { ChatMessage, NewMessage } from '@fluxibly/core';
import { afterAll, expect, it } from 'vitest';
import { fluxiblyMigrations } from '../src/index.js';
import { runMigrations } from '../src/migrate.js';
import { buildStatements } from '../src/sql/index.js';
import { dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import { planNodes, planRoot } from './support/plans.js';
import { describeWithServer } from './support/server.js';

/**
 * Upgrading a database of the previous release: a schema with only migration 0001 applied, written by the current
 * code, then `migrate()`. Every message reads back identical and is found by search; the old indexes are gone and
 * the new ones are used.
 */
const schema = freshSchema('fluxibly_upgrade');
const pool = rawPool();

afterAll(async () => {
  await dropSchema(pool, schema);
  await pool.end();
});

async function indexes(): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT indexname AS name FROM pg_indexes WHERE schemaname = $1 AND tablename = 'fluxibly_messages' ORDER BY 1`,
    [schema],
  );
  return rows.map((row) => row.name);
}

await describeWithServer('upgrade from the 0001 schema', () => {
  it('keeps every message, finds each by search, and uses the new indexes', async () => {
    const [first, ...later] = fluxiblyMigrations(schema);
    const repository = repositoryIn(schema);
    try {
      await runMigrations(await repository.dataSource.initialize(), schema, first === undefined ? [] : [first]);
      expect(await indexes()).toEqual([
        'fluxibly_messages_pkey',
        'fluxibly_messages_search',
        'fluxibly_messages_thread_message',
      ]);

      const tenants = [
        { orgId: 'org-a', userId: 'alice' },
        { orgId: 'org-a', userId: 'bob' },
        { orgId: 'org-b', userId: 'alice' },
      ];
      const written: Array<{ scope: (typeof tenants)[number]; threadId: string; messages: ChatMessage[] }> = [];
      let word = 0;
      for (const scope of tenants) {
        const thread = await repository.createThread(scope, { name: `thread of ${scope.userId}`, metadata: { v: 1 } });
        const messages: NewMessage[] = [
          { role: 'system', content: `rules w${word++}` },
          { id: `caller "id" ${word}`, role: 'user', content: `héllo 🌍 w${word++}`, metadata: { n: null, f: false } },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: `part w${word++}` },
              { type: 'tool-call', toolCallId: 'c1', toolName: 'x', input: { deep: [1, { a: 'b' }] } },
            ],
          },
          { role: 'tool', name: 'x', toolCallId: 'c1', content: `result w${word++}` },
        ];
        await repository.appendMessages(scope, { threadId: thread.id, messages: messages.slice(0, 2) });
        await repository.appendMessages(scope, { threadId: thread.id, messages: messages.slice(2) });
        const stored = await repository.getMessages(scope, { threadId: thread.id, limit: 100 });
        written.push({ scope, threadId: thread.id, messages: stored?.messages ?? [] });
      }
      // Another tenant with enough rows that the planner prefers an index.
      const other = await repository.createThread({ orgId: 'org-big', userId: 'big' });
      await pool.query(
        `INSERT INTO "${schema}".fluxibly_messages (thread_id, seq, id, org_id, user_id, role, content, metadata, created_at)
         SELECT $1, g, 'm' || g, 'org-big', 'big', 'user', to_jsonb('w1 rules part result ' || g), '{}', now()
         FROM generate_series(1, 5000) g`,
        [other.id],
      );

      expect(await repository.migrate()).toEqual(later.map((migration) => migration.name));
      expect(await indexes()).toEqual([
        'fluxibly_messages_message_key',
        'fluxibly_messages_pkey',
        'fluxibly_messages_tenant_search',
      ]);
      await pool.query(`ANALYZE "${schema}".fluxibly_messages`);

      for (const { scope, threadId, messages } of written) {
        expect(messages).toHaveLength(4);
        const page = await repository.getMessages(scope, { threadId, limit: 100 });
        expect(page?.messages).toEqual(messages);
        for (const message of messages) {
          const w = /w\d+/.exec(JSON.stringify(message.content))?.[0] ?? 'no word';
          expect(await repository.searchMessages(scope, { query: w }), w).toEqual([message]);
        }
        // The unique key still makes append idempotent: a retry returns the stored message.
        const [again] = await repository.appendMessages(scope, {
          threadId,
          messages: [{ id: messages[1]?.id ?? '', role: 'user', content: 'ignored' }],
        });
        expect(again).toEqual(messages[1]);
      }

      const [{ scope }] = written as [(typeof written)[number]];
      const { text } = buildStatements(repository.tables).messages.search(20);
      const { rows } = await pool.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, [
        scope.orgId,
        scope.userId,
        'w1',
      ]);
      const used = planNodes(planRoot(rows)).map((node) => node['Index Name'] ?? node['Node Type']);
      expect(used).toContain('fluxibly_messages_tenant_search');
      expect(used).not.toContain('Seq Scan');
    } finally {
      await repository.close();
    }
  });
});

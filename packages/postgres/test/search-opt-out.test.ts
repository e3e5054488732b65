import type { Scope } from '@fluxibly/core';
import { UnsupportedError, ValidationError } from '@fluxibly/core';
import { afterAll, expect, it } from 'vitest';
import type { PostgresConversationRepository } from '../src/index.js';
import { createRepositoryFromConfig } from '../src/index.js';
import { DATABASE_URL, dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import { describeWithServer } from './support/server.js';

/**
 * `fullTextSearch: false` (issue 16): a deployment that never searches drops the search column and its index at
 * migration time — instantly, without rewriting the table — and declares the capability off; turning it back on
 * rebuilds both, and the old messages are searchable again. Everything else reads and writes the same.
 */
const pool = rawPool();
const schema = freshSchema('fx_nosearch');
const fresh = freshSchema('fx_withsearch');
const opened: PostgresConversationRepository[] = [];
const alice: Scope = { orgId: 'org', userId: 'alice' };

afterAll(async () => {
  for (const repository of opened) await repository.close();
  await dropSchema(pool, schema);
  await dropSchema(pool, fresh);
  await pool.end();
});

function open(target: string, fullTextSearch?: boolean): PostgresConversationRepository {
  const repository = repositoryIn(target, fullTextSearch === undefined ? {} : { fullTextSearch });
  opened.push(repository);
  return repository;
}

/** The search column's generation expression and the search index's definition, with the schema name cut out. */
async function searchShape(target: string): Promise<{ column: string | null; index: string | null }> {
  const { rows: column } = await pool.query<{ expr: string }>(
    `SELECT pg_get_expr(d.adbin, d.adrelid) AS expr FROM pg_attribute a
     JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = to_regclass($1) AND a.attname = 'search_vector' AND NOT a.attisdropped`,
    [`"${target}".fluxibly_messages`],
  );
  const { rows: index } = await pool.query<{ def: string }>(
    `SELECT indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND indexname = 'fluxibly_messages_tenant_search'`,
    [target],
  );
  return { column: column[0]?.expr ?? null, index: index[0]?.def.replaceAll(target, 'S') ?? null };
}

async function relfilenode(target: string): Promise<string> {
  const { rows } = await pool.query<{ node: string }>(
    `SELECT relfilenode::text AS node FROM pg_class WHERE oid = to_regclass($1)`,
    [`"${target}".fluxibly_messages`],
  );
  return rows[0]?.node ?? '';
}

await describeWithServer('fullTextSearch: false', () => {
  it('drops the search column and index without a rewrite, keeps every message, and rebuilds them on true', async () => {
    const withSearch = open(fresh);
    await withSearch.migrate();
    const shipped = await searchShape(fresh);
    expect(shipped.column).toContain('to_tsvector');
    expect(shipped.index).toContain('gin');

    const before = open(schema);
    await before.migrate();
    const thread = await before.createThread(alice, { name: 'notes' });
    await before.appendMessages(alice, {
      threadId: thread.id,
      messages: [
        { role: 'user', content: 'the walrus sings' },
        { role: 'assistant', content: [{ type: 'text', text: 'a pelican answers' }] },
      ],
    });
    expect((await before.searchMessages(alice, { query: 'walrus' })).map((m) => m.seq)).toEqual([1]);
    const stored = await before.getMessages(alice, { threadId: thread.id });
    const node = await relfilenode(schema);

    const off = open(schema, false);
    expect(off.capabilities).toEqual({ fullTextSearch: false, ttl: false });
    expect(await off.migrate()).toEqual(['FluxiblySearchIndexDropped']);
    expect(await off.migrate(), 'a second migrate() changes nothing').toEqual([]);
    expect(await searchShape(schema)).toEqual({ column: null, index: null });
    expect(await relfilenode(schema), 'no table rewrite').toBe(node);
    expect(await off.getMessages(alice, { threadId: thread.id })).toEqual(stored);
    const offError = await off.searchMessages(alice, { query: 'walrus' }).catch((e: unknown) => e);
    expect(offError).toBeInstanceOf(UnsupportedError);
    expect((offError as Error).message, 'names the option').toMatch(/fullTextSearch: false.*fullTextSearch: true/u);
    const [added] = await off.appendMessages(alice, {
      threadId: thread.id,
      messages: [{ role: 'user', content: 'walrus again' }],
    });
    expect(added?.seq).toBe(3);
    const fork = await off.forkThread(alice, { threadId: thread.id, atSeq: 2 });
    expect((await off.getMessages(alice, { threadId: fork.id }))?.messages.map((m) => m.content)).toEqual(
      stored?.messages.map((m) => m.content),
    );

    // A repository that still declares search, on the schema without it: a typed error naming the way back.
    const stale = open(schema);
    const error = await stale.searchMessages(alice, { query: 'walrus' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as Error).message).toMatch(/fullTextSearch: true/u);

    expect(await stale.migrate(), 'without the option, migrate() never rewrites the table').toEqual([]);
    expect(await searchShape(schema)).toEqual({ column: null, index: null });

    const on = open(schema, true);
    expect(await on.migrate()).toEqual(['FluxiblySearchIndexRebuilt']);
    expect(await on.migrate()).toEqual([]);
    await pool.query(`DROP INDEX "${schema}".fluxibly_messages_tenant_search`);
    expect(await on.migrate(), 'an index dropped by hand is rebuilt').toEqual(['FluxiblySearchIndexRebuilt']);
    expect(await searchShape(schema)).toEqual(shipped);
    const found = await stale.searchMessages(alice, { query: 'walrus' });
    const where = (m: { threadId: string; seq: number }): string =>
      `${m.threadId === fork.id ? 'fork' : 'thread'}:${m.seq}`;
    expect(found.map(where).sort(), 'old, appended-while-off and forked-while-off messages').toEqual([
      'fork:1',
      'thread:1',
      'thread:3',
    ]);
    expect((await stale.searchMessages(alice, { query: 'pelican' })).map(where).sort()).toEqual(['fork:2', 'thread:2']);
    expect((await stale.searchMessages(alice, { query: 'walrus', threadId: fork.id })).map((m) => m.seq)).toEqual([1]);
  });

  it('is an adapter option of createRepository, checked like the others', async () => {
    const config = { backend: 'postgresql', url: DATABASE_URL, host: 'x', port: 1, database: 'x', user: 'x' } as const;
    const repository = await createRepositoryFromConfig(config, { schema: fresh, fullTextSearch: false });
    opened.push(repository);
    expect(repository.capabilities.fullTextSearch).toBe(false);
    const error = await createRepositoryFromConfig(config, { schema: fresh, fullTextSearch: 'no' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('fullTextSearch');
  });
});

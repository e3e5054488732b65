import { UnavailableError } from '@fluxibly/core';
import { DataSource } from 'typeorm';
import { afterAll, expect, it } from 'vitest';
import {
  PostgresConversationRepository,
  createRepositoryFromConfig,
  fluxiblyEntities,
  fluxiblyMigrations,
} from '../src/index.js';
import { DATABASE_URL, dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import { describeWithServer } from './support/server.js';

/** Every shipped migration, oldest first. */
const ALL = fluxiblyMigrations('x').map((migration) => migration.name);

const pool = rawPool();
const schemas: string[] = [];
function schema(): string {
  const name = freshSchema('fluxibly_migrate');
  schemas.push(name);
  return name;
}

afterAll(async () => {
  for (const name of schemas) await dropSchema(pool, name);
  await pool.end();
});

async function tablesIn(name: string): Promise<string[]> {
  const { rows } = await pool.query<{ t: string }>(
    'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
    [name],
  );
  return rows.map((row) => row.t);
}

await describeWithServer('migrations', () => {
  it('migrate() creates the schema and its tables; a second migrate() is a no-op', async () => {
    const name = schema();
    const repository = repositoryIn(name);
    try {
      expect(ALL[0]).toBe('FluxiblyInitialSchema1764115200000');
      expect(await repository.migrate()).toEqual(ALL);
      expect(await tablesIn(name)).toEqual(['fluxibly_messages', 'fluxibly_migrations', 'fluxibly_threads']);
      expect(await repository.migrate()).toEqual([]);
      const { rows } = await pool.query(`SELECT name, "timestamp" FROM "${name}".fluxibly_migrations ORDER BY id`);
      expect(rows).toEqual(ALL.map((n) => ({ name: n, timestamp: n.slice(-13) })));
    } finally {
      await repository.close();
    }
  });

  it('migration 0004 adds nullable columns (no default: no rewrite), checked for new rows, and the metadata index', async () => {
    const name = schema();
    const repository = repositoryIn(name);
    try {
      expect(ALL.slice(3, 4)).toEqual(['FluxiblyContractV21765000000000']);
      await repository.migrate();
      const { rows } = await pool.query<{
        table: string;
        column: string;
        type: string;
        nullable: string;
        d: string | null;
      }>(
        `SELECT table_name AS table, column_name AS column, data_type AS type, is_nullable AS nullable, column_default AS d
         FROM information_schema.columns WHERE table_schema = $1
           AND column_name IN ('status', 'token_count', 'summary_from_seq', 'summary_to_seq', 'summary_seq')
         ORDER BY 1, 2`,
        [name],
      );
      expect(rows.map((row) => [row.table, row.column, row.type, row.nullable, row.d])).toEqual([
        ['fluxibly_messages', 'status', 'text', 'YES', null],
        ['fluxibly_messages', 'summary_from_seq', 'bigint', 'YES', null],
        ['fluxibly_messages', 'summary_to_seq', 'bigint', 'YES', null],
        ['fluxibly_messages', 'token_count', 'bigint', 'YES', null],
        ['fluxibly_threads', 'summary_seq', 'bigint', 'YES', null],
      ]);
      const insert = (status: string, from: number | null, to: number | null): Promise<unknown> =>
        pool.query(
          `INSERT INTO "${name}".fluxibly_messages (thread_id, seq, id, org_id, user_id, role, content, metadata, created_at,
             status, summary_from_seq, summary_to_seq)
           VALUES ('t', $1::bigint, $1::text, 'o', 'u', 'user', '"x"', '{}', now(), $2, $3, $4)`,
          [Math.floor(Math.random() * 1e9), status, from, to],
        );
      // 'completed' is stored as NULL: only the other statuses are spelled out.
      await expect(insert('completed', null, null)).rejects.toThrow(/fluxibly_messages_status/);
      await expect(insert('in_progress', 2, 1)).rejects.toThrow(/fluxibly_messages_summary_range/);
      await expect(insert('in_progress', 1, null)).rejects.toThrow(/fluxibly_messages_summary_range/);
      await insert('incomplete', 1, 2);
      const { rows: index } = await pool.query<{ def: string }>(
        `SELECT indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND indexname = 'fluxibly_threads_metadata'`,
        [name],
      );
      expect(index[0]?.def).toMatch(/USING gin \(org_id, user_id, metadata jsonb_path_ops\)/);
    } finally {
      await repository.close();
    }
  });

  it('two processes migrating a fresh schema at once (two DataSources) apply each migration once', async () => {
    const name = schema();
    const a = repositoryIn(name);
    const b = repositoryIn(name);
    try {
      const [ranA, ranB] = await Promise.all([a.migrate(), b.migrate()]);
      expect([...ranA, ...ranB]).toEqual(ALL);
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${name}".fluxibly_migrations`);
      expect(rows).toEqual([{ n: ALL.length }]);
      const scope = { orgId: 'o', userId: 'u' };
      const thread = await a.createThread(scope);
      expect(await b.getThread(scope, thread.id)).toEqual(thread);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('without migrate(), a call fails with an UnavailableError that says to run migrate()', async () => {
    const repository = repositoryIn(schema());
    try {
      const error = await repository.createThread({ orgId: 'o', userId: 'u' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnavailableError);
      expect((error as Error).message).toMatch(/run migrate\(\)/);
      expect((error as Error).cause).toBeDefined();
    } finally {
      await repository.close();
    }
  });

  it('migrate: true (also through createRepositoryFromConfig adapterOptions) migrates before the first call', async () => {
    const name = schema();
    const repository = await createRepositoryFromConfig(
      { backend: 'postgresql', url: DATABASE_URL, host: 'x', port: 1, database: 'x', user: 'x' },
      { schema: name, migrate: true },
    );
    try {
      const thread = await repository.createThread({ orgId: 'o', userId: 'u' }, { name: 'first' });
      expect(thread.name).toBe('first');
      expect(await tablesIn(name)).toContain('fluxibly_threads');
    } finally {
      await repository.close();
    }
  });

  it('a DataSource the caller owns is used, migrated into and never closed by close()', async () => {
    const name = schema();
    const dataSource = new DataSource({ type: 'postgres', url: DATABASE_URL });
    await dataSource.initialize();
    try {
      const repository = new PostgresConversationRepository({ dataSource, schema: name });
      expect(repository.dataSource).toBe(dataSource);
      await repository.migrate();
      const thread = await repository.createThread({ orgId: 'o', userId: 'u' });
      await repository.close();
      await repository.close();
      expect(dataSource.isInitialized).toBe(true);
      expect((await dataSource.query(`SELECT id FROM "${name}".fluxibly_threads`)) as unknown).toEqual([
        { id: thread.id },
      ]);
      await expect(repository.getThread({ orgId: 'o', userId: 'u' }, thread.id)).rejects.toBeInstanceOf(
        UnavailableError,
      );
    } finally {
      await dataSource.destroy();
    }
  });

  it('a repository it made itself is closed by close()', async () => {
    const name = schema();
    const repository = repositoryIn(name, { migrate: true });
    await repository.createThread({ orgId: 'o', userId: 'u' });
    expect(repository.dataSource.isInitialized).toBe(true);
    await repository.close();
    expect(repository.dataSource.isInitialized).toBe(false);
  });

  it('fluxiblyEntities(schema) reads the tables through TypeORM repositories', async () => {
    const name = schema();
    const [ThreadEntity, MessageEntity] = fluxiblyEntities(name);
    const dataSource = new DataSource({ type: 'postgres', url: DATABASE_URL, entities: [ThreadEntity, MessageEntity] });
    await dataSource.initialize();
    try {
      const repository = new PostgresConversationRepository({ dataSource, schema: name });
      await repository.migrate();
      const scope = { orgId: 'o', userId: 'u' };
      const thread = await repository.createThread(scope, { name: 'via TypeORM' });
      await repository.appendMessages(scope, {
        threadId: thread.id,
        messages: [{ id: 'm1', role: 'user', content: 'hi' }],
      });
      const row = await dataSource.getRepository(ThreadEntity).findOneByOrFail({ id: thread.id });
      expect(row).toMatchObject({ orgId: 'o', userId: 'u', name: 'via TypeORM', lastSeq: '1', messageCount: '1' });
      const message = await dataSource.getRepository(MessageEntity).findOneByOrFail({ threadId: thread.id, seq: '1' });
      expect(message).toMatchObject({ id: 'm1', role: 'user', content: 'hi' });
      await repository.close();
    } finally {
      await dataSource.destroy();
    }
  });
});

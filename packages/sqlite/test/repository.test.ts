import { inspect } from 'node:util';
import {
  ConflictError,
  NotFoundError,
  StateConfig,
  UnavailableError,
  ValidationError,
  createRepository,
  migrateRepository,
} from '@fluxibly/core';
import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { SqliteConversationRepository, createRepositoryFromConfig, fluxiblyEntities } from '../src/index.js';
import { tempFolder } from './support/files.js';

/** Options, the factory, migrations, a caller's DataSource, printing, and the errors a user meets. */
const { file } = tempFolder();
const scope = { orgId: 'org-unit', userId: 'user-unit' };

describe('options and factory', () => {
  it.each([
    ['busyTimeoutMs', { busyTimeoutMs: -1 }],
    ['checkpointIdleMs', { checkpointIdleMs: 1.5 }],
    ['synchronous', { synchronous: 'off' }],
    ['path', { path: 42 }],
    ['dataSource', { dataSource: {} }],
    ['migrate', { migrate: 'yes' }],
  ])('a bad %s is a ValidationError naming it', (field, options) => {
    const error = (() => {
      try {
        new SqliteConversationRepository(options as never);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
  });

  it('createRepository opens the file SQLITE_PATH names; another backend is refused', async () => {
    const path = file();
    const { database } = StateConfig.fromEnv({ DB_BACKEND: 'sqlite', SQLITE_PATH: path });
    const repository = await createRepository(database, { adapterOptions: { migrate: true, busyTimeoutMs: 100 } });
    expect(repository).toBeInstanceOf(SqliteConversationRepository);
    expect((repository as SqliteConversationRepository).path).toBe(path);
    await repository.createThread(scope);
    await repository.close();
    await expect(createRepositoryFromConfig({ backend: 'memory' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('migrations', () => {
  it('migrate() applies once, is a no-op after, and runs from several processes at once', async () => {
    const path = file();
    const repositories = Array.from({ length: 3 }, () => new SqliteConversationRepository({ path }));
    const applied = await Promise.all(repositories.map((r) => r.migrate()));
    expect(applied.flat()).toEqual([
      'FluxiblySqliteInitialSchema1764979200000',
      'FluxiblySqliteActivityIndex1765152000000',
    ]);
    expect(await repositories[0]?.migrate()).toEqual([]);
    expect(await migrateRepository(repositories[1] as SqliteConversationRepository)).toMatchObject({ applied: [] });
    for (const r of repositories) await r.close();
  });

  it('without the tables, a call is an UnavailableError naming migrate()', async () => {
    const repository = new SqliteConversationRepository({ path: file() });
    const error = await repository.createThread(scope).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toContain('run migrate()');
    await repository.close();
  });

  it(':memory: works with migrate: true', async () => {
    const repository = new SqliteConversationRepository({ path: ':memory:', migrate: true });
    const thread = await repository.createThread(scope);
    expect(await repository.getThread(scope, thread.id)).toMatchObject({ id: thread.id });
    await repository.close();
  });
});

describe("a caller's DataSource", () => {
  it('is used, not closed, and its tables read with fluxiblyEntities()', async () => {
    const dataSource = new DataSource({ type: 'better-sqlite3', database: file(), entities: fluxiblyEntities() });
    const repository = new SqliteConversationRepository({ dataSource, migrate: true });
    const thread = await repository.createThread(scope, { name: 'mine' });
    await repository.appendMessages(scope, { threadId: thread.id, messages: [{ role: 'user', content: 'hi' }] });
    await repository.close();
    expect(dataSource.isInitialized).toBe(true);
    const [threads, messages] = fluxiblyEntities();
    expect(await dataSource.getRepository(threads).findOneBy({ id: thread.id })).toMatchObject({
      name: 'mine',
      lastSeq: 1,
    });
    expect(await dataSource.getRepository(messages).countBy({ threadId: thread.id })).toBe(1);
    await dataSource.destroy();
  });
});

describe('group commit of concurrent appends', () => {
  it('each append of a group stands alone: a failing one rejects, the others are stored', async () => {
    const repository = new SqliteConversationRepository({ path: file(), migrate: true });
    const thread = await repository.createThread(scope);
    const calls = Array.from({ length: 32 }, (_, i) =>
      repository.appendMessages(scope, {
        threadId: i === 7 ? 'missing-thread' : thread.id,
        messages: [{ id: `m${i}`, role: 'user', content: `message ${i}` }],
        ...(i === 9 ? { expectedLastSeq: 999 } : {}),
      }),
    );
    const results = await Promise.allSettled(calls);
    expect(results.map((r) => r.status).filter((s) => s === 'rejected')).toHaveLength(2);
    expect((results[7] as PromiseRejectedResult).reason).toBeInstanceOf(NotFoundError);
    expect((results[9] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const seqs = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.map((m) => m.seq) : []));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const stored = await repository.getMessages(scope, { threadId: thread.id, limit: 100 });
    expect(stored?.messages.map((m) => m.id)).not.toContain('m9');
    expect(await repository.getThread(scope, thread.id)).toMatchObject({ lastSeq: 30, messageCount: 30 });
    await repository.close();
  });
});

describe('the file', () => {
  it('is in WAL mode with the busy timeout; the path never prints', async () => {
    const path = file('private-name-4e1b.sqlite');
    const repository = new SqliteConversationRepository({ path, migrate: true, busyTimeoutMs: 1234 });
    await repository.createThread(scope);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    for (const printed of [inspect(repository, { showHidden: true, depth: null }), JSON.stringify(repository)]) {
      expect(printed).not.toContain('private-name-4e1b');
    }
    await repository.close();
  });

  it('idle maintenance merges the small full-text segments each write leaves, and search still finds', async () => {
    const path = file();
    const repository = new SqliteConversationRepository({ path, migrate: true, checkpointIdleMs: 20 });
    const thread = await repository.createThread(scope);
    for (let i = 0; i < 40; i++) {
      await repository.appendMessages(scope, {
        threadId: thread.id,
        messages: [{ role: 'user', content: `word${i} common` }],
      });
    }
    const raw = new Database(path, { readonly: true });
    const segments = (): number =>
      (raw.prepare('SELECT count(*) AS n FROM fluxibly_search_idx').get() as { n: number }).n;
    const before = segments();
    for (let i = 0; i < 50 && segments() >= before; i++) await new Promise((resolve) => setTimeout(resolve, 40));
    expect(segments()).toBeLessThan(before);
    raw.close();
    expect(await repository.searchMessages(scope, { query: 'common', limit: 100 })).toHaveLength(40);
    expect(await repository.searchMessages(scope, { query: 'word7' })).toHaveLength(1);
    await repository.close();
  });

  it('a write waiting beyond busyTimeoutMs for another connection is an UnavailableError', async () => {
    const path = file();
    const repository = new SqliteConversationRepository({ path, migrate: true, busyTimeoutMs: 50 });
    const thread = await repository.createThread(scope);
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const error = await repository
        .appendMessages(scope, { threadId: thread.id, messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnavailableError);
      expect((error as Error).message).toMatch(/SQLITE_BUSY/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await repository.getThread(scope, thread.id)).toMatchObject({ lastSeq: 0 });
    await repository.close();
  });
});

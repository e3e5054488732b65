import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectSqlite } from '../src/index.js';
import { runMigrations } from '../src/migrate.js';
import { fluxiblyMigrations } from '../src/migrations/index.js';
import { repositoryOn, tempFolder } from './support/files.js';

/**
 * The data-lifecycle operations on SQLite beyond the conformance suite: the upgrade of a version-1 file holding data
 * (migration 0002 adds the activity index; nothing else changes), the raw rows an erase and a transfer leave (the
 * full-text rows included), and an erase racing appends from another connection to the same file.
 */
const { file } = tempFolder();
const scope = { orgId: 'org-life', userId: 'alice' };

describe('migration 0002 (activity index)', () => {
  it('upgrades a version-1 file with data: rows intact, and prune works across organisations', async () => {
    const path = file();
    const v1 = new Database(path);
    runMigrations(v1, fluxiblyMigrations().slice(0, 1));
    v1.close();
    const old = repositoryOn(path, { migrate: false });
    // Written under version 1 (the repository's statements do not need the new index).
    const thread = await old.createThread(scope, { name: 'old' });
    await old.appendMessages(scope, { threadId: thread.id, messages: [{ role: 'user', content: 'kept words' }] });
    await old.close();

    const repository = repositoryOn(path, { migrate: false });
    expect(await repository.migrate()).toEqual(['FluxiblySqliteActivityIndex1765152000000']);
    expect(await repository.getThread(scope, thread.id)).toMatchObject({ name: 'old', lastSeq: 1, messageCount: 1 });
    expect((await repository.searchMessages(scope, { query: 'kept' })).map((m) => m.content)).toEqual(['kept words']);
    const raw = new Database(path, { readonly: true });
    const indexes = raw.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'fluxibly_threads%'",
    );
    expect((indexes.all() as Array<{ name: string }>).map((row) => row.name).sort()).toEqual([
      'fluxibly_threads_by_activity',
      'fluxibly_threads_by_org',
      'fluxibly_threads_by_user',
    ]);
    raw.close();
    const pruned = await repository.pruneThreads({}, { inactiveBefore: new Date(Date.now() + 60_000), limit: 10 });
    expect(pruned).toEqual({ deleted: 1, messages: 1, more: false });
    await repository.close();
  });
});

describe('raw rows', () => {
  const path = file();
  const repository = repositoryOn(path);
  let raw: Database.Database;
  let inspector: ReturnType<typeof inspectSqlite>;
  beforeAll(async () => {
    await repository.migrate();
    raw = new Database(path, { readonly: true });
    inspector = inspectSqlite(raw);
  });
  afterAll(async () => {
    raw.close();
    await repository.close();
  });
  const remains = (of: { orgId: string; userId?: string }): Promise<number> => {
    if (inspector.remains === undefined) throw new Error('the SQLite inspector counts what remains');
    return inspector.remains(of);
  };

  it('a transfer re-keys the full-text rows: the new owner finds the messages, the old one nothing', async () => {
    const thread = await repository.createThread(scope);
    await repository.appendMessages(scope, {
      threadId: thread.id,
      messages: [{ role: 'user', content: 'transferable words' }],
    });
    const bob = { orgId: scope.orgId, userId: 'bob' };
    await repository.transferThread(scope, { threadId: thread.id, toUserId: 'bob' });
    expect(await repository.searchMessages(scope, { query: 'transferable' })).toEqual([]);
    expect(await repository.searchMessages(bob, { query: 'transferable' })).toHaveLength(1);
    const owners = raw.prepare('SELECT DISTINCT user_id FROM fluxibly_messages WHERE thread_id = ?').all(thread.id);
    expect(owners).toEqual([{ user_id: 'bob' }]);
    expect(await remains({ orgId: scope.orgId, userId: 'bob' })).toBe(3); // thread, message, text row
  });

  it('an erase leaves no row of the user: threads, messages and full-text rows', async () => {
    const carol = { orgId: scope.orgId, userId: 'carol' };
    for (let i = 0; i < 3; i++) {
      const thread = await repository.createThread(carol);
      await repository.appendMessages(carol, { threadId: thread.id, messages: [{ role: 'user', content: `w${i}` }] });
    }
    expect(await remains(carol)).toBe(9);
    expect(await repository.eraseUser(carol)).toEqual({ threads: 3, messages: 3 });
    expect(await remains(carol)).toBe(0);
    const texts = raw.prepare('SELECT count(*) AS n FROM fluxibly_search').get() as { n: number };
    expect(texts.n, 'only bob’s message remains indexed').toBe(1);
  });

  it('an erase racing appends on another connection leaves nothing of the user once it returns', async () => {
    const dave = { orgId: scope.orgId, userId: 'dave' };
    const other = repositoryOn(path);
    const threads = await Promise.all(Array.from({ length: 5 }, () => repository.createThread(dave)));
    const appends = threads.flatMap((thread) =>
      Array.from({ length: 10 }, (_, i) =>
        other.appendMessages(dave, { threadId: thread.id, messages: [{ role: 'user', content: `m${i}` }] }).then(
          () => 'stored',
          (error: { code?: string }) => error.code ?? 'untyped',
        ),
      ),
    );
    const erased = await repository.eraseUser(dave);
    const outcomes = await Promise.all(appends);
    expect(outcomes.every((o) => o === 'stored' || o === 'NOT_FOUND')).toBe(true);
    expect(erased.threads).toBe(5);
    expect(await remains(dave)).toBe(0);
    await other.close();
  });
});

import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { repositoryOn, tempFolder } from './support/files.js';
import { spawnFixture, watch } from './support/child.js';

/**
 * Several Node processes writing one file at once: 4 processes × 50 appends (one call each) to one thread give 200
 * messages with seqs 1–200, none lost, none shared, and the thread's counters agree with its rows.
 */
const { file } = tempFolder();

it('4 processes × 50 appends to one thread: 200 messages, seqs 1–200', { timeout: 120_000 }, async () => {
  const path = file();
  const scope = { orgId: 'org-multi', userId: 'user-multi' };
  const repository = repositoryOn(path);
  try {
    const thread = await repository.createThread(scope);
    const children = Array.from({ length: 4 }, () =>
      spawnFixture('append-child.ts', { CHILD_PATH: path, CHILD_THREAD: thread.id, CHILD_COUNT: '50' }),
    );
    const watched = children.map(watch);
    await Promise.all(watched.map((w) => w.line((line) => line === 'ready')));
    for (const child of children) child.stdin?.write('go\n');
    const exits = await Promise.all(watched.map((w) => w.exit));
    exits.forEach((exit, i) => expect(exit, watched[i]?.stderr()).toEqual({ code: 0, signal: null }));

    const got = watched.flatMap((w) => JSON.parse(w.lines[w.lines.length - 1] ?? '[]') as number[]);
    expect(got).toHaveLength(200);
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Each process saw its own seqs increase.
    for (const w of watched) {
      const seqs = JSON.parse(w.lines[w.lines.length - 1] ?? '[]') as number[];
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    const page = await repository.getMessages(scope, { threadId: thread.id, limit: 1000 });
    expect(page?.messages.map((m) => m.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await repository.getThread(scope, thread.id)).toMatchObject({ lastSeq: 200, messageCount: 200 });
  } finally {
    await repository.close();
  }
  const raw = new Database(path, { readonly: true });
  try {
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
  } finally {
    raw.close();
  }
});

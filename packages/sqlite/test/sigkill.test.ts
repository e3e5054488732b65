import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { inspectSqlite } from '../src/index.js';
import { repositoryOn, tempFolder } from './support/files.js';
import { spawnFixture, watch } from './support/child.js';

/**
 * A writer killed with SIGKILL in the middle of a batch leaves no partial batch: after each kill the thread holds
 * whole batches only, its seqs are gapless, its counters agree with its rows, the full-text index holds exactly the
 * stored messages, and the file passes `integrity_check`. The next writer continues where the last commit ended.
 */
const { file } = tempFolder();
const BATCH = 1000;
const ROUNDS = 4;

it('SIGKILL mid-batch leaves whole batches only, and the file stays sound', { timeout: 180_000 }, async () => {
  const path = file();
  const scope = { orgId: 'org-kill', userId: 'user-kill' };
  const repository = repositoryOn(path);
  const thread = await repository.createThread(scope);
  const raw = new Database(path, { readonly: true });
  let inFlightKills = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const child = spawnFixture('kill-child.ts', {
        CHILD_PATH: path,
        CHILD_THREAD: thread.id,
        CHILD_BATCH: `${BATCH}`,
      });
      const watched = watch(child);
      // Let one batch commit, then kill as the next one starts (a 1000-message transaction takes tens of ms).
      await watched.line((line) => line === 'done 0');
      await watched.line((line) => line === 'begin 1');
      await new Promise((resolve) => setTimeout(resolve, round * 5));
      child.kill('SIGKILL');
      const exit = await watched.exit;
      expect(exit.signal).toBe('SIGKILL');
      if (!watched.lines.includes('done 1')) inFlightKills += 1;

      const stored = await repository.getThread(scope, thread.id);
      const seqs = await inspectSqlite(raw).messageSeqs(thread.id);
      expect(seqs.length % BATCH, 'whole batches only').toBe(0);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(stored).toMatchObject({ lastSeq: seqs.length, messageCount: seqs.length });
      const indexed = raw
        .prepare(
          'SELECT count(*) AS n FROM fluxibly_search s JOIN fluxibly_messages m ON m.rowid = s.rowid WHERE m.thread_id = ?',
        )
        .get(thread.id) as { n: number };
      expect(indexed.n).toBe(seqs.length);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      // Each batch's messages carry one batch number.
      const batches = raw
        .prepare(
          "SELECT count(DISTINCT json_extract(metadata, '$.batch')) AS n FROM fluxibly_messages WHERE thread_id = ? GROUP BY (seq - 1) / ?",
        )
        .all(thread.id, BATCH) as Array<{ n: number }>;
      expect(batches.every((b) => b.n === 1)).toBe(true);
    }
    // The kills hit a batch in flight (its append call begun, not returned) at least once.
    expect(inFlightKills).toBeGreaterThan(0);
    // A new writer continues after the last commit.
    const before = (await repository.getThread(scope, thread.id))?.lastSeq ?? 0;
    const [next] = await repository.appendMessages(scope, {
      threadId: thread.id,
      messages: [{ role: 'user', content: 'after' }],
    });
    expect(next?.seq).toBe(before + 1);
  } finally {
    raw.close();
    await repository.close();
  }
});

import { randomBytes } from 'node:crypto';
import { UnavailableError } from '@fluxibly/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresConversationRepository } from '../src/index.js';
import { dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import { describeWithServer } from './support/server.js';

/**
 * Connections killed mid-flight: while appends run, the server terminates the adapter's backends
 * (`pg_terminate_backend`, found by `application_name`). Every call must either fully succeed or reject with
 * `UnavailableError` carrying the driver error; the next call succeeds; raw SQL finds no partial batch.
 */
const APPLICATION = `fluxibly_fault_${randomBytes(4).toString('hex')}`;
const schema = freshSchema('fluxibly_fault');
const pool = rawPool();
const scope = { orgId: 'org-fault', userId: 'user-fault' };
const WORKERS = 4;
const BATCH = 5;
const KILL_ROUNDS = 6;
let repository: PostgresConversationRepository;

beforeAll(async () => {
  repository = repositoryIn(schema, { applicationName: APPLICATION, poolSize: WORKERS, migrate: true });
  await repository.listThreads(scope);
});

afterAll(async () => {
  await repository.close();
  await dropSchema(pool, schema);
  await pool.end();
});

async function terminateAdapterBackends(): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1',
    [APPLICATION],
  );
  return rows[0]?.n ?? 0;
}

await describeWithServer('terminated connections', () => {
  it(
    'every append fully succeeds or fails UNAVAILABLE; no partial batch; the next call succeeds',
    { timeout: 30_000 },
    async () => {
      const thread = await repository.createThread(scope, { name: 'fault' });
      const succeeded: string[][] = [];
      const failed: string[][] = [];
      let done = false;
      let progress = 0;
      let wake: (() => void) | undefined;

      async function worker(w: number): Promise<void> {
        for (let i = 0; !done; i++) {
          const ids = Array.from({ length: BATCH }, (_, j) => `w${w}-b${i}-m${j}`);
          try {
            const stored = await repository.appendMessages(scope, {
              threadId: thread.id,
              messages: ids.map((id) => ({ id, role: 'user' as const, content: `text of ${id}` })),
            });
            expect(stored.map((m) => m.id)).toEqual(ids);
            succeeded.push(ids);
          } catch (error) {
            expect(error).toBeInstanceOf(UnavailableError);
            expect((error as Error).cause, 'the driver error is the cause').toBeDefined();
            failed.push(ids);
          }
          progress++;
          wake?.();
        }
      }

      /** Resolves once the workers have finished `calls` more calls (polling on progress, not on time). */
      function afterCalls(calls: number): Promise<void> {
        const target = progress + calls;
        return new Promise((resolve) => {
          wake = () => {
            if (progress >= target) resolve();
          };
        });
      }

      const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
      let killed = 0;
      for (let round = 0; round < KILL_ROUNDS; round++) {
        await afterCalls(WORKERS * 2);
        killed += await terminateAdapterBackends();
      }
      await afterCalls(WORKERS * 2);
      done = true;
      await Promise.all(workers);

      expect(killed, 'backends were terminated').toBeGreaterThan(0);
      expect(succeeded.length).toBeGreaterThan(0);

      // The next call succeeds.
      const after = await repository.appendMessages(scope, {
        threadId: thread.id,
        messages: [{ id: 'after-storm', role: 'user', content: 'still here' }],
      });
      expect(after).toHaveLength(1);

      // Raw SQL: each batch is all present or all absent; successful ones present; seqs gapless.
      const { rows } = await pool.query<{ id: string; seq: string }>(
        `SELECT id, seq FROM "${schema}".fluxibly_messages WHERE thread_id = $1 ORDER BY seq`,
        [thread.id],
      );
      const stored = new Set(rows.map((row) => row.id));
      for (const ids of succeeded)
        expect(
          ids.every((id) => stored.has(id)),
          `batch ${ids[0]} stored`,
        ).toBe(true);
      for (const ids of failed) {
        const present = ids.filter((id) => stored.has(id)).length;
        expect([0, BATCH], `batch ${ids[0]} is all or nothing`).toContain(present);
      }
      expect(rows.map((row) => Number(row.seq))).toEqual(rows.map((_, i) => i + 1));
      const { rows: threads } = await pool.query<{ last_seq: string; message_count: string }>(
        `SELECT last_seq, message_count FROM "${schema}".fluxibly_threads WHERE id = $1`,
        [thread.id],
      );
      expect(Number(threads[0]?.last_seq)).toBe(rows.length);
      expect(Number(threads[0]?.message_count)).toBe(rows.length);
      console.log(
        `fault test: ${succeeded.length} appends succeeded, ${failed.length} failed UNAVAILABLE, ${killed} backends killed`,
      );
    },
  );
});

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NewMessage } from '@fluxibly/core';
import { RedisConversationRepository } from '@fluxibly/redis';
import { Redis } from 'ioredis';
import pg from 'pg';

/** The sizes the copy workload measures: 100k always, 1M in the full run. */
export function copySizes(quick: boolean): number[] {
  return quick ? [100_000] : [100_000, 1_000_000];
}

/** One measured copy. */
export interface CopyMeasurement {
  messages: number;
  /** Messages per second of the copy itself (export + import, verification excluded). */
  messagesPerSecond: number;
  /** The copy's wall time, verification excluded, and with it. */
  copySeconds: number;
  totalSeconds: number;
  /** Peak resident memory of the `fluxibly copy` process, bytes. */
  peakRssBytes: number;
  verified: boolean;
}

const CLI = fileURLToPath(new URL('../../../packages/cli/src/bin.ts', import.meta.url));
const PER_THREAD = 10_000;

/** Run the CLI from source, as the bench runs everything (tsx, the workspace's source condition). */
function fluxibly(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@fluxibly/source', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Fill `orgId` on Redis with `messages` messages (threads of 10k, appended 1000 at a time, 4 threads at once). */
async function seed(repository: RedisConversationRepository, orgId: string, messages: number): Promise<void> {
  const threads = Math.ceil(messages / PER_THREAD);
  const fill = async (t: number): Promise<void> => {
    const scope = { orgId, userId: `user-${t % 10}` };
    const thread = await repository.createThread(scope, { id: `${orgId}:t${t}`, name: `thread ${t}` });
    const count = Math.min(PER_THREAD, messages - t * PER_THREAD);
    for (let done = 0; done < count; done += 1000) {
      const batch: NewMessage[] = Array.from({ length: Math.min(1000, count - done) }, (_, i) => ({
        role: (done + i) % 2 === 0 ? 'user' : 'assistant',
        content: `message ${done + i} of thread ${t}: ${'lorem ipsum '.repeat(8)}`,
        metadata: { i: done + i },
      }));
      await repository.appendMessages(scope, { threadId: thread.id, messages: batch });
    }
  };
  for (let t = 0; t < threads; t += 4) {
    await Promise.all([t, t + 1, t + 2, t + 3].filter((i) => i < threads).map(fill));
  }
}

/**
 * The `copy` workload: `fluxibly copy` of an organisation from Redis to PostgreSQL (servers from `REDIS_URL` and
 * `DATABASE_URL`, default the loopback ones), spawned as users run it, for each size. Reports messages/s and the
 * process's peak RSS, which must not grow with the count. Returns a reason instead when it cannot run.
 */
export async function copyBench(quick: boolean, log: (line: string) => void): Promise<CopyMeasurement[] | string> {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const run = randomBytes(4).toString('hex');
  const prefix = `fluxibly-bench-copy:${run}:`;
  const schema = `fluxibly_bench_copy_${run}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'fluxibly-bench-copy-'));
  const redisEnv = path.join(dir, 'redis.env');
  const pgEnv = path.join(dir, 'pg.env');
  writeFileSync(
    redisEnv,
    `DB_BACKEND=redis\nREDIS_URL=${redisUrl}\nFLUXIBLY_ADAPTER_OPTIONS='{"keyPrefix":"${prefix}"}'\n`,
  );
  writeFileSync(
    pgEnv,
    `DB_BACKEND=postgresql\nDATABASE_URL=${databaseUrl}\nFLUXIBLY_ADAPTER_OPTIONS='{"schema":"${schema}"}'\n`,
  );
  const repository = new RedisConversationRepository({ url: redisUrl, keyPrefix: prefix });
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const results: CopyMeasurement[] = [];
  try {
    const migrated = await fluxibly(['--env-file', pgEnv, 'migrate', '--quiet']);
    if (migrated.code !== 0) throw new Error(`fluxibly migrate failed: ${migrated.stderr.trim()}`);
    for (const size of copySizes(quick)) {
      const orgId = `copy-${size}`;
      const seeding = Date.now();
      await seed(repository, orgId, size);
      log(`  copy     ${size} messages seeded in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
      const started = Date.now();
      const copy = await fluxibly(['--env-file', redisEnv, 'copy', '--org', orgId, '--to-env-file', pgEnv, '--json']);
      const totalSeconds = (Date.now() - started) / 1000;
      if (copy.code !== 0) {
        const reason = copy.stderr.trim().split('\n').pop() ?? '';
        throw new Error(`fluxibly copy of ${size} messages failed (exit ${copy.code}): ${reason}`);
      }
      const summary = JSON.parse(copy.stdout) as {
        messages: number;
        seconds: number;
        messagesPerSecond: number;
        peakRssBytes: number;
        verification: { ok: boolean } | null;
      };
      results.push({
        messages: summary.messages,
        messagesPerSecond: summary.messagesPerSecond,
        copySeconds: summary.seconds,
        totalSeconds,
        peakRssBytes: summary.peakRssBytes,
        verified: summary.verification?.ok === true,
      });
      log(`  copy     ${size} messages copied in ${totalSeconds.toFixed(1)} s`);
      // Free the space before the next size.
      const client = new Redis(redisUrl);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          if (keys.length > 0) await client.unlink(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        client.disconnect();
      }
    }
    return results;
  } finally {
    await repository.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The report's lines, and whether memory stayed flat (the 1M copy's peak RSS within 1.5× the 100k one's). */
export function formatCopy(results: readonly CopyMeasurement[]): { lines: string[]; passed: boolean } {
  const lines = [
    '| copy Redis → PostgreSQL | messages/s | copy | with verification | peak RSS | verified |',
    '| --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.messages.toLocaleString('en')} messages | ${r.messagesPerSecond.toLocaleString('en')} | ` +
        `${r.copySeconds.toFixed(1)} s | ${r.totalSeconds.toFixed(1)} s | ${(r.peakRssBytes / 1048576).toFixed(0)} MiB | ` +
        `${r.verified ? 'yes' : 'NO'} |`,
    ),
  ];
  let passed = results.every((r) => r.verified);
  const [small, large] = results;
  if (small !== undefined && large !== undefined) {
    const ratio = large.peakRssBytes / small.peakRssBytes;
    const flat = ratio <= 1.5;
    lines.push(
      '',
      `copy memory: peak RSS at ${large.messages.toLocaleString('en')} ÷ at ${small.messages.toLocaleString('en')} = ` +
        `${ratio.toFixed(2)} (limit 1.5: memory must not grow with the count) — ${flat ? 'pass' : 'FAIL'}`,
    );
    passed = passed && flat;
  }
  return { lines, passed };
}

// The `fluxibly` binary as users run it: spawned as a child process against real servers (PostgreSQL 127.0.0.1:5432
// db `test` in a schema of its own, Redis 127.0.0.1:6379 under a key prefix of its own), configured by env files.
import { randomBytes } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRepository, ExportRecord } from '@fluxibly/core';
import { importConversations, parseJsonLines } from '@fluxibly/core';
import { MemoryConversationRepository } from '@fluxibly/memory';
import { PostgresConversationRepository, TABLES, inspectPostgres } from '@fluxibly/postgres';
import { KeySpace, RedisConversationRepository, inspectRedisStore } from '@fluxibly/redis';
import { exportBody, generateConversations } from './support/conversations.js';
import { BIN, finished, requireBuild, run, start } from './support/run.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN = randomBytes(4).toString('hex');
const SCHEMA = `fluxibly_cli_${RUN}`;
const PREFIX = `fluxibly-cli-test:${RUN}:`;
/** Messages of the big copy (the issue's 100k; the bench also copies 1M: `pnpm bench --only=copy`). */
const COPY_MESSAGES = Number(process.env.FLUXIBLY_CLI_COPY_MESSAGES ?? 100_000);

let dir: string;
let redisEnv: string;
let pgEnv: string;
let redis: RedisConversationRepository;
let postgres: PostgresConversationRepository;
let pool: pg.Pool;
let rawRedis: Redis;

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

async function fromFile(file: string): Promise<ExportRecord[]> {
  const out: ExportRecord[] = [];
  for await (const record of parseJsonLines(lines(readFileSync(file, 'utf8')))) out.push(record);
  return out;
}

async function messageTotal(repository: ConversationRepository, orgId: string): Promise<number> {
  let total = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = await repository.listOrgThreads(
      { orgId },
      cursor === undefined ? { limit: 1000 } : { limit: 1000, cursor },
    );
    for (const thread of page.threads) total += thread.messageCount;
    if (page.nextCursor === null) return total;
    cursor = page.nextCursor;
  }
}

beforeAll(async () => {
  requireBuild();
  dir = mkdtempSync(path.join(tmpdir(), 'fluxibly-cli-'));
  redisEnv = path.join(dir, 'redis.env');
  pgEnv = path.join(dir, 'pg.env');
  writeFileSync(
    redisEnv,
    `DB_BACKEND=redis\nREDIS_URL=${REDIS_URL}\nFLUXIBLY_ADAPTER_OPTIONS='{"keyPrefix":"${PREFIX}"}'\n`,
  );
  writeFileSync(
    pgEnv,
    `DB_BACKEND=postgresql\nDATABASE_URL=${DATABASE_URL}\nFLUXIBLY_ADAPTER_OPTIONS='{"schema":"${SCHEMA}"}'\n`,
  );
  redis = new RedisConversationRepository({ url: REDIS_URL, keyPrefix: PREFIX });
  postgres = new PostgresConversationRepository({ url: DATABASE_URL, schema: SCHEMA });
  pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  rawRedis = new Redis(REDIS_URL);
  const migrated = await run(['--env-file', pgEnv, 'migrate', '--json']);
  expect(migrated.code, migrated.stderr).toBe(0);
});

afterAll(async () => {
  await redis?.close();
  await postgres?.close();
  await pool?.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`).catch(() => undefined);
  await pool?.end();
  if (rawRedis !== undefined) {
    const keys = await rawRedis.keys(`${PREFIX}*`);
    if (keys.length > 0) await rawRedis.del(...keys);
    rawRedis.disconnect();
  }
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('fluxibly: usage', () => {
  it('every command has --help (exit 0, with the exit statuses); bad usage exits 2', async () => {
    for (const command of ['', 'migrate', 'stats', 'export', 'import', 'copy', 'erase', 'prune', 'transcript']) {
      const result = await run([...(command === '' ? [] : [command]), '--help']);
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toContain('Exit status');
    }
    expect((await run(['bogus'])).code).toBe(2);
    expect((await run(['export'])).stderr).toContain("required option '--org <id>'");
    expect((await run(['prune', '--inactive-days', 'x'])).code).toBe(2);
    expect((await run(['import', '--file', 'f', '--on-conflict', 'merge'])).code).toBe(2);
    const badEnv = path.join(dir, 'bad.env');
    writeFileSync(badEnv, 'DB_BACKEND=postgresql\nDB_PORT=http\n');
    const bad = await run(['--env-file', badEnv, 'stats', '--org', 'o', '--json']);
    expect(bad.code).toBe(2);
    const { error } = JSON.parse(bad.stdout) as { error: { exitCode: number; message: string } };
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('DB_PORT');
    const noTarget = await run([
      '--env-file',
      redisEnv,
      'copy',
      '--org',
      'o',
      '--to-env-file',
      badEnv.replace('bad', 'missing'),
    ]);
    expect(noTarget.code).toBe(2);
  });

  it('erase refuses without --yes when not on a terminal, and deletes nothing', async () => {
    const scope = { orgId: `keep-${RUN}`, userId: 'u' };
    await redis.createThread(scope, { id: `keep-${RUN}` });
    const result = await run(['--env-file', redisEnv, 'erase', '--org', scope.orgId]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--yes');
    expect(await redis.getThread(scope, `keep-${RUN}`)).not.toBeNull();
  });

  it('migrate --dry-run lists nothing once migrated; migrate again applies nothing', async () => {
    const dry = await run(['--env-file', pgEnv, 'migrate', '--dry-run', '--json']);
    expect(JSON.parse(dry.stdout)).toEqual({ backend: 'postgresql', hasSchema: true, pending: [] });
    const fresh = path.join(dir, 'fresh.env');
    writeFileSync(
      fresh,
      `DB_BACKEND=postgresql\nDATABASE_URL=${DATABASE_URL}\nFLUXIBLY_ADAPTER_OPTIONS='{"schema":"${SCHEMA}_fresh"}'\n`,
    );
    const pending = JSON.parse((await run(['--env-file', fresh, 'migrate', '--dry-run', '--json'])).stdout) as {
      pending: string[];
    };
    expect(pending.pending.length).toBeGreaterThan(0);
    await pool.query(`DROP SCHEMA IF EXISTS "${SCHEMA}_fresh" CASCADE`);
    expect(JSON.parse((await run(['--env-file', pgEnv, 'migrate', '--json'])).stdout)).toEqual({
      backend: 'postgresql',
      hasSchema: true,
      applied: [],
    });
    expect(JSON.parse((await run(['--env-file', redisEnv, 'migrate', '--json'])).stdout)).toEqual({
      backend: 'redis',
      hasSchema: false,
      applied: [],
    });
  });

  it('migrate with FLUXIBLY_ADAPTER_OPTIONS fullTextSearch drops, keeps and rebuilds the PostgreSQL search index', async () => {
    const schema = `${SCHEMA}_fts`;
    const env = (options: object): string => {
      const file = path.join(dir, `fts-${randomBytes(3).toString('hex')}.env`);
      const json = JSON.stringify({ schema, ...options });
      writeFileSync(file, `DB_BACKEND=postgresql\nDATABASE_URL=${DATABASE_URL}\nFLUXIBLY_ADAPTER_OPTIONS='${json}'\n`);
      return file;
    };
    const migrate = async (options: object): Promise<unknown> => {
      const result = await run(['--env-file', env(options), 'migrate', '--json']);
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { applied: string[] }).applied;
    };
    const column = async (): Promise<number> =>
      (
        await pool.query(
          `SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'search_vector' AND NOT attisdropped`,
          [`"${schema}".fluxibly_messages`],
        )
      ).rowCount ?? 0;
    try {
      expect(await migrate({ fullTextSearch: false })).toContain('FluxiblySearchIndexDropped');
      expect(await column()).toBe(0);
      expect(await migrate({}), 'without the option nothing is rebuilt').toEqual([]);
      expect(await column()).toBe(0);
      expect(await migrate({ fullTextSearch: true })).toEqual(['FluxiblySearchIndexRebuilt']);
      expect(await column()).toBe(1);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });
});

describe('fluxibly export / stats / transcript (Redis)', () => {
  const orgId = `export-${RUN}`;
  let stored = 0;
  beforeAll(async () => {
    stored = await generateConversations(redis, orgId, { threads: 12, perThread: 40 });
  });

  it('export writes every thread and message; imported in memory it reads field by field like the source', async () => {
    const out = path.join(dir, 'export.jsonl');
    const result = await run(['--env-file', redisEnv, 'export', '--org', orgId, '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ orgId, threads: 14, messages: stored, out });
    const records = await fromFile(out);
    expect(records[0]).toMatchObject({ format: 'fluxibly.conversations', version: 1, orgId });
    expect(records.slice(1)).toEqual(await exportBody(redis, { orgId }));
    const memory = new MemoryConversationRepository();
    expect(await importConversations(memory, records)).toMatchObject({ threads: 14, messages: stored });
    expect(await exportBody(memory, { orgId })).toEqual(await exportBody(redis, { orgId }));
    // One user, to stdout.
    const user = await run(['--env-file', redisEnv, 'export', '--org', orgId, '--user', 'user-1']);
    const userRecords = lines(user.stdout).map((line) => JSON.parse(line) as { type?: string; userId?: string });
    expect(userRecords[0]).toMatchObject({ userId: 'user-1' });
    expect(userRecords.filter((r) => r.type === 'thread').every((r) => r.userId === 'user-1')).toBe(true);
  });

  it('stats counts threads, messages, users and bytes; transcript renders a thread', async () => {
    const stats = await run(['--env-file', redisEnv, 'stats', '--org', orgId, '--json']);
    expect(stats.code, stats.stderr).toBe(0);
    const [org] = (JSON.parse(stats.stdout) as { orgs: Array<Record<string, unknown>> }).orgs;
    expect(org).toMatchObject({ orgId, threads: 14, messages: stored, users: 7 });
    expect(org?.bytes).toBeGreaterThan(stored * 10);
    const transcript = await run([
      '--env-file',
      redisEnv,
      'transcript',
      '--org',
      orgId,
      '--user',
      'user-1',
      '--thread',
      `${orgId}:thread-1`,
    ]);
    expect(transcript.code, transcript.stderr).toBe(0);
    expect(transcript.stdout).toContain('# Thread 1');
    expect(transcript.stdout).toContain('**Tool call** `lookup` (`call-5`)');
    expect(transcript.stdout).toContain('Result of tool call `call-5`');
    const missing = await run([
      '--env-file',
      redisEnv,
      'transcript',
      '--org',
      orgId,
      '--user',
      'user-2',
      '--thread',
      `${orgId}:thread-1`,
    ]);
    expect(missing.code).toBe(1);
  });

  it('shows a progress bar with counts and rate under a pseudo terminal', async () => {
    const out = path.join(dir, 'tty.jsonl');
    const command = [process.execPath, BIN, '--env-file', redisEnv, 'export', '--org', orgId, '--out', out]
      .map((arg) => `'${arg.replace(/'/g, "'\\''")}'`)
      .join(' ');
    const typescript = execFileSync('script', ['-qec', command, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, COLUMNS: '200' },
    });
    // cli-progress redraws the line; the final frame shows every thread and message and a rate.
    expect(typescript).toMatch(
      new RegExp(`\\r?\\x1b\\[1Gexport \\| 14 threads \\| ${stored} messages \\| \\d+ messages/s`),
    );
    // Not on a terminal: plain lines.
    const plain = await run(['--env-file', redisEnv, 'export', '--org', orgId, '--out', out]);
    expect(plain.stderr).toMatch(new RegExp(`^export: 14 threads, ${stored} messages, \\d+ messages/s$`, 'm'));
    expect(plain.stderr).not.toContain('#');
  });
});

describe('fluxibly erase on a terminal (SQLite)', () => {
  it('asks for the id: a wrong answer exits 5 and deletes nothing, the right one erases', async () => {
    const file = path.join(dir, 'erase.db');
    const env = path.join(dir, 'erase.env');
    writeFileSync(env, `DB_BACKEND=sqlite\nSQLITE_PATH=${file}\n`);
    expect((await run(['--env-file', env, 'migrate'])).code).toBe(0);
    const { SqliteConversationRepository } = await import('@fluxibly/sqlite');
    const scope = { orgId: 'acme', userId: 'alice' };
    const seedRepository = new SqliteConversationRepository({ path: file });
    await seedRepository.createThread(scope, { id: 'erase-me' });
    await seedRepository.appendMessages(scope, { threadId: 'erase-me', messages: [{ role: 'user', content: 'hi' }] });
    await seedRepository.close();
    // script(1) gives the command a pseudo terminal; its stdin (the answer) is typed into it.
    const command = [process.execPath, BIN, '--env-file', env, 'erase', '--org', 'acme', '--user', 'alice']
      .map((arg) => `'${arg.replace(/'/g, "'\\''")}'`)
      .join(' ');
    const answer = (text: string) =>
      spawnSync('script', ['-qec', command, '/dev/null'], { input: text, encoding: 'utf8', timeout: 30_000 });
    const refused = answer('bob\n');
    expect(refused.stdout).toContain('Type "alice" to confirm');
    expect(refused.status).toBe(5);
    const check = new SqliteConversationRepository({ path: file });
    try {
      expect(await check.getThread(scope, 'erase-me')).not.toBeNull();
      const confirmed = answer('alice\n');
      expect(confirmed.status, confirmed.stdout).toBe(0);
      expect(confirmed.stdout).toContain('erased 1 threads, 1 messages of user alice of organisation acme');
      expect(await check.getThread(scope, 'erase-me')).toBeNull();
    } finally {
      await check.close();
    }
  });
});

describe('fluxibly copy / export / import between SQLite files', () => {
  it('Redis → SQLite (copy), SQLite → JSONL (export) → another SQLite (import): every record equal to the source', async () => {
    const orgId = `sqlite-${RUN}`;
    const stored = await generateConversations(redis, orgId, { threads: 8, perThread: 60, seed: 7 });
    const envs = ['a', 'b'].map((name) => {
      const file = path.join(dir, `${name}.env`);
      writeFileSync(file, `DB_BACKEND=sqlite\nSQLITE_PATH=${path.join(dir, `${name}.db`)}\n`);
      return file;
    });
    const [aEnv, bEnv] = envs as [string, string];
    for (const env of envs) expect((await run(['--env-file', env, 'migrate'])).code).toBe(0);
    const copied = await run(['--env-file', redisEnv, 'copy', '--org', orgId, '--to-env-file', aEnv, '--json']);
    expect(copied.code, copied.stderr).toBe(0);
    expect(JSON.parse(copied.stdout)).toMatchObject({
      from: 'redis',
      to: 'sqlite',
      messages: stored,
      verification: { ok: true },
    });
    const file = path.join(dir, 'sqlite.jsonl');
    expect((await run(['--env-file', aEnv, 'export', '--org', orgId, '--out', file])).code).toBe(0);
    const imported = await run(['--env-file', bEnv, 'import', '--file', file, '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ threads: 9, messages: stored, skippedThreads: 0 });
    const again = await run(['--env-file', bEnv, 'import', '--file', file, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ threads: 0, messages: 0, skippedThreads: 9 });
    const conflict = await run(['--env-file', bEnv, 'import', '--file', file, '--on-conflict', 'fail', '--json']);
    expect(conflict.code).toBe(3);
    // The second file, read back in-process, holds exactly what Redis holds.
    const { SqliteConversationRepository } = await import('@fluxibly/sqlite');
    const b = new SqliteConversationRepository({ path: path.join(dir, 'b.db') });
    try {
      expect(await exportBody(b, { orgId })).toEqual(await exportBody(redis, { orgId }));
    } finally {
      await b.close();
    }
    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(bad, readFileSync(file, 'utf8').replace('"seq":2,', '"seq":"two",'));
    const invalid = await run(['--env-file', bEnv, 'import', '--file', bad]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/line \d+\.seq: must be an integer/);
  });
});

describe('fluxibly import / copy / erase / prune (Redis → PostgreSQL)', () => {
  it('import writes the file exactly; a second import writes nothing; --on-conflict fail exits 3', async () => {
    const orgId = `import-${RUN}`;
    const stored = await generateConversations(redis, orgId, { threads: 6, perThread: 30 });
    const file = path.join(dir, 'import.jsonl');
    expect((await run(['--env-file', redisEnv, 'export', '--org', orgId, '--out', file])).code).toBe(0);
    const first = await run(['--env-file', pgEnv, 'import', '--file', file, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      threads: 7,
      messages: stored,
      skippedThreads: 0,
      records: 1 + 7 + stored,
    });
    expect(await exportBody(postgres, { orgId })).toEqual(await exportBody(redis, { orgId }));
    const second = await run(['--env-file', pgEnv, 'import', '--file', file, '--json']);
    expect(JSON.parse(second.stdout)).toMatchObject({ threads: 0, messages: 0, skippedThreads: 7 });
    const fail = await run(['--env-file', pgEnv, 'import', '--file', file, '--on-conflict', 'fail', '--json']);
    expect(fail.code).toBe(3);
    expect(JSON.parse(fail.stdout)).toMatchObject({ error: { exitCode: 3, code: 'CONFLICT' } });
  });

  it(`copy of ${COPY_MESSAGES} messages: complete, field by field, verified by counts and checksum`, async () => {
    const orgId = `copy-${RUN}`;
    const stored = await generateConversations(redis, orgId, {
      threads: Math.ceil(COPY_MESSAGES / 1000),
      perThread: 1000,
    });
    const started = Date.now();
    const result = await run(['--env-file', redisEnv, 'copy', '--org', orgId, '--to-env-file', pgEnv, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      messages: number;
      verification: { ok: boolean; source: { messages: number } };
    };
    expect(summary.messages).toBe(stored);
    expect(summary.verification).toMatchObject({ ok: true, source: { messages: stored } });
    console.log(`copy of ${stored} messages Redis → PostgreSQL: ${Date.now() - started} ms (with verification)`);
    expect(await exportBody(postgres, { orgId })).toEqual(await exportBody(redis, { orgId }));
  });

  it('a copy killed halfway (SIGKILL) and run again is complete and duplicate-free', async () => {
    const orgId = `resume-${RUN}`;
    const stored = await generateConversations(redis, orgId, { threads: 20, perThread: 1000 });
    const child = start(['--env-file', redisEnv, 'copy', '--org', orgId, '--to-env-file', pgEnv]);
    const ended = finished(child);
    // Kill it once the target holds some but not all of the messages (polled through the target's own listing).
    for (;;) {
      const copied = await messageTotal(postgres, orgId);
      if (copied >= stored / 4) break;
      if (child.exitCode !== null) throw new Error('the copy finished before it could be killed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    expect((await ended).signal).toBe('SIGKILL');
    const partial = await messageTotal(postgres, orgId);
    expect(partial).toBeLessThan(stored);
    const resumed = await run(['--env-file', redisEnv, 'copy', '--org', orgId, '--to-env-file', pgEnv, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout) as {
      messages: number;
      skippedThreads: number;
      verification: { ok: boolean };
    };
    // What the killed run committed stays; the rerun writes at most the rest (a commit the server finished just
    // after the kill, before `partial` was read, is the only way it could be less).
    expect(summary.messages).toBeGreaterThan(0);
    expect(summary.messages).toBeLessThanOrEqual(stored - partial);
    expect(summary.skippedThreads).toBeGreaterThan(0);
    expect(summary.verification.ok).toBe(true);
    expect(await messageTotal(postgres, orgId)).toBe(stored);
    const { rows } = await pool.query<{ n: string; distinct_ids: string }>(
      `SELECT count(*) AS n, count(DISTINCT (thread_id, id)) AS distinct_ids FROM "${SCHEMA}".${TABLES.messages} WHERE org_id = $1`,
      [orgId],
    );
    expect(rows[0]).toEqual({ n: String(stored), distinct_ids: String(stored) });
    expect(await exportBody(postgres, { orgId })).toEqual(await exportBody(redis, { orgId }));
  });

  it('erase --yes leaves nothing of the org (or user) in the raw stores', async () => {
    const orgId = `erase-${RUN}`;
    await generateConversations(redis, orgId, { threads: 10, perThread: 20 });
    expect((await run(['--env-file', redisEnv, 'copy', '--org', orgId, '--to-env-file', pgEnv])).code).toBe(0);
    const pgInspector = inspectPostgres(pool, SCHEMA);
    const redisInspector = inspectRedisStore(rawRedis, new KeySpace(PREFIX));
    const user = await run(['--env-file', pgEnv, 'erase', '--org', orgId, '--user', 'user-1', '--yes', '--json']);
    expect(user.code, user.stderr).toBe(0);
    expect(JSON.parse(user.stdout)).toMatchObject({ orgId, userId: 'user-1', threads: 2 });
    expect(await pgInspector.remains?.({ orgId, userId: 'user-1' })).toBe(0);
    expect(await pgInspector.remains?.({ orgId, userId: 'user-2' })).toBeGreaterThan(0);
    for (const [env, inspector] of [[pgEnv, pgInspector], [redisEnv, redisInspector] as const] as const) {
      const result = await run(['--env-file', env, 'erase', '--org', orgId, '--yes', '--json']);
      expect(result.code, result.stderr).toBe(0);
      expect(await inspector.remains?.({ orgId })).toBe(0);
    }
  });

  it('prune --inactive-days deletes the threads inactive that long, and only those', async () => {
    const orgId = `prune-${RUN}`;
    const old = new Date(Date.now() - 400 * 86_400_000);
    const header = { format: 'fluxibly.conversations', version: 1, exportedAt: new Date().toISOString(), orgId };
    const thread = (id: string, at: Date) => ({
      type: 'thread',
      id,
      orgId,
      userId: 'u',
      name: '',
      metadata: {},
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
      lastSeq: 1,
      messageCount: 1,
    });
    const message = (threadId: string, at: Date) => ({
      type: 'message',
      id: `${threadId}-m`,
      threadId,
      seq: 1,
      role: 'user',
      content: 'hi',
      metadata: {},
      status: 'completed',
      createdAt: at.toISOString(),
    });
    const file = path.join(dir, 'prune.jsonl');
    const now = new Date();
    writeFileSync(
      file,
      [
        header,
        thread(`${orgId}-recent`, now),
        message(`${orgId}-recent`, now),
        thread(`${orgId}-old`, old),
        message(`${orgId}-old`, old),
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    expect((await run(['--env-file', pgEnv, 'import', '--file', file])).code).toBe(0);
    const pruned = await run(['--env-file', pgEnv, 'prune', '--inactive-days', '365', '--org', orgId, '--json']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(JSON.parse(pruned.stdout)).toMatchObject({ orgId, deleted: 1, messages: 1 });
    expect(await postgres.getThread({ orgId, userId: 'u' }, `${orgId}-old`)).toBeNull();
    expect(await postgres.getThread({ orgId, userId: 'u' }, `${orgId}-recent`)).not.toBeNull();
  });
});

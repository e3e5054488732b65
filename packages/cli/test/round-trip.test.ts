// Export → import between every pair of backends, in-process through @fluxibly/core: every record deep-equal.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConversationRepository } from '@fluxibly/core';
import { exportConversations, importConversations, parseJsonLines, toJsonLines } from '@fluxibly/core';
import { MemoryConversationRepository } from '@fluxibly/memory';
import { MongoConversationRepository } from '@fluxibly/mongo';
import type { StandIn } from '@fluxibly/mongo-stand-in';
import { startStandIn } from '@fluxibly/mongo-stand-in';
import { PostgresConversationRepository } from '@fluxibly/postgres';
import { RedisConversationRepository } from '@fluxibly/redis';
import { SqliteConversationRepository } from '@fluxibly/sqlite';
import pg from 'pg';
import { Redis } from 'ioredis';
import { exportBody, generateConversations } from './support/conversations.js';

const RUN = randomBytes(4).toString('hex');
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const dir = mkdtempSync(path.join(tmpdir(), 'fluxibly-round-trip-'));
const opened: ConversationRepository[] = [];
const schemas: string[] = [];
const prefixes: string[] = [];

type Backend = 'memory' | 'sqlite' | 'postgres' | 'redis' | 'mongo';
/** MongoDB is the pinned jongodb stand-in (NOT MongoDB), started for this file: the round trips run one at a time. */
const BACKENDS: Backend[] = ['memory', 'sqlite', 'postgres', 'redis', 'mongo'];
let standIn: Promise<StandIn> | undefined;

async function open(backend: Backend, name: string): Promise<ConversationRepository> {
  let repository: ConversationRepository;
  if (backend === 'memory') repository = new MemoryConversationRepository();
  else if (backend === 'sqlite') {
    repository = new SqliteConversationRepository({ path: path.join(dir, `${name}.db`), migrate: true });
  } else if (backend === 'postgres') {
    const schema = `fluxibly_rt_${RUN}_${name}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    schemas.push(schema);
    repository = new PostgresConversationRepository({ url: DATABASE_URL, schema, migrate: true });
  } else if (backend === 'mongo') {
    standIn ??= startStandIn();
    const { url } = await standIn;
    repository = new MongoConversationRepository({
      url,
      dbName: `rt_${RUN}`,
      collectionPrefix: `${name}_`,
      migrate: true,
    });
  } else {
    const keyPrefix = `fluxibly-rt:${RUN}:${name}:`;
    prefixes.push(keyPrefix);
    repository = new RedisConversationRepository({ url: REDIS_URL, keyPrefix });
  }
  opened.push(repository);
  return repository;
}

afterAll(async () => {
  await Promise.all(opened.map((r) => r.close()));
  await (await standIn)?.stop();
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  const redis = new Redis(REDIS_URL);
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('export → JSON Lines → import, every pair of backends', () => {
  const sources = new Map<Backend, ConversationRepository>();
  const orgId = `rt-${RUN}`;

  it.each(BACKENDS.flatMap((from) => BACKENDS.filter((to) => to !== from).map((to) => [from, to] as const)))(
    '%s → %s: the target exports exactly what the source exported; a second import writes nothing',
    async (from, to) => {
      let source = sources.get(from);
      if (source === undefined) {
        source = await open(from, `src_${from}`);
        await generateConversations(source, orgId, { threads: 11, perThread: 25, seed: 3 });
        sources.set(from, source);
      }
      const target = await open(to, `${from}_to_${to}`);
      const lines: string[] = [];
      for await (const line of toJsonLines(exportConversations(source, { orgId }))) lines.push(line);
      const first = await importConversations(target, parseJsonLines(lines));
      const expected = await exportBody(source, { orgId });
      expect(await exportBody(target, { orgId })).toEqual(expected);
      expect(first.messages).toBe(expected.filter((r) => 'type' in r && r.type === 'message').length);
      expect(await importConversations(target, parseJsonLines(lines))).toMatchObject({ threads: 0, messages: 0 });
    },
  );
});

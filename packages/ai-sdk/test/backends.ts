import { randomBytes } from 'node:crypto';
import type { ConversationRepository } from '@fluxibly/core';
import { MemoryConversationRepository, MemoryStore } from '@fluxibly/memory';
import { PostgresConversationRepository } from '@fluxibly/postgres';
import { RedisConversationRepository } from '@fluxibly/redis';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';

/**
 * A backend the scenarios run on: each `open()` gives a new repository over the same stored data (a "new process"
 * reading what the previous one wrote); `close()` closes them all and removes this run's data.
 */
export interface Backend {
  name: string;
  open(): Promise<ConversationRepository>;
  close(): Promise<void>;
}

/** Makes a backend, or says why it cannot run here (no server). */
export interface BackendFactory {
  name: string;
  unavailable(): Promise<string | undefined>;
  make(): Backend;
}

const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const suffix = () => randomBytes(5).toString('hex');

function tracked(name: string, create: () => ConversationRepository, cleanup: () => Promise<void>): Backend {
  const opened: ConversationRepository[] = [];
  return {
    name,
    open: async () => {
      const repository = create();
      opened.push(repository);
      return repository;
    },
    close: async () => {
      await Promise.all(opened.map((repository) => repository.close()));
      await cleanup();
    },
  };
}

async function postgresSql(sql: string): Promise<void> {
  const dataSource = new DataSource({ type: 'postgres', url: POSTGRES_URL, connectTimeoutMS: 2_000 });
  await dataSource.initialize();
  try {
    await dataSource.query(sql);
  } finally {
    await dataSource.destroy();
  }
}

async function withRedis(run: (client: Redis) => Promise<unknown>): Promise<void> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    await run(client);
  } finally {
    client.disconnect();
  }
}

async function reason(probe: () => Promise<void>): Promise<string | undefined> {
  try {
    await probe();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export const BACKENDS: BackendFactory[] = [
  {
    name: 'memory',
    unavailable: async () => undefined,
    make: () => {
      const store = new MemoryStore();
      return tracked(
        'memory',
        () => new MemoryConversationRepository({ store }),
        async () => undefined,
      );
    },
  },
  {
    name: 'postgres',
    unavailable: () => reason(() => postgresSql('SELECT 1')),
    make: () => {
      // A schema of this run's own: other suites use the same database at the same time.
      const schema = `fluxibly_aisdk_${suffix()}`;
      return tracked(
        'postgres',
        () => new PostgresConversationRepository({ url: POSTGRES_URL, schema, migrate: true, poolSize: 2 }),
        () => postgresSql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
      );
    },
  },
  {
    name: 'redis',
    unavailable: () => reason(() => withRedis((client) => client.ping())),
    make: () => {
      const keyPrefix = `fluxibly-aisdk-${suffix()}:`;
      return tracked(
        'redis',
        () => new RedisConversationRepository({ url: REDIS_URL, keyPrefix }),
        () =>
          withRedis(async (client) => {
            const keys = await client.keys(`${keyPrefix}*`);
            if (keys.length > 0) await client.del(...keys);
          }),
      );
    },
  },
];

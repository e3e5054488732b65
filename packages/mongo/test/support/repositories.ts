import { MongoClient } from 'mongodb';
import { inject } from 'vitest';
import type { MongoConversationRepository } from '../../src/index.js';
import { openMongoRepository } from '../../src/internal.js';
import { transactionRunner } from './one-at-a-time.js';
import type { MongoTarget } from './target.js';

/** The run's target (see `global-setup.ts`). */
export function target(): MongoTarget {
  return inject('mongoTarget');
}

/**
 * A repository on the run's target with its own client, on a collection prefix of the caller's choosing (so
 * test files never share collections). On the stand-in its transactions run one at a time (`one-at-a-time.ts`).
 */
export function openRepository(prefix: string, options: { migrate?: boolean } = {}): MongoConversationRepository {
  const { url, dbName, kind } = target();
  return openMongoRepository(
    { url, dbName, collectionPrefix: prefix, migrate: options.migrate ?? true },
    transactionRunner(kind),
  );
}

/** A driver client on the run's target, for raw reads in tests. Close it. */
export async function rawClient(): Promise<MongoClient> {
  const client = new MongoClient(target().url);
  await client.connect();
  return client;
}

/**
 * Remove every document under `prefix` (the stand-in has no `drop`; a real server's run database is dropped
 * as a whole by `global-setup.ts`).
 */
export async function clearPrefix(prefix: string): Promise<void> {
  const client = await rawClient();
  try {
    await clearCollections(client, prefix);
  } finally {
    await client.close();
  }
}

/** Remove every document under `prefix` with an open client (indexes stay). */
export async function clearCollections(client: MongoClient, prefix: string): Promise<void> {
  const db = client.db(target().dbName);
  await db.collection(`${prefix}threads`).deleteMany({});
  await db.collection(`${prefix}messages`).deleteMany({});
}

import type { Collection, Document, IndexDescription } from 'mongodb';
import type { Collections } from './codec.js';

/**
 * The indexes every query relies on. `migrate()` creates them with `createIndexes`, which is idempotent: an index
 * that already exists with the same keys and options is left alone.
 */

/** Indexes of the `threads` collection (`_id` is the thread id: unique and global). */
export const THREAD_INDEXES: readonly IndexDescription[] = [
  /** A user's threads, newest activity first (`listThreads`). */
  { key: { orgId: 1, userId: 1, updatedAt: -1, _id: -1 }, name: 'orgId_userId_updatedAt_id' },
  /** An organisation's threads, newest activity first (`listOrgThreads`). */
  { key: { orgId: 1, updatedAt: -1, _id: -1 }, name: 'orgId_updatedAt_id' },
];

/** Indexes of the `messages` collection. */
export const MESSAGE_INDEXES: readonly IndexDescription[] = [
  /** Unique `seq` per thread; serves newest-N (`seq` desc), cursor pages, fork and clear. */
  { key: { threadId: 1, seq: 1 }, name: 'threadId_seq', unique: true },
  /** Unique message id per thread; serves idempotent appends and lookups by id. */
  { key: { threadId: 1, id: 1 }, name: 'threadId_id', unique: true },
  /** Search within one user's messages, newest first. */
  { key: { orgId: 1, userId: 1, createdAt: -1 }, name: 'orgId_userId_createdAt' },
];

/**
 * Create every index (idempotent) and return the ones this call added, as `collection.index` names (`[]` when all
 * existed). Indexes are listed before they are created, so a concurrent migration may report the same names.
 */
export async function createIndexes(collections: Collections): Promise<string[]> {
  return [
    ...(await createMissing(collections.threads, THREAD_INDEXES)),
    ...(await createMissing(collections.messages, MESSAGE_INDEXES)),
  ];
}

async function createMissing<T extends Document>(
  collection: Collection<T>,
  indexes: readonly IndexDescription[],
): Promise<string[]> {
  const existing = new Set((await existingIndexes(collection)).map((index) => index.name));
  await collection.createIndexes([...indexes]);
  return indexes
    .filter((index) => !existing.has(index.name))
    .map((index) => `${collection.collectionName}.${String(index.name)}`);
}

/** The collection's indexes; none when the collection does not exist yet (`NamespaceNotFound`, code 26). */
async function existingIndexes<T extends Document>(collection: Collection<T>): Promise<{ name?: string }[]> {
  try {
    return await collection.indexes();
  } catch (error) {
    if ((error as { code?: unknown }).code === 26) return [];
    throw error;
  }
}

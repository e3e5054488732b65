import type { JsonObject } from '@fluxibly/core';
import type { AnyBulkWriteOperation, Collection, Document, IndexDescription } from 'mongodb';
import type { Collections, ThreadDocument } from './codec.js';
import { metadataTags } from './metadata-tags.js';

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
  /** A user's threads with a metadata key = value (`listThreads` with `metadata`; see `metadata-tags.ts`). */
  {
    key: { orgId: 1, userId: 1, metadataTags: 1, updatedAt: -1, _id: -1 },
    name: 'orgId_userId_metadataTags_updatedAt_id',
  },
  /** An organisation's threads with a metadata key = value (`listOrgThreads` with `metadata`). */
  { key: { orgId: 1, metadataTags: 1, updatedAt: -1, _id: -1 }, name: 'orgId_metadataTags_updatedAt_id' },
  /** Every organisation's threads, least recently active first (`pruneThreads` without an `orgId`). */
  { key: { updatedAt: 1, _id: 1 }, name: 'updatedAt_id' },
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
 * Create every index (idempotent), then give every thread written before contract v2 its `metadataTags`, and
 * return what this call applied: the indexes it added, as `collection.index` names, and
 * `<threads collection>.metadataTags` when it tagged a thread (`[]` when everything was in place). Indexes are
 * listed before they are created, so a concurrent migration may report the same names.
 */
export async function createIndexes(collections: Collections): Promise<string[]> {
  const applied = [
    ...(await createMissing(collections.threads, THREAD_INDEXES)),
    ...(await createMissing(collections.messages, MESSAGE_INDEXES)),
  ];
  if ((await tagOldThreads(collections.threads)) > 0)
    applied.push(`${collections.threads.collectionName}.metadataTags`);
  return applied;
}

/** How many threads one bulk write tags. */
const TAG_BATCH = 500;

/**
 * Give each thread without `metadataTags` (written before contract v2) the tags of its metadata, so listings by
 * metadata find it; returns how many were tagged. Each write is guarded by the metadata text it was computed from
 * (a thread whose metadata changed meanwhile was tagged by that write). Reads only the untagged threads' `_id` and
 * `metadata`; safe to run from several processes at once.
 */
async function tagOldThreads(threads: Collection<ThreadDocument>): Promise<number> {
  let tagged = 0;
  let batch: AnyBulkWriteOperation<ThreadDocument>[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    tagged += (await threads.bulkWrite(batch, { ordered: false })).modifiedCount;
    batch = [];
  };
  const untagged = threads.find({ metadataTags: { $exists: false } }, { projection: { _id: 1, metadata: 1 } });
  for await (const doc of untagged) {
    batch.push({
      updateOne: {
        filter: { _id: doc._id, metadata: doc.metadata, metadataTags: { $exists: false } },
        update: { $set: { metadataTags: metadataTags(JSON.parse(doc.metadata) as JsonObject) } },
      },
    });
    if (batch.length >= TAG_BATCH) await flush();
  }
  await flush();
  return tagged;
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

import type { ChatThread, JsonObject, Scope, ThreadPage } from '@fluxibly/core';
import type { ValidCreateThread, ValidFork, ValidListThreads, ValidTruncate } from '@fluxibly/core/adapter';
import { cutPointError, forkPointError, threadIdTaken, threadNotFound, threadPageOf } from '@fluxibly/core/adapter';
import type { ClientSession, Filter, UpdateFilter } from 'mongodb';
import type { MessageDocument, ThreadDocument } from './codec.js';
import { metadataFields, toChatThread, touchTime } from './codec.js';
import type { ReadyConnection } from './connection.js';
import { isDuplicateKey } from './errors.js';
import { checkExpected, guardedThreadUpdate } from './seq-rules.js';
import { filterTags } from './metadata-tags.js';

/**
 * Thread operations. Every multi-document write runs in one transaction (`db.transaction`, see `transactions.ts`): it either fully
 * happens or not at all, and racing writers to one thread are serialised by the server's write-conflict detection
 * on the thread document.
 */

/** Create an empty thread: one insert. @throws ConflictError when the id is used by any thread. */
export async function createThread(db: ReadyConnection, scope: Scope, input: ValidCreateThread): Promise<ChatThread> {
  const now = new Date(db.now());
  const doc: ThreadDocument = {
    _id: input.id,
    orgId: scope.orgId,
    userId: scope.userId,
    name: input.name,
    ...metadataFields(input.metadata),
    createdAt: now,
    updatedAt: now,
    lastSeq: 0,
    messageCount: 0,
  };
  try {
    await db.collections.threads.insertOne(doc);
  } catch (error) {
    if (isDuplicateKey(error)) throw threadIdTaken();
    throw error;
  }
  return toChatThread(doc);
}

/** Delete a thread and its messages in one transaction; `false` when it does not exist for `scope`. */
export async function deleteThread(db: ReadyConnection, scope: Scope, threadId: string): Promise<boolean> {
  return db.transaction(async (session) => {
    const { deletedCount } = await db.collections.threads.deleteOne(
      { _id: threadId, orgId: scope.orgId, userId: scope.userId },
      { session },
    );
    if (deletedCount === 0) return false;
    await db.collections.messages.deleteMany({ threadId }, { session });
    return true;
  });
}

/**
 * Remove every message, keep the thread and `lastSeq`, unset `summarySeq`; returns how many were removed.
 * @throws NotFoundError.
 */
export async function clearThread(db: ReadyConnection, scope: Scope, threadId: string): Promise<number> {
  return db.transaction(async (session) => {
    const doc = await ownedThread(db, scope, threadId, session);
    if (doc === null) throw threadNotFound();
    const { deletedCount } = await db.collections.messages.deleteMany({ threadId }, { session });
    await db.collections.threads.updateOne(
      { _id: threadId },
      { $set: { messageCount: 0, updatedAt: touchTime(doc.updatedAt, db.now()) }, $unset: { summarySeq: '' } },
      { session },
    );
    return deletedCount;
  });
}

/**
 * Remove every message with `seq > afterSeq` in one transaction and return how many were removed. `lastSeq` stays;
 * `messageCount` drops and `updatedAt` moves only when something was removed; `summarySeq` is unset when beyond
 * the cut. The thread document is written (guarded by its `lastSeq`) whenever anything changes, so an append
 * racing it commits wholly before (and is removed) or wholly after.
 * @throws NotFoundError, then ConflictError (`expectedLastSeq`), then ValidationError (`afterSeq` beyond `lastSeq`).
 */
export async function truncateThread(db: ReadyConnection, scope: Scope, input: ValidTruncate): Promise<number> {
  return db.transaction(async (session) => {
    const doc = await ownedThread(db, scope, input.threadId, session);
    if (doc === null) throw threadNotFound();
    checkExpected(input, doc);
    if (input.afterSeq > doc.lastSeq) throw cutPointError('afterSeq', input.afterSeq, doc.lastSeq);
    const { deletedCount } = await db.collections.messages.deleteMany(
      { threadId: doc._id, seq: { $gt: input.afterSeq } },
      { session },
    );
    const update: UpdateFilter<ThreadDocument> = {};
    if (deletedCount > 0) {
      update.$inc = { messageCount: -deletedCount };
      update.$set = { updatedAt: touchTime(doc.updatedAt, db.now()) };
    }
    if (doc.summarySeq != null && doc.summarySeq > input.afterSeq) update.$unset = { summarySeq: '' };
    if (Object.keys(update).length > 0) await guardedThreadUpdate(db, doc, update, session);
    return deletedCount;
  });
}

/**
 * Copy the source's messages with `seq <= atSeq` into a new thread, in one transaction.
 * @throws NotFoundError, then ValidationError (`atSeq` beyond `lastSeq`), then ConflictError (id used).
 */
export async function forkThread(db: ReadyConnection, scope: Scope, input: ValidFork): Promise<ChatThread> {
  return db.transaction(async (session) => {
    const { threads, messages } = db.collections;
    const source = await ownedThread(db, scope, input.threadId, session);
    if (source === null) throw threadNotFound();
    const atSeq = input.atSeq ?? source.lastSeq;
    if (atSeq > source.lastSeq) throw forkPointError(atSeq, source.lastSeq);
    if ((await threads.findOne({ _id: input.id }, { session })) !== null) throw threadIdTaken();
    const copies = await messages
      .find({ threadId: source._id, seq: { $lte: atSeq } }, { session })
      .sort({ seq: 1 })
      .toArray();
    const now = new Date(db.now());
    const metadata = input.metadata ?? (JSON.parse(source.metadata) as JsonObject);
    const doc: ThreadDocument = {
      _id: input.id,
      orgId: scope.orgId,
      userId: scope.userId,
      name: input.name ?? source.name,
      ...metadataFields(metadata),
      createdAt: now,
      updatedAt: now,
      lastSeq: atSeq,
      messageCount: copies.length,
      parent: { threadId: source._id, seq: atSeq },
    };
    if (source.summarySeq != null && source.summarySeq <= atSeq) doc.summarySeq = source.summarySeq;
    try {
      await threads.insertOne(doc, { session });
    } catch (error) {
      if (isDuplicateKey(error, '_id')) throw threadIdTaken();
      throw error;
    }
    if (copies.length > 0) {
      await messages.insertMany(
        copies.map(({ _id, ...message }): MessageDocument => ({ ...message, threadId: input.id })),
        { session, ordered: true },
      );
    }
    return toChatThread(doc);
  });
}

/** The thread if it exists *for this scope*, else `null` (another tenant's thread looks missing). */
export async function ownedThread(
  db: ReadyConnection,
  scope: Scope,
  threadId: string,
  session?: ClientSession,
): Promise<ThreadDocument | null> {
  return db.collections.threads.findOne(
    { _id: threadId, orgId: scope.orgId, userId: scope.userId },
    session === undefined ? {} : { session },
  );
}

/**
 * One page of a listing, `updatedAt` desc then `id` desc, strictly after the cursor. `filter` is the scope
 * (`{ orgId, userId }` or `{ orgId }`), an equality prefix of a listing index; a `metadata` filter adds its tags
 * (`metadata-tags.ts`), served by the tag indexes. One query of `limit + 1` documents.
 */
export async function threadPage(
  db: ReadyConnection,
  filter: Filter<ThreadDocument>,
  input: ValidListThreads,
): Promise<ThreadPage> {
  const { cursor } = input;
  const position: Filter<ThreadDocument> =
    cursor === undefined
      ? {}
      : {
          $or: [{ updatedAt: { $lt: cursor.updatedAt } }, { updatedAt: cursor.updatedAt, _id: { $lt: cursor.id } }],
        };
  const tags: Filter<ThreadDocument> =
    input.metadata === undefined ? {} : { metadataTags: { $all: filterTags(input.metadata) } };
  const docs = await db.collections.threads
    .find({ ...filter, ...tags, ...position })
    .sort({ updatedAt: -1, _id: -1 })
    .limit(input.limit + 1)
    .toArray();
  return threadPageOf(docs.slice(0, input.limit).map(toChatThread), docs.length > input.limit);
}

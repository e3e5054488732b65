import type {
  ChatThread,
  Scope,
  ThreadPage,
  ValidCreateThread,
  ValidFork,
  ValidListThreads,
  ValidUpdateThread,
} from '@fluxibly/core';
import { ConflictError, NotFoundError, encodeThreadCursor, forkPointError } from '@fluxibly/core';
import type { Filter } from 'mongodb';
import { toChatThread, touchTime } from './codec.js';
import type { MessageDocument, ThreadDocument } from './documents.js';
import { isDuplicateKey } from './errors.js';
import type { MongoStore } from './store.js';
import { ownedThread } from './store.js';
import { inTransaction } from './transactions.js';

/**
 * Thread operations. Every multi-document write runs in one transaction ({@link inTransaction}): it either fully
 * happens or not at all, and racing writers to one thread are serialised by the server's write-conflict detection
 * on the thread document.
 */

/** Create an empty thread: one insert. @throws ConflictError when the id is used by any thread. */
export async function createThread(store: MongoStore, scope: Scope, input: ValidCreateThread): Promise<ChatThread> {
  const now = new Date(store.now());
  const doc: ThreadDocument = {
    _id: input.id,
    orgId: scope.orgId,
    userId: scope.userId,
    name: input.name,
    metadata: JSON.stringify(input.metadata),
    createdAt: now,
    updatedAt: now,
    lastSeq: 0,
    messageCount: 0,
  };
  try {
    await store.collections.threads.insertOne(doc);
  } catch (error) {
    if (isDuplicateKey(error)) throw new ConflictError('thread id is already used', { cause: error });
    throw error;
  }
  return toChatThread(doc);
}

/** Rename and/or replace metadata; `updatedAt` moves. @throws NotFoundError. */
export async function updateThread(store: MongoStore, scope: Scope, input: ValidUpdateThread): Promise<ChatThread> {
  return inTransaction(store.client, async (session) => {
    const doc = await ownedThread(store, scope, input.threadId, session);
    if (doc === null) throw new NotFoundError('thread not found');
    const updated: ThreadDocument = { ...doc, updatedAt: touchTime(doc.updatedAt, store.now()) };
    if (input.name !== undefined) updated.name = input.name;
    if (input.metadata !== undefined) updated.metadata = JSON.stringify(input.metadata);
    await store.collections.threads.updateOne(
      { _id: doc._id },
      { $set: { name: updated.name, metadata: updated.metadata, updatedAt: updated.updatedAt } },
      { session },
    );
    return toChatThread(updated);
  });
}

/** Delete a thread and its messages in one transaction; `false` when it does not exist for `scope`. */
export async function deleteThread(store: MongoStore, scope: Scope, threadId: string): Promise<boolean> {
  return inTransaction(store.client, async (session) => {
    const { deletedCount } = await store.collections.threads.deleteOne(
      { _id: threadId, orgId: scope.orgId, userId: scope.userId },
      { session },
    );
    if (deletedCount === 0) return false;
    await store.collections.messages.deleteMany({ threadId }, { session });
    return true;
  });
}

/** Remove every message, keep the thread and `lastSeq`; returns how many were removed. @throws NotFoundError. */
export async function clearThread(store: MongoStore, scope: Scope, threadId: string): Promise<number> {
  return inTransaction(store.client, async (session) => {
    const doc = await ownedThread(store, scope, threadId, session);
    if (doc === null) throw new NotFoundError('thread not found');
    const { deletedCount } = await store.collections.messages.deleteMany({ threadId }, { session });
    await store.collections.threads.updateOne(
      { _id: threadId },
      { $set: { messageCount: 0, updatedAt: touchTime(doc.updatedAt, store.now()) } },
      { session },
    );
    return deletedCount;
  });
}

/**
 * Copy the source's messages with `seq <= atSeq` into a new thread, in one transaction.
 * @throws NotFoundError, then ValidationError (`atSeq` beyond `lastSeq`), then ConflictError (id used).
 */
export async function forkThread(store: MongoStore, scope: Scope, input: ValidFork): Promise<ChatThread> {
  return inTransaction(store.client, async (session) => {
    const { threads, messages } = store.collections;
    const source = await ownedThread(store, scope, input.threadId, session);
    if (source === null) throw new NotFoundError('thread not found');
    const atSeq = input.atSeq ?? source.lastSeq;
    if (atSeq > source.lastSeq) throw forkPointError(atSeq, source.lastSeq);
    if ((await threads.findOne({ _id: input.id }, { session })) !== null) {
      throw new ConflictError('thread id is already used');
    }
    const copies = await messages
      .find({ threadId: source._id, seq: { $lte: atSeq } }, { session })
      .sort({ seq: 1 })
      .toArray();
    const now = new Date(store.now());
    const doc: ThreadDocument = {
      _id: input.id,
      orgId: scope.orgId,
      userId: scope.userId,
      name: input.name ?? source.name,
      metadata: input.metadata === undefined ? source.metadata : JSON.stringify(input.metadata),
      createdAt: now,
      updatedAt: now,
      lastSeq: atSeq,
      messageCount: copies.length,
      parent: { threadId: source._id, seq: atSeq },
    };
    try {
      await threads.insertOne(doc, { session });
    } catch (error) {
      if (isDuplicateKey(error, '_id')) throw new ConflictError('thread id is already used', { cause: error });
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

/**
 * One page of a listing, `updatedAt` desc then `id` desc, strictly after the cursor. `filter` is the scope
 * (`{ orgId, userId }` or `{ orgId }`), an equality prefix of a listing index. One query of `limit + 1` documents.
 */
export async function threadPage(
  store: MongoStore,
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
  const docs = await store.collections.threads
    .find({ ...filter, ...position })
    .sort({ updatedAt: -1, _id: -1 })
    .limit(input.limit + 1)
    .toArray();
  const page = docs.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    threads: page.map(toChatThread),
    nextCursor:
      docs.length > input.limit && last !== undefined
        ? encodeThreadCursor({ updatedAt: last.updatedAt, id: last._id })
        : null,
  };
}

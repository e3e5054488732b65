import type { ChatMessage, Scope, ValidAppend, ValidMessage } from '@fluxibly/core';
import { ConflictError, NotFoundError } from '@fluxibly/core';
import type { ClientSession } from 'mongodb';
import { messageDocument, toChatMessage, touchTime } from './codec.js';
import type { MessageDocument, ThreadDocument } from './documents.js';
import { isDuplicateKey } from './errors.js';
import type { MongoStore } from './store.js';
import { ownedThread } from './store.js';
import { RetryTransaction, inTransaction } from './transactions.js';

/** Thrown inside the fast path when a message id already exists: abort it and take the careful path. */
class KnownIdFound extends Error {}

/**
 * Append a batch, atomically, in one transaction.
 *
 * **Fast path** (no id of the batch exists yet, the usual case): `findOneAndUpdate` on the thread document claims
 * `lastSeq + 1 … lastSeq + k` (`$inc`, filtered by scope and, when given, `expectedLastSeq`), then one ordered
 * `insertMany` writes the messages; then the commit. Two racing appends both write the thread document, so the
 * server lets exactly one commit (`WriteConflict`; the loser re-runs on the new `lastSeq`), and the unique
 * `(threadId, seq)` index rejects any duplicate `seq` on its own. A lost connection aborts the transaction:
 * nothing of the batch is stored.
 *
 * **Careful path** (the claim failed, or an id exists: `(threadId, id)` is unique): read the thread and the
 * existing ids; when every message exists, return the stored ones without writing (whatever `expectedLastSeq`
 * says); otherwise check `expectedLastSeq` and write only the new messages, in a fresh transaction. When a
 * concurrent identical append stores one of the ids first, this path's write hits the unique index (or a write
 * conflict) and re-runs, and then returns the stored messages: concurrent identical retries both succeed.
 */
export async function appendMessages(store: MongoStore, scope: Scope, input: ValidAppend): Promise<ChatMessage[]> {
  try {
    return await inTransaction(store.client, (session) => fastAppend(store, scope, input, session));
  } catch (error) {
    if (!(error instanceof KnownIdFound)) throw error;
  }
  return inTransaction(store.client, (session) => carefulAppend(store, scope, input, session));
}

async function fastAppend(
  store: MongoStore,
  scope: Scope,
  input: ValidAppend,
  session: ClientSession,
): Promise<ChatMessage[]> {
  const { threads, messages } = store.collections;
  const count = input.messages.length;
  const now = store.now();
  const filter =
    input.expectedLastSeq === undefined
      ? { _id: input.threadId, orgId: scope.orgId, userId: scope.userId }
      : { _id: input.threadId, orgId: scope.orgId, userId: scope.userId, lastSeq: input.expectedLastSeq };
  const before = await threads.findOneAndUpdate(
    filter,
    { $inc: { lastSeq: count, messageCount: count }, $set: { updatedAt: new Date(now) } },
    { session, returnDocument: 'before' },
  );
  if (before === null) throw new KnownIdFound();
  const createdAt = touchTime(before.updatedAt, now);
  if (createdAt.getTime() !== now) {
    // The clock is behind the thread's updatedAt: keep it (updatedAt never goes backwards).
    await threads.updateOne({ _id: before._id }, { $set: { updatedAt: createdAt } }, { session });
  }
  const docs = input.messages.map((message, i) =>
    messageDocument(scope, input.threadId, before.lastSeq + 1 + i, message, createdAt),
  );
  try {
    await messages.insertMany(docs, { session, ordered: true });
  } catch (error) {
    if (isDuplicateKey(error, 'threadId_id')) throw new KnownIdFound();
    throw error;
  }
  return docs.map(toChatMessage);
}

async function carefulAppend(
  store: MongoStore,
  scope: Scope,
  input: ValidAppend,
  session: ClientSession,
): Promise<ChatMessage[]> {
  const { threads, messages } = store.collections;
  const thread = await ownedThread(store, scope, input.threadId, session);
  if (thread === null) throw new NotFoundError('thread not found');
  const stored = await messages
    .find({ threadId: thread._id, id: { $in: input.messages.map((message) => message.id) } }, { session })
    .toArray();
  const existing = new Map(stored.map((doc) => [doc.id, doc]));
  const fresh = input.messages.filter((message) => !existing.has(message.id));
  if (fresh.length === 0) return input.messages.map((message) => toChatMessage(existing.get(message.id)!));
  checkExpected(input, thread);
  const createdAt = touchTime(thread.updatedAt, store.now());
  const docs = new Map<ValidMessage, MessageDocument>();
  fresh.forEach((message, i) => {
    docs.set(message, messageDocument(scope, thread._id, thread.lastSeq + 1 + i, message, createdAt));
  });
  const claim = await threads.updateOne(
    { _id: thread._id, lastSeq: thread.lastSeq },
    { $inc: { lastSeq: fresh.length, messageCount: fresh.length }, $set: { updatedAt: createdAt } },
    { session },
  );
  // A concurrent append moved the thread after this transaction's snapshot: decide again on fresh reads.
  if (claim.matchedCount !== 1) throw new RetryTransaction('the thread moved');
  try {
    await messages.insertMany([...docs.values()], { session, ordered: true });
  } catch (error) {
    // A concurrent append stored one of these ids (or seqs) after the snapshot: re-run, which returns it as stored.
    if (isDuplicateKey(error)) throw new RetryTransaction('a message id or seq was taken concurrently');
    throw error;
  }
  return input.messages.map((message) => toChatMessage(existing.get(message.id) ?? docs.get(message)!));
}

function checkExpected(input: ValidAppend, thread: ThreadDocument): void {
  const { expectedLastSeq } = input;
  if (expectedLastSeq !== undefined && expectedLastSeq !== thread.lastSeq) {
    throw new ConflictError(`expectedLastSeq is ${expectedLastSeq} but the thread's lastSeq is ${thread.lastSeq}`, {
      expectedLastSeq,
      actualLastSeq: thread.lastSeq,
    });
  }
}

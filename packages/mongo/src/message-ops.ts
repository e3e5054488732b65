import type { ChatMessage, MessagePage, Scope } from '@fluxibly/core';
import type { ValidAppend, ValidEdit, ValidGetMessages, ValidMessageRef, ValidSearch } from '@fluxibly/core/adapter';
import {
  buildMessagePage,
  fromNewestFirst,
  messageNotFound,
  statusConflict,
  threadNotFound,
} from '@fluxibly/core/adapter';
import type { ClientSession, Filter } from 'mongodb';
import type { MessageDocument, ThreadDocument } from './codec.js';
import { messageDocument, toChatMessage, touchTime } from './codec.js';
import type { ReadyConnection } from './connection.js';
import { isDuplicateKey } from './errors.js';
import { replaceTail } from './replace-tail.js';
import { checkExpected, freshDocuments, insertFresh, lastSummarySeq } from './seq-rules.js';
import { queryWords, searchableText, wordsFilter } from './search.js';
import { ownedThread } from './thread-ops.js';
import { RetryTransaction } from './transactions.js';

/** Thrown inside the fast path when a message id already exists: abort it and take the careful path. */
class KnownIdFound extends Error {}

/**
 * Append a batch, atomically, in one transaction (one retry loop: the fast path's first attempt, then the careful
 * path's).
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
export async function appendMessages(db: ReadyConnection, scope: Scope, input: ValidAppend): Promise<ChatMessage[]> {
  if (input.replaceAfterSeq !== undefined) return replaceTail(db, scope, input, input.replaceAfterSeq);
  let careful = false;
  return db.transaction(async (session) => {
    if (careful) return carefulAppend(db, scope, input, session);
    try {
      return await fastAppend(db, scope, input, session);
    } catch (error) {
      if (!(error instanceof KnownIdFound)) throw error;
      // One retry loop per call: the next attempt, at once and in a fresh transaction, takes the careful path.
      careful = true;
      throw new RetryTransaction('a message id exists (or the claim failed)', { immediately: true });
    }
  });
}

async function fastAppend(
  db: ReadyConnection,
  scope: Scope,
  input: ValidAppend,
  session: ClientSession,
): Promise<ChatMessage[]> {
  const { threads, messages } = db.collections;
  const count = input.messages.length;
  const now = db.now();
  // An expectation that does not hold finds no document: the careful path then tells why (or finds a retry).
  const filter: Filter<ThreadDocument> = { _id: input.threadId, orgId: scope.orgId, userId: scope.userId };
  if (input.expectedLastSeq !== undefined) filter.lastSeq = input.expectedLastSeq;
  if (input.expectedMessageCount !== undefined) filter.messageCount = input.expectedMessageCount;
  const before = await threads.findOneAndUpdate(
    filter,
    { $inc: { lastSeq: count, messageCount: count }, $set: { updatedAt: new Date(now) } },
    { session, returnDocument: 'before' },
  );
  if (before === null) throw new KnownIdFound();
  const createdAt = touchTime(before.updatedAt, now);
  const summarySeq = lastSummarySeq(input.messages, before.lastSeq + 1);
  // The clock is behind the thread's updatedAt: keep it (updatedAt never goes backwards).
  const set: Partial<ThreadDocument> = createdAt.getTime() === now ? {} : { updatedAt: createdAt };
  if (summarySeq !== undefined) set.summarySeq = summarySeq;
  if (Object.keys(set).length > 0) await threads.updateOne({ _id: before._id }, { $set: set }, { session });
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
  db: ReadyConnection,
  scope: Scope,
  input: ValidAppend,
  session: ClientSession,
): Promise<ChatMessage[]> {
  const { threads, messages } = db.collections;
  const thread = await ownedThread(db, scope, input.threadId, session);
  if (thread === null) throw threadNotFound();
  const stored = await messages
    .find({ threadId: thread._id, id: { $in: input.messages.map((message) => message.id) } }, { session })
    .toArray();
  const existing = new Map(stored.map((doc) => [doc.id, doc]));
  const fresh = input.messages.filter((message) => !existing.has(message.id));
  if (fresh.length === 0) return input.messages.map((message) => toChatMessage(existing.get(message.id)!));
  checkExpected(input, thread);
  const createdAt = touchTime(thread.updatedAt, db.now());
  const docs = freshDocuments(scope, thread, fresh, createdAt);
  const set: Partial<ThreadDocument> = { updatedAt: createdAt };
  const summarySeq = lastSummarySeq(fresh, thread.lastSeq + 1);
  if (summarySeq !== undefined) set.summarySeq = summarySeq;
  const claim = await threads.updateOne(
    { _id: thread._id, lastSeq: thread.lastSeq },
    { $inc: { lastSeq: fresh.length, messageCount: fresh.length }, $set: set },
    { session },
  );
  // A concurrent append moved the thread after this transaction's snapshot: decide again on fresh reads.
  if (claim.matchedCount !== 1) throw new RetryTransaction('the thread moved');
  await insertFresh(db, docs.values(), session);
  return input.messages.map((message) => toChatMessage(existing.get(message.id) ?? docs.get(message)!));
}

/**
 * A page of messages by the selection rules of `MessagePage` (the kit's `buildMessagePage` sets the cursors and the
 * order). Messages carry their thread's scope, so one query on the `(threadId, seq)` index (`limit + 1` documents,
 * newest first) both checks the scope and tells whether older messages exist: reading the newest N is one round
 * trip whatever the thread's length. Only an empty page reads the thread document (to tell an empty thread from a
 * missing one), and only an `after` page with messages asks whether anything older exists.
 */
export async function messagePage(
  db: ReadyConnection,
  scope: Scope,
  input: ValidGetMessages,
): Promise<MessagePage | null> {
  const { messages } = db.collections;
  const seq: { $gt?: number; $lt?: number } = {};
  if (input.afterSeq !== undefined) seq.$gt = input.afterSeq;
  if (input.beforeSeq !== undefined) seq.$lt = input.beforeSeq;
  const filter: Filter<MessageDocument> = { threadId: input.threadId, orgId: scope.orgId, userId: scope.userId };
  if (seq.$gt !== undefined || seq.$lt !== undefined) filter.seq = seq;
  const forward = input.afterSeq !== undefined;
  const docs = await messages
    .find(filter)
    .sort({ seq: forward ? 1 : -1 })
    .limit(input.limit + 1)
    .toArray();
  const stored = forward
    ? { messages: docs.slice(0, input.limit).map(toChatMessage), hasOlder: false }
    : fromNewestFirst(docs, input.limit, toChatMessage);
  const oldest = stored.messages[0];
  if (oldest === undefined) {
    if ((await ownedThread(db, scope, input.threadId)) === null) return null;
  } else if (forward) {
    stored.hasOlder = (await messages.findOne({ threadId: input.threadId, seq: { $lt: oldest.seq } })) !== null;
  }
  return buildMessagePage(stored, input);
}

/** One message, or `null`. One query (the message carries its thread's scope). */
export async function getMessage(db: ReadyConnection, scope: Scope, ref: ValidMessageRef): Promise<ChatMessage | null> {
  const doc = await db.collections.messages.findOne({
    threadId: ref.threadId,
    id: ref.messageId,
    orgId: scope.orgId,
    userId: scope.userId,
  });
  return doc === null ? null : toChatMessage(doc);
}

/**
 * Replace content, metadata, status and/or token count, set `editedAt`, move `updatedAt`: one transaction. The
 * message is written by one `findOneAndUpdate` whose filter carries `expectedStatus` (a message stored without a
 * status is `'completed'`: `{ $in: [null, 'completed'] }`), so the check and the write are one atomic step; two
 * racing finishers both write the message document, and MongoDB commits only one of them (the other re-runs and
 * sees the new status).
 * @throws NotFoundError (thread, then message), ConflictError (`expectedStatus`).
 */
export async function editMessage(db: ReadyConnection, scope: Scope, input: ValidEdit): Promise<ChatMessage> {
  return db.transaction(async (session) => {
    const thread = await ownedThread(db, scope, input.threadId, session);
    if (thread === null) throw threadNotFound();
    const at = touchTime(thread.updatedAt, db.now());
    const set: Partial<MessageDocument> = { editedAt: at };
    if (input.content !== undefined) {
      set.content = JSON.stringify(input.content);
      set.text = searchableText(input.content);
    }
    if (input.metadata !== undefined) set.metadata = JSON.stringify(input.metadata);
    if (input.status !== undefined) set.status = input.status;
    if (input.tokenCount !== undefined) set.tokenCount = input.tokenCount;
    const filter: Filter<MessageDocument> = { threadId: thread._id, id: input.messageId };
    const { expectedStatus } = input;
    if (expectedStatus !== undefined) {
      // `null` also matches a message stored without a status (before contract v2): it is 'completed'.
      filter.status = expectedStatus === 'completed' ? { $in: [null as never, 'completed'] } : expectedStatus;
    }
    const message = await db.collections.messages.findOneAndUpdate(
      filter,
      { $set: set },
      { session, returnDocument: 'after' },
    );
    if (message === null) {
      const stored = await db.collections.messages.findOne({ threadId: thread._id, id: input.messageId }, { session });
      if (stored === null || expectedStatus === undefined) throw messageNotFound();
      throw statusConflict(expectedStatus, stored.status ?? 'completed');
    }
    await db.collections.threads.updateOne({ _id: thread._id }, { $set: { updatedAt: at } }, { session });
    return toChatMessage(message);
  });
}

/** Delete one message (its `seq` stays a gap): one transaction. `false` when it or its thread is missing. */
export async function deleteMessage(db: ReadyConnection, scope: Scope, ref: ValidMessageRef): Promise<boolean> {
  return db.transaction(async (session) => {
    const thread = await ownedThread(db, scope, ref.threadId, session);
    if (thread === null) return false;
    const { deletedCount } = await db.collections.messages.deleteOne(
      { threadId: thread._id, id: ref.messageId },
      { session },
    );
    if (deletedCount === 0) return false;
    await db.collections.threads.updateOne(
      { _id: thread._id },
      { $inc: { messageCount: -1 }, $set: { updatedAt: touchTime(thread.updatedAt, db.now()) } },
      { session },
    );
    return true;
  });
}

/** Search the caller's own messages (see `search.ts`): one query, scoped by `{ orgId, userId }`. */
export async function searchMessages(db: ReadyConnection, scope: Scope, input: ValidSearch): Promise<ChatMessage[]> {
  const words = queryWords(input.query);
  if (words.length === 0) return [];
  const filter: Filter<MessageDocument> = { orgId: scope.orgId, userId: scope.userId, ...wordsFilter(words) };
  if (input.threadId !== undefined) filter.threadId = input.threadId;
  const docs = await db.collections.messages
    .find(filter)
    .sort({ createdAt: -1, seq: -1, threadId: -1 })
    .limit(input.limit)
    .toArray();
  return docs.map(toChatMessage);
}

import type {
  ChatMessage,
  MessagePage,
  Scope,
  ValidEdit,
  ValidGetMessages,
  ValidMessageRef,
  ValidSearch,
} from '@fluxibly/core';
import { NotFoundError, encodeMessageCursor } from '@fluxibly/core';
import type { Filter } from 'mongodb';
import { toChatMessage, touchTime } from './codec.js';
import type { MessageDocument } from './documents.js';
import { queryWords, searchableText, wordsFilter } from './search.js';
import type { MongoStore } from './store.js';
import { ownedThread } from './store.js';
import { inTransaction } from './transactions.js';

/**
 * A page of messages by the selection rules of `MessagePage`. Messages carry their thread's scope, so one query
 * on the `(threadId, seq)` index (`limit + 1` documents, newest first) both checks the scope and tells whether
 * older messages exist: reading the newest N is one round trip whatever the thread's length. Only an empty page
 * reads the thread document (to tell an empty thread from a missing one), and only an `after` page with
 * messages asks whether anything older exists.
 */
export async function messagePage(
  store: MongoStore,
  scope: Scope,
  input: ValidGetMessages,
): Promise<MessagePage | null> {
  const { messages } = store.collections;
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
  const page = docs.slice(0, input.limit);
  if (page.length === 0 && (await ownedThread(store, scope, input.threadId)) === null) return null;
  if (!forward) page.reverse();
  const oldest = page[0];
  const newest = page[page.length - 1];
  let hasOlder = false;
  if (oldest !== undefined) {
    hasOlder = forward
      ? (await messages.findOne({ threadId: input.threadId, seq: { $lt: oldest.seq } })) !== null
      : docs.length > input.limit;
  }
  const result = page.map(toChatMessage);
  if (input.order === 'desc') result.reverse();
  let newerCursor: string | null = null;
  if (newest !== undefined) newerCursor = encodeMessageCursor(newest.seq);
  else if (input.afterSeq !== undefined) newerCursor = encodeMessageCursor(input.afterSeq);
  return {
    messages: result,
    olderCursor: hasOlder && oldest !== undefined ? encodeMessageCursor(oldest.seq) : null,
    newerCursor,
  };
}

/** One message, or `null`. One query (the message carries its thread's scope). */
export async function getMessage(store: MongoStore, scope: Scope, ref: ValidMessageRef): Promise<ChatMessage | null> {
  const doc = await store.collections.messages.findOne({
    threadId: ref.threadId,
    id: ref.messageId,
    orgId: scope.orgId,
    userId: scope.userId,
  });
  return doc === null ? null : toChatMessage(doc);
}

/** Replace content and/or metadata, set `editedAt`, move `updatedAt`: one transaction. @throws NotFoundError. */
export async function editMessage(store: MongoStore, scope: Scope, input: ValidEdit): Promise<ChatMessage> {
  return inTransaction(store.client, async (session) => {
    const thread = await ownedThread(store, scope, input.threadId, session);
    if (thread === null) throw new NotFoundError('thread not found');
    const at = touchTime(thread.updatedAt, store.now());
    const set: Partial<MessageDocument> = { editedAt: at };
    if (input.content !== undefined) {
      set.content = JSON.stringify(input.content);
      set.text = searchableText(input.content);
    }
    if (input.metadata !== undefined) set.metadata = JSON.stringify(input.metadata);
    const message = await store.collections.messages.findOneAndUpdate(
      { threadId: thread._id, id: input.messageId },
      { $set: set },
      { session, returnDocument: 'after' },
    );
    if (message === null) throw new NotFoundError('message not found');
    await store.collections.threads.updateOne({ _id: thread._id }, { $set: { updatedAt: at } }, { session });
    return toChatMessage(message);
  });
}

/** Delete one message (its `seq` stays a gap): one transaction. `false` when it or its thread is missing. */
export async function deleteMessage(store: MongoStore, scope: Scope, ref: ValidMessageRef): Promise<boolean> {
  return inTransaction(store.client, async (session) => {
    const thread = await ownedThread(store, scope, ref.threadId, session);
    if (thread === null) return false;
    const { deletedCount } = await store.collections.messages.deleteOne(
      { threadId: thread._id, id: ref.messageId },
      { session },
    );
    if (deletedCount === 0) return false;
    await store.collections.threads.updateOne(
      { _id: thread._id },
      { $inc: { messageCount: -1 }, $set: { updatedAt: touchTime(thread.updatedAt, store.now()) } },
      { session },
    );
    return true;
  });
}

/** Search the caller's own messages (see `search.ts`): one query, scoped by `{ orgId, userId }`. */
export async function searchMessages(store: MongoStore, scope: Scope, input: ValidSearch): Promise<ChatMessage[]> {
  const words = queryWords(input.query);
  if (words.length === 0) return [];
  const filter: Filter<MessageDocument> = { orgId: scope.orgId, userId: scope.userId, ...wordsFilter(words) };
  if (input.threadId !== undefined) filter.threadId = input.threadId;
  const docs = await store.collections.messages
    .find(filter)
    .sort({ createdAt: -1, seq: -1, threadId: -1 })
    .limit(input.limit)
    .toArray();
  return docs.map(toChatMessage);
}

import type {
  ChatMessage,
  ChatThread,
  JsonObject,
  MessageContent,
  MessageRole,
  MessageStatus,
  Scope,
  SummaryRange,
} from '@fluxibly/core';
import type { ValidMessage } from '@fluxibly/core/adapter';
import { chatMessage } from '@fluxibly/core/adapter';
import type { Collection, Db } from 'mongodb';
import { metadataTags } from './metadata-tags.js';
import { searchableText } from './search.js';

/**
 * The stored shape. Two collections (names prefixed by `collectionPrefix`, default `fluxibly_`):
 *
 * - `threads`: one document per thread, `_id` = thread id. `lastSeq`, `messageCount` and `updatedAt` live here and
 *   are moved by the same transaction that writes messages.
 * - `messages`: one document per message. `threadId`, `orgId` and `userId` are on every message (scope checks
 *   without a join; a sharded cluster can shard on `{ orgId, threadId }`).
 *
 * Content and metadata are stored as JSON text (`content`, `metadata`), never as BSON sub-documents: any key a
 * caller uses (`$set`, `a.b`, `""`, `__proto__`) round-trips, and no stored value can ever be read as an operator.
 * A thread's top-level primitive metadata values are also kept as `metadataTags` (see `metadata-tags.ts`), for
 * index-backed listings by metadata.
 *
 * Documents written before contract v2 lack `status`, `tokenCount`, `summaryOf`, `summarySeq` and `metadataTags`:
 * they read as `status: 'completed'` and without the others; `migrate()` adds the tags.
 */

/** A thread as stored. */
export interface ThreadDocument {
  /** The thread id. */
  _id: string;
  orgId: string;
  userId: string;
  name: string;
  /** `JSON.stringify` of the metadata object. */
  metadata: string;
  createdAt: Date;
  updatedAt: Date;
  lastSeq: number;
  messageCount: number;
  parent?: { threadId: string; seq: number };
  /** `metadataTags(metadata)`, kept in the same write as `metadata`; absent on threads from before contract v2. */
  metadataTags?: string[];
  /** The seq of the newest summary message (one with `summaryOf`); absent when none. */
  summarySeq?: number;
}

/** A message as stored. `_id` is a driver-generated ObjectId. */
export interface MessageDocument {
  threadId: string;
  orgId: string;
  userId: string;
  seq: number;
  /** The message id (unique per thread). */
  id: string;
  role: string;
  /** `JSON.stringify` of the content (a JSON string, or an array of parts). */
  content: string;
  /** Normalised searchable text (NFC, lower case): see `search.ts`. */
  text: string;
  name?: string;
  toolCallId?: string;
  /** `JSON.stringify` of the metadata object. */
  metadata: string;
  createdAt: Date;
  editedAt?: Date;
  /** Always written since contract v2; absent (read as `'completed'`) on messages stored before it. */
  status?: MessageStatus;
  tokenCount?: number;
  summaryOf?: SummaryRange;
}

/** The collections one repository works on. */
export interface Collections {
  readonly threads: Collection<ThreadDocument>;
  readonly messages: Collection<MessageDocument>;
}

/** The collections of `db` under `prefix`. */
export function collectionsOf(db: Db, prefix: string): Collections {
  return {
    threads: db.collection<ThreadDocument>(`${prefix}threads`),
    messages: db.collection<MessageDocument>(`${prefix}messages`),
  };
}

/**
 * Conversion between the contract's objects and stored documents. Content and metadata go through JSON text, so
 * every key survives and every read hands the caller a fresh copy (`JSON.parse` makes a `"__proto__"` key an
 * ordinary own property).
 */

/** The caller's copy of a stored thread. */
export function toChatThread(doc: ThreadDocument): ChatThread {
  const out: { -readonly [K in keyof ChatThread]: ChatThread[K] } = {
    id: doc._id,
    orgId: doc.orgId,
    userId: doc.userId,
    name: doc.name,
    metadata: JSON.parse(doc.metadata) as JsonObject,
    createdAt: new Date(doc.createdAt.getTime()),
    updatedAt: new Date(doc.updatedAt.getTime()),
    lastSeq: doc.lastSeq,
    messageCount: doc.messageCount,
  };
  if (doc.parent != null) out.parent = { threadId: doc.parent.threadId, seq: doc.parent.seq };
  if (doc.summarySeq != null) out.summarySeq = doc.summarySeq;
  return out;
}

/** The caller's copy of a stored message. */
export function toChatMessage(doc: MessageDocument): ChatMessage {
  return chatMessage({
    id: doc.id,
    threadId: doc.threadId,
    seq: doc.seq,
    role: doc.role as MessageRole,
    content: JSON.parse(doc.content) as MessageContent,
    metadata: JSON.parse(doc.metadata) as JsonObject,
    createdAt: doc.createdAt,
    name: doc.name,
    toolCallId: doc.toolCallId,
    editedAt: doc.editedAt,
    status: doc.status,
    tokenCount: doc.tokenCount,
    summaryOf: doc.summaryOf,
  });
}

/** The document of a new message at `seq`. */
export function messageDocument(
  scope: Scope,
  threadId: string,
  seq: number,
  message: ValidMessage,
  createdAt: Date,
): MessageDocument {
  const doc: MessageDocument = {
    threadId,
    orgId: scope.orgId,
    userId: scope.userId,
    seq,
    id: message.id,
    role: message.role,
    content: JSON.stringify(message.content),
    text: searchableText(message.content),
    metadata: JSON.stringify(message.metadata),
    createdAt,
    status: message.status,
  };
  if (message.name !== undefined) doc.name = message.name;
  if (message.toolCallId !== undefined) doc.toolCallId = message.toolCallId;
  if (message.tokenCount !== undefined) doc.tokenCount = message.tokenCount;
  if (message.summaryOf !== undefined)
    doc.summaryOf = { fromSeq: message.summaryOf.fromSeq, toSeq: message.summaryOf.toSeq };
  return doc;
}

/** The stored fields of a thread's metadata: its JSON text and its tags, always written together. */
export function metadataFields(metadata: JsonObject): { metadata: string; metadataTags: string[] } {
  return { metadata: JSON.stringify(metadata), metadataTags: metadataTags(metadata) };
}

/** `updatedAt` for a write now: never before the thread's previous `updatedAt` (so it never goes backwards). */
export function touchTime(previous: Date, now: number): Date {
  return new Date(Math.max(now, previous.getTime()));
}

import type {
  ChatMessage,
  ChatThread,
  JsonObject,
  MessageContent,
  MessageRole,
  Scope,
  ValidMessage,
} from '@fluxibly/core';
import { chatMessage } from '@fluxibly/core';
import type { MessageDocument, ThreadDocument } from './documents.js';
import { searchableText } from './search.js';

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
  };
  if (message.name !== undefined) doc.name = message.name;
  if (message.toolCallId !== undefined) doc.toolCallId = message.toolCallId;
  return doc;
}

/** `updatedAt` for a write now: never before the thread's previous `updatedAt` (so it never goes backwards). */
export function touchTime(previous: Date, now: number): Date {
  return new Date(Math.max(now, previous.getTime()));
}

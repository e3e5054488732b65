import type { ChatMessage, ChatThread, JsonValue, MessageContent } from '@fluxibly/core';
import { chatMessage } from '@fluxibly/core/adapter';
import type { MessageRecord, ThreadRecord } from './store/records.js';

/**
 * Copies handed to callers. Stored values are already private deep copies (validation copies every input), so
 * a read only has to copy them once more on the way out; these copies know they hold plain JSON, which makes
 * them cheaper than `structuredClone`. Strings are immutable and shared.
 */

/** A deep copy of a JSON value. A `"__proto__"` key stays an ordinary own key, as validation stored it. */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(value)) {
    const item = cloneJson(value[key] ?? null);
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else out[key] = item;
  }
  return out as T;
}

/** A copy of message content. */
export function cloneContent(content: MessageContent): MessageContent {
  return typeof content === 'string' ? content : (cloneJson(content as JsonValue) as MessageContent);
}

/** The caller's copy of a stored thread: fresh `Date`s, copied metadata. O(size of metadata). */
export function toChatThread(thread: ThreadRecord): ChatThread {
  const out: {
    -readonly [K in keyof ChatThread]: ChatThread[K];
  } = {
    id: thread.id,
    orgId: thread.orgId,
    userId: thread.userId,
    name: thread.name,
    metadata: cloneJson(thread.metadata),
    createdAt: new Date(thread.createdAt),
    updatedAt: new Date(thread.updatedAt),
    lastSeq: thread.lastSeq,
    messageCount: thread.log.size,
  };
  if (thread.parent !== undefined) out.parent = { threadId: thread.parent.threadId, seq: thread.parent.seq };
  if (thread.summarySeq !== undefined) out.summarySeq = thread.summarySeq;
  return out;
}

/** The caller's copy of a stored message: fresh `Date`s, copied content and metadata (core's `chatMessage`). */
export function toChatMessage(message: MessageRecord): ChatMessage {
  return chatMessage({ ...message, content: cloneContent(message.content), metadata: cloneJson(message.metadata) });
}

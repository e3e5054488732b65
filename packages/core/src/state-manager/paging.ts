import type { MessagePage, ThreadPage } from '../contract/options.js';
import { encodeMessageCursor } from '../cursor/cursor.js';
import type { ChatMessage } from '../model/message.js';
import type { ChatThread } from '../model/thread.js';
import { LIMITS } from '../validation/limits.js';

/** Reads one page of a thread, forward from `after`; `null` when the thread does not exist. */
export type ReadForward = (after: string, limit: number) => Promise<MessagePage | null>;

/**
 * Every message of a thread, oldest first, paging forward by cursor from the start (`seq` 0) in pages of
 * {@link LIMITS.pageSize}. Messages appended while it reads may or may not be included; none is skipped or
 * repeated. Returns `null` when the thread does not exist.
 */
export async function readWholeThread(read: ReadForward): Promise<ChatMessage[] | null> {
  const all: ChatMessage[] = [];
  let after = encodeMessageCursor(0);
  for (;;) {
    const page = await read(after, LIMITS.pageSize);
    if (page === null) return null;
    all.push(...page.messages);
    if (page.messages.length < LIMITS.pageSize || page.newerCursor === null) return all;
    after = page.newerCursor;
  }
}

/** Reads one page of a thread listing. */
export type ReadThreads = (limit: number, cursor: string | undefined) => Promise<ThreadPage>;

/**
 * Up to `limit` threads (every thread when `limit` is `undefined`), newest activity first, paging by cursor.
 * A thread that moves between pages while this reads is returned once.
 */
export async function collectThreads(
  read: ReadThreads,
  limit: number | undefined,
  cursor: string | undefined,
): Promise<ChatThread[]> {
  const seen = new Set<string>();
  const out: ChatThread[] = [];
  let next = cursor;
  for (;;) {
    const wanted = limit === undefined ? LIMITS.pageSize : Math.min(LIMITS.pageSize, limit - out.length);
    const page = await read(wanted, next);
    for (const thread of page.threads) {
      if (seen.has(thread.id)) continue;
      seen.add(thread.id);
      out.push(thread);
    }
    if (page.nextCursor === null || page.threads.length === 0) return out;
    if (limit !== undefined && out.length >= limit) return out.slice(0, limit);
    next = page.nextCursor;
  }
}

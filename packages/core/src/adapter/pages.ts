import { encodeMessageCursor, encodeThreadCursor } from '../cursor/cursor.js';
import type { MessagePage, ThreadPage } from '../contract/options.js';
import type { ChatMessage } from '../model/message.js';
import type { ChatThread } from '../model/thread.js';
import type { ValidGetMessages } from '../validation/inputs.js';

/** What a backend read for one message page: the selected messages, oldest first, and whether older ones exist. */
export interface StoredMessagePage {
  /** The page's messages in ascending `seq` (at most `limit`). */
  messages: ChatMessage[];
  /** Whether the thread holds a message older than the page's oldest (for an empty page: ignored). */
  hasOlder: boolean;
}

/**
 * Build a `MessagePage` by the contract's rules from what the backend selected:
 * - `olderCursor`: the page's oldest `seq`, set exactly when the page is non-empty and an older message exists;
 * - `newerCursor`: the page's newest `seq`; for an empty page read with `after`, `after` itself (newer messages may
 *   come); `null` for an empty page read without `after`;
 * - order: `input.order` (`'desc'` reverses the page; it never changes which messages are selected).
 */
export function buildMessagePage(stored: StoredMessagePage, input: ValidGetMessages): MessagePage {
  const messages = stored.messages;
  const oldest = messages[0];
  const newest = messages[messages.length - 1];
  let newerCursor: string | null = null;
  if (newest !== undefined) newerCursor = encodeMessageCursor(newest.seq);
  else if (input.afterSeq !== undefined) newerCursor = encodeMessageCursor(input.afterSeq);
  const olderCursor = oldest !== undefined && stored.hasOlder ? encodeMessageCursor(oldest.seq) : null;
  if (input.order === 'desc') messages.reverse();
  return { messages, olderCursor, newerCursor };
}

/**
 * A page read newest first with one extra row (`LIMIT limit + 1`, the usual way to learn whether older rows
 * exist) as a {@link StoredMessagePage}: at most `limit` messages, oldest first.
 */
export function fromNewestFirst<T>(
  rows: readonly T[],
  limit: number,
  toMessage: (row: T) => ChatMessage,
): StoredMessagePage {
  const count = Math.min(rows.length, limit);
  const messages = new Array<ChatMessage>(count);
  for (let i = 0; i < count; i++) messages[count - 1 - i] = toMessage(rows[i] as T);
  return { messages, hasOlder: rows.length > limit };
}

/**
 * Build a `ThreadPage` from up to `limit + 1` threads read newest activity first (`updatedAt` desc, `id` desc):
 * an extra one means another page exists.
 */
export function buildThreadPage(threads: ChatThread[], limit: number): ThreadPage {
  return threads.length > limit ? threadPageOf(threads.slice(0, limit), true) : threadPageOf(threads, false);
}

/** A `ThreadPage` of `threads` (newest activity first); `nextCursor` is the last one's position when `more`. */
export function threadPageOf(threads: ChatThread[], more: boolean): ThreadPage {
  const last = threads[threads.length - 1];
  return {
    threads,
    nextCursor: more && last !== undefined ? encodeThreadCursor({ updatedAt: last.updatedAt, id: last.id }) : null,
  };
}

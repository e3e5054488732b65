import type { MessagePage, ThreadPage, ValidGetMessages, ValidListThreads } from '@fluxibly/core';
import { encodeMessageCursor, encodeThreadCursor } from '@fluxibly/core';
import { toChatMessage, toChatThread } from './copy.js';
import type { MessageLog } from './message-log.js';
import type { ThreadRecord } from './records.js';
import type { SortedIndex } from './sorted-index.js';

/**
 * One page of a thread's messages, by the selection rules of `MessagePage`:
 * - with `after`: the `limit` oldest messages with `after < seq` (and `seq < before`, if given);
 * - otherwise: the `limit` newest messages with `seq < before` (or the newest of the thread).
 *
 * Cursors: `olderCursor` is the page's oldest `seq`, set exactly when the page is non-empty and the thread holds
 * a message older than it (an empty page has no position to be older than, so it gets `null`). `newerCursor` is
 * the page's newest `seq`; for an empty page read with `after` it is `after` itself (newer messages may come);
 * `null` for an empty page read without `after`.
 *
 * Cost: O(log n + limit) — two binary searches on `seq` and a slice; reading the newest N is O(N).
 */
export function messagePage(log: MessageLog, input: ValidGetMessages): MessagePage {
  const low = input.afterSeq === undefined ? 0 : log.lowerBound(input.afterSeq + 1);
  const high = input.beforeSeq === undefined ? log.size : log.lowerBound(input.beforeSeq);
  let start = low;
  let end = low;
  if (low < high) {
    if (input.afterSeq !== undefined) end = Math.min(high, low + input.limit);
    else {
      end = high;
      start = Math.max(low, high - input.limit);
    }
  }
  const records = log.slice(start, end);
  const oldest = records[0];
  const newest = records[records.length - 1];
  const messages = records.map(toChatMessage);
  if (input.order === 'desc') messages.reverse();
  let newerCursor: string | null = null;
  if (newest !== undefined) newerCursor = encodeMessageCursor(newest.seq);
  else if (input.afterSeq !== undefined) newerCursor = encodeMessageCursor(input.afterSeq);
  return {
    messages,
    olderCursor: oldest !== undefined && start > 0 ? encodeMessageCursor(oldest.seq) : null,
    newerCursor,
  };
}

/**
 * One page of a thread listing, newest activity first (`updatedAt` desc, then `id` desc by code point), strictly
 * after the cursor's position. `nextCursor` is the last thread's position, set exactly when older threads remain.
 * Cost: O(log n + limit) on the given index (a user's or an organisation's), never a scan of other threads.
 */
export function threadPage(index: SortedIndex<ThreadRecord> | undefined, input: ValidListThreads): ThreadPage {
  if (index === undefined) return { threads: [], nextCursor: null };
  const position =
    input.cursor === undefined ? undefined : { updatedAt: input.cursor.updatedAt.getTime(), id: input.cursor.id };
  const { items, more } = index.page(input.limit, position);
  const last = items[items.length - 1];
  return {
    threads: items.map(toChatThread),
    nextCursor:
      more && last !== undefined ? encodeThreadCursor({ updatedAt: new Date(last.updatedAt), id: last.id }) : null,
  };
}

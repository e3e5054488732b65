import type { MessagePage, ThreadPage } from '@fluxibly/core';
import type { ValidGetMessages, ValidListThreads } from '@fluxibly/core/adapter';
import { buildMessagePage, metadataMatches, threadPageOf } from '@fluxibly/core/adapter';
import { toChatMessage, toChatThread } from './codec.js';
import type { MessageLog } from './store/message-log.js';
import type { ThreadRecord } from './store/records.js';
import type { SortedIndex } from './store/sorted-index.js';

/**
 * One page of a thread's messages: with `after`, the `limit` oldest messages with `after < seq` (and `seq <
 * before`, if given); otherwise the `limit` newest with `seq < before`. Core's `buildMessagePage` sets the cursors.
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
  return buildMessagePage({ messages: log.slice(start, end).map(toChatMessage), hasOlder: start > 0 }, input);
}

/**
 * One page of a thread listing, newest activity first, strictly after the cursor's position.
 * Cost: O(log n + limit) on the given index (a user's or an organisation's), never a scan of other threads. With a
 * `metadata` filter the walk skips the threads that do not match, so a page costs O(log n + threads of that index
 * looked at until `limit + 1` match): bounded by the user's (or organisation's) own threads.
 */
export function threadPage(index: SortedIndex<ThreadRecord> | undefined, input: ValidListThreads): ThreadPage {
  if (index === undefined) return threadPageOf([], false);
  const position =
    input.cursor === undefined ? undefined : { updatedAt: input.cursor.updatedAt.getTime(), id: input.cursor.id };
  const { metadata } = input;
  const { items, more } =
    metadata === undefined
      ? index.page(input.limit, position)
      : index.pageWhere(input.limit, (thread) => metadataMatches(thread.metadata, metadata), position);
  return threadPageOf(items.map(toChatThread), more);
}

import type { MessageContent } from '@fluxibly/core';
import type { MessageRecord, ThreadRecord } from './records.js';
import { compareCodePoints } from '@fluxibly/core/adapter';

/**
 * The memory adapter's full-text search: deliberately simple and fully specified.
 *
 * - **Words.** The query is normalised (Unicode NFC, lower case) and split on whitespace; every piece is a word,
 *   punctuation included (`"tokyo,"` is the word `tokyo,`).
 * - **Text.** A message's text is its string content, or the `text` fields of its `{ type: 'text' }` parts,
 *   joined by a newline (so a word never spans two parts). Other parts (tool calls, images…) are not text.
 * - **Match.** A message matches when its normalised text contains every word as a substring (`tok` finds
 *   "Tokyo"). There is no stemming, ranking or stop list.
 * - **Order.** Every match is as good as any other, so "best match first" is newest first: `createdAt` desc,
 *   then `seq` desc, then thread id desc (by code point).
 *
 * Cost: O(total text of the threads searched): the caller's own threads (or one of them), nothing else.
 */

/** The words of a query (see the file comment). */
export function queryWords(query: string): string[] {
  return normalise(query)
    .split(/\s+/u)
    .filter((word) => word.length > 0);
}

/** The searchable text of a message's content. */
export function messageText(content: MessageContent): string {
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const part of content) {
    if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
  }
  return texts.join('\n');
}

/** True when the content contains every word (already normalised by {@link queryWords}). */
export function matches(content: MessageContent, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const text = normalise(messageText(content));
  return words.every((word) => text.includes(word));
}

/** Up to `limit` matching messages of `threads`, newest first. */
export function searchThreads(
  threads: Iterable<ThreadRecord>,
  words: readonly string[],
  limit: number,
): MessageRecord[] {
  const found: MessageRecord[] = [];
  for (const thread of threads) {
    for (const message of thread.log.all) if (matches(message.content, words)) found.push(message);
  }
  found.sort(newestFirst);
  return found.slice(0, limit);
}

function newestFirst(a: MessageRecord, b: MessageRecord): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  if (a.seq !== b.seq) return b.seq - a.seq;
  return compareCodePoints(b.threadId, a.threadId);
}

function normalise(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

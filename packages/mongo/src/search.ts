import type { MessageContent } from '@fluxibly/core';
import type { Filter } from 'mongodb';
import type { MessageDocument } from './codec.js';

/**
 * Full-text search with exactly the memory adapter's semantics (see `@fluxibly/memory`'s `search.ts`):
 *
 * - **Words.** The query is normalised (NFC, lower case) and split on whitespace; punctuation stays in a word.
 * - **Text.** String content, or the `text` fields of `{ type: 'text' }` parts joined by a newline; stored
 *   normalised in each message's `text` field when it is written.
 * - **Match.** Every word occurs in the text as a substring (`tok` finds "Tokyo"): a `$regex` per word, with
 *   every regex metacharacter escaped, so a query is never a pattern.
 * - **Scope.** The filter always starts with `{ orgId, userId }` (and `threadId` when given), served by the
 *   `orgId_userId_createdAt` index: only the caller's own messages are ever examined.
 * - **Order.** Newest first: `createdAt` desc, `seq` desc, `threadId` desc.
 *
 * MongoDB's `$text` is not used: it stems, drops stop words and matches whole words only, so it would not match
 * the contract's substring semantics, and a tenant-scoped `$text` index would need equality prefixes on every query.
 */

/** The normalised searchable text of a message's content. */
export function searchableText(content: MessageContent): string {
  if (typeof content === 'string') return normalise(content);
  const texts: string[] = [];
  for (const part of content) {
    if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
  }
  return normalise(texts.join('\n'));
}

/** The words of a query. */
export function queryWords(query: string): string[] {
  return normalise(query)
    .split(/\s+/u)
    .filter((word) => word.length > 0);
}

/** A filter matching messages whose `text` contains every word. */
export function wordsFilter(words: readonly string[]): Filter<MessageDocument> {
  return { $and: words.map((word) => ({ text: { $regex: escapeRegex(word) } })) };
}

/** `word` as a regex that matches it literally. */
export function escapeRegex(word: string): string {
  return word.replace(/[\\^$.*+?()[\]{}|]/gu, '\\$&');
}

function normalise(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

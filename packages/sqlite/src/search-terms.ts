import { createHash } from 'node:crypto';
import type { MessageContent, Scope } from '@fluxibly/core';

/**
 * What the FTS5 index holds: for each word of a message, one term keyed by the message's tenant, so a search reads
 * only the caller's own postings — its cost is bounded by the caller's data, whatever other tenants store.
 *
 * - **Words.** Text is normalised (Unicode NFC, lower case) and split into runs of letters, digits and marks
 *   (`\p{L}\p{N}\p{M}`); punctuation separates words. Whole words match (`tokyo` finds "Tokyo," but not
 *   "Tokyoite"); every query word must be present (AND); no stemming, stop words or ranking.
 * - **Text.** String content itself, or the `text` fields of `{ type: 'text' }` parts (a word never spans parts).
 * - **Term.** `t` + 16 hex digits of SHA-256 over the scope + the word's UTF-8 bytes in hex: plain ASCII, so the
 *   `ascii` tokenizer keeps each term whole whatever the language.
 */

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The tenant key of a scope (the prefix of each of its terms). */
export function tenantKey(scope: Scope): string {
  return `t${createHash('sha256')
    .update(JSON.stringify([scope.orgId, scope.userId]))
    .digest('hex')
    .slice(0, 16)}`;
}

/** The distinct normalised words of a text. */
function words(text: string): Set<string> {
  return new Set(text.normalize('NFC').toLowerCase().match(WORD) ?? []);
}

/** The searchable text of a message's content. */
function contentText(content: MessageContent): string {
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const part of content) if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
  return texts.join('\n');
}

function termsOf(key: string, text: string): string[] {
  return [...words(text)].map((word) => key + Buffer.from(word, 'utf8').toString('hex'));
}

/** The terms to index for a message of `key`'s tenant (space-separated; `''` when it has no words). */
export function messageTerms(key: string, content: MessageContent): string {
  return termsOf(key, contentText(content)).join(' ');
}

/** The FTS5 `MATCH` expression for a query (every word, implicit AND); `undefined` when it has no word. */
export function matchExpression(key: string, query: string): string | undefined {
  const terms = termsOf(key, query);
  return terms.length === 0 ? undefined : terms.join(' ');
}

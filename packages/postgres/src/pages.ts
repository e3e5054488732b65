import type { MessagePage, ThreadPage, ValidGetMessages } from '@fluxibly/core';
import { encodeMessageCursor, encodeThreadCursor } from '@fluxibly/core';
import type { MessageRow, ThreadRow } from './rows.js';
import { toChatMessage, toChatThread } from './rows.js';

/** A row of a page statement: `found` (the scope check), `has_older` (after-pages), then a message or nulls. */
export type PageRow = { found: number; has_older?: boolean } & { [K in keyof MessageRow]: MessageRow[K] | null };

/**
 * Build a `MessagePage` from a page statement's rows (see `sql/messages.ts`); `null` when the thread is not
 * this scope's (no row at all).
 *
 * - Without `after`: rows are newest first, `limit + 1` of them at most; an extra row means an older message
 *   exists (so `olderCursor` is set).
 * - With `after`: rows are oldest first, `limit` at most; `has_older` says whether a message at or before
 *   `after` exists.
 */
export function messagePage(rows: readonly PageRow[], input: ValidGetMessages): MessagePage | null {
  if (rows.length === 0) return null;
  const present = rows.filter((row) => row.seq !== null) as unknown as MessageRow[];
  let messages: MessageRow[];
  let hasOlder: boolean;
  if (input.afterSeq === undefined) {
    hasOlder = present.length > input.limit;
    messages = present.slice(0, input.limit).reverse();
  } else {
    hasOlder = rows[0]?.has_older === true;
    messages = present;
  }
  const oldest = messages[0];
  const newest = messages[messages.length - 1];
  const page = messages.map(toChatMessage);
  if (input.order === 'desc') page.reverse();
  let newerCursor: string | null = null;
  if (newest !== undefined) newerCursor = encodeMessageCursor(Number(newest.seq));
  else if (input.afterSeq !== undefined) newerCursor = encodeMessageCursor(input.afterSeq);
  return {
    messages: page,
    olderCursor: oldest !== undefined && hasOlder ? encodeMessageCursor(Number(oldest.seq)) : null,
    newerCursor,
  };
}

/** Build a `ThreadPage` from up to `limit + 1` rows, newest first: an extra row means another page exists. */
export function threadPage(rows: readonly ThreadRow[], limit: number): ThreadPage {
  const threads = rows.slice(0, limit);
  const last = threads[threads.length - 1];
  return {
    threads: threads.map(toChatThread),
    nextCursor:
      rows.length > limit && last !== undefined
        ? encodeThreadCursor({ updatedAt: new Date(last.updated_at), id: last.id })
        : null,
  };
}

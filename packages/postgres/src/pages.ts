import type { MessagePage, ThreadPage, ValidGetMessages } from '@fluxibly/core';
import { encodeMessageCursor, encodeThreadCursor } from '@fluxibly/core';
import type { PageTuple, ThreadRow } from './rows.js';
import { toChatThread, tupleToChatMessage } from './rows.js';

/** The row of a page statement (see `sql/messages.ts`): the page as tuples, and `has_older` for after-pages. */
export type PageRow = { tuples: PageTuple[]; has_older?: boolean };

/**
 * Build a `MessagePage` from a page statement's row (see `sql/messages.ts`); `null` when the thread is not this
 * scope's (no row at all).
 *
 * - Without `after`: tuples are newest first, `limit + 1` of them at most; an extra one means an older message
 *   exists (so `olderCursor` is set).
 * - With `after`: tuples are oldest first, `limit` at most; `has_older` says whether a message at or before
 *   `after` exists.
 */
export function messagePage(row: PageRow | undefined, input: ValidGetMessages): MessagePage | null {
  if (row === undefined) return null;
  let tuples: PageTuple[];
  let hasOlder: boolean;
  if (input.afterSeq === undefined) {
    hasOlder = row.tuples.length > input.limit;
    tuples = row.tuples.slice(0, input.limit).reverse();
  } else {
    hasOlder = row.has_older === true;
    tuples = row.tuples;
  }
  const oldest = tuples[0];
  const newest = tuples[tuples.length - 1];
  const page = tuples.map((tuple) => tupleToChatMessage(tuple, input.threadId));
  if (input.order === 'desc') page.reverse();
  let newerCursor: string | null = null;
  if (newest !== undefined) newerCursor = encodeMessageCursor(newest[0]);
  else if (input.afterSeq !== undefined) newerCursor = encodeMessageCursor(input.afterSeq);
  return {
    messages: page,
    olderCursor: oldest !== undefined && hasOlder ? encodeMessageCursor(oldest[0]) : null,
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

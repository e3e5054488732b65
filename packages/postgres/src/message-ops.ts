import type { ChatMessage, MessagePage, Scope } from '@fluxibly/core';
import { UnsupportedError } from '@fluxibly/core';
import type {
  StoredMessagePage,
  ValidEdit,
  ValidGetMessages,
  ValidMessageRef,
  ValidSearch,
} from '@fluxibly/core/adapter';
import {
  buildMessagePage,
  fromNewestFirst,
  messageNotFound,
  statusConflict,
  threadNotFound,
} from '@fluxibly/core/adapter';
import type { MessageRow, PageTuple } from './codec.js';
import { toChatMessage, tupleToChatMessage } from './codec.js';
import type { Context } from './context.js';
import { errorCode, SQLSTATE } from './errors.js';

/**
 * The message operations (core's `StorageOperations`) other than append (`append.ts`), each one statement — one
 * round trip. Input is validated by core's adapter kit; scope is part of every statement.
 */

/** The row of a page statement (see `sql/messages.ts`): the page as tuples, and `has_older` for after-pages. */
type PageRow = { tuples: PageTuple[]; has_older?: boolean };

/**
 * A page of messages by `seq`; `null` when the thread does not exist for this scope. One statement: the scope
 * check plus an index range scan of `(thread_id, seq)`, the page as one JSON array; the newest N cost the same
 * whatever the thread's length.
 */
export async function getMessages(c: Context, s: Scope, request: ValidGetMessages): Promise<MessagePage | null> {
  const m = c.statements.messages;
  const base = [request.threadId, s.orgId, s.userId];
  let result: { rows: PageRow[] };
  if (request.afterSeq === undefined) {
    result =
      request.beforeSeq === undefined
        ? await c.connection.query<PageRow>(m.newest(request.limit + 1), base)
        : await c.connection.query<PageRow>(m.newestBefore(request.limit + 1), [...base, request.beforeSeq]);
  } else {
    result =
      request.beforeSeq === undefined
        ? await c.connection.query<PageRow>(m.after(request.limit), [...base, request.afterSeq])
        : await c.connection.query<PageRow>(m.afterBefore(request.limit), [
            ...base,
            request.afterSeq,
            request.beforeSeq,
          ]);
  }
  const row = result.rows[0];
  return row === undefined ? null : buildMessagePage(storedPage(row, request), request);
}

/**
 * What a page statement selected, oldest first. Without `after` its tuples are newest first, `limit + 1` at most
 * (an extra one means an older message exists); with `after` they are oldest first, `limit` at most, and
 * `has_older` says whether a message at or before `after` exists.
 */
function storedPage(row: PageRow, request: ValidGetMessages): StoredMessagePage {
  const { threadId } = request;
  const toMessage = (tuple: PageTuple): ChatMessage => tupleToChatMessage(tuple, threadId);
  if (request.afterSeq === undefined) return fromNewestFirst(row.tuples, request.limit, toMessage);
  return { messages: row.tuples.map(toMessage), hasOlder: row.has_older === true };
}

/** One message, or `null`. One statement on the unique message key. */
export async function getMessage(c: Context, s: Scope, ref: ValidMessageRef): Promise<ChatMessage | null> {
  const { rows } = await c.connection.query<MessageRow>(c.statements.messages.get, [
    ref.threadId,
    ref.messageId,
    s.orgId,
    s.userId,
  ]);
  return rows[0] === undefined ? null : toChatMessage(rows[0]);
}

/** The row of the edit statement: what it found, and the edited message (its columns null when none). */
type EditRow = Partial<MessageRow> & { thread_found: boolean; actual_status: string | null };

/**
 * Replace content, metadata, status and/or token count; sets `editedAt` to the thread's new `updatedAt`. One
 * statement, atomic: with `expectedStatus` the status is compared with the message's latest (locked) one, so of
 * two racing finishers exactly one wins.
 * @throws NotFoundError when the thread (for this scope) or the message does not exist.
 * @throws ConflictError when `expectedStatus` differs from the message's status; nothing is written.
 */
export async function editMessage(c: Context, s: Scope, valid: ValidEdit): Promise<ChatMessage> {
  const { rows } = await c.connection.query<EditRow>(c.statements.messages.edit, [
    valid.threadId,
    valid.messageId,
    s.orgId,
    s.userId,
    valid.content === undefined ? null : JSON.stringify(valid.content),
    valid.metadata === undefined ? null : JSON.stringify(valid.metadata),
    valid.expectedStatus ?? null,
    valid.status ?? null,
    valid.tokenCount ?? null,
  ]);
  const row = rows[0];
  if (row?.thread_found !== true) throw threadNotFound();
  if (row.actual_status === null) throw messageNotFound();
  if (row.id == null) throw statusConflict(valid.expectedStatus ?? '', row.actual_status);
  return toChatMessage(row as MessageRow);
}

/** Delete one message (its `seq` stays a gap); `false` when it or its thread does not exist. One statement. */
export async function deleteMessage(c: Context, s: Scope, ref: ValidMessageRef): Promise<boolean> {
  const { rows } = await c.connection.query(c.statements.messages.remove, [
    ref.threadId,
    ref.messageId,
    s.orgId,
    s.userId,
  ]);
  return rows.length > 0;
}

/**
 * Messages of this scope matching `query` (whole words, `websearch_to_tsquery` syntax: `"a phrase"`, `or`,
 * `-word`), best `ts_rank` first, then newest. A missing or foreign `threadId` finds nothing. One statement on
 * the tenant search index: its cost is bounded by this user's own messages, whatever other tenants hold.
 */
export async function searchMessages(c: Context, s: Scope, search: ValidSearch): Promise<ChatMessage[]> {
  const m = c.statements.messages;
  try {
    const { rows } =
      search.threadId === undefined
        ? await c.connection.query<MessageRow>(m.search(search.limit), [s.orgId, s.userId, search.query])
        : await c.connection.query<MessageRow>(m.searchThread(search.limit), [
            s.orgId,
            s.userId,
            search.query,
            search.threadId,
          ]);
    return rows.map(toChatMessage);
  } catch (error) {
    if (errorCode(error) !== SQLSTATE.undefinedColumn) throw error;
    throw new UnsupportedError(
      'PostgreSQL: this schema has no full-text search index (it was migrated with fullTextSearch: false); ' +
        'run migrate() with fullTextSearch: true to rebuild it',
      { cause: error },
    );
  }
}

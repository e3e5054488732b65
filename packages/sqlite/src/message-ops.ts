import type { ChatMessage, MessagePage, Scope } from '@fluxibly/core';
import type {
  StoredMessagePage,
  ValidEdit,
  ValidGetMessages,
  ValidMessageRef,
  ValidSearch,
} from '@fluxibly/core/adapter';
import { buildMessagePage, fromNewestFirst, messageNotFound, statusConflict } from '@fluxibly/core/adapter';
import type { MessageRow, PageTuple } from './codec.js';
import { toChatMessage, tupleToChatMessage } from './codec.js';
import type { Context } from './context.js';
import { afterWrite, opened, ownedThread, requireThread, touch } from './context.js';
import { matchExpression, messageTerms, tenantKey } from './search-terms.js';
import { MESSAGE_SQL } from './sql/messages.js';

/**
 * The message operations (core's `StorageOperations`) other than append (`append.ts`). Reads are one statement;
 * writes one `BEGIN IMMEDIATE` transaction each.
 */

/** A page row (see `sql/messages.ts`): the page as JSON text (NULL when empty), `has_older` for after-pages. */
type PageRow = { page: string | null; has_older?: number };

/**
 * A page of messages by `seq`; `null` when the thread does not exist for this scope. One statement: the scope check
 * joined with an index range scan of `(thread_id, seq)`; the newest N cost the same whatever the thread's length.
 */
export async function getMessages(c: Context, s: Scope, request: ValidGetMessages): Promise<MessagePage | null> {
  await opened(c);
  const params: Record<string, unknown> = { thread: request.threadId, org: s.orgId, user: s.userId };
  let sql: string;
  if (request.beforeSeq !== undefined) params.before = request.beforeSeq;
  if (request.afterSeq === undefined) {
    sql = request.beforeSeq === undefined ? MESSAGE_SQL.newest : MESSAGE_SQL.newestBefore;
    params.limit = request.limit + 1;
  } else {
    sql = request.beforeSeq === undefined ? MESSAGE_SQL.after : MESSAGE_SQL.afterBefore;
    params.after = request.afterSeq;
    params.limit = request.limit;
  }
  const row = c.connection.statement(sql).get(params) as PageRow | undefined;
  if (row === undefined) return null;
  const tuples = row.page === null ? [] : (JSON.parse(row.page) as PageTuple[]);
  return buildMessagePage(storedPage(tuples, row.has_older === 1, request), request);
}

function storedPage(tuples: PageTuple[], hasOlder: boolean, request: ValidGetMessages): StoredMessagePage {
  const toMessage = (tuple: PageTuple): ChatMessage => tupleToChatMessage(tuple, request.threadId);
  if (request.afterSeq === undefined) return fromNewestFirst(tuples, request.limit, toMessage);
  return { messages: tuples.map(toMessage), hasOlder };
}

/** One message, or `null`. One statement on the unique message key. */
export async function getMessage(c: Context, s: Scope, ref: ValidMessageRef): Promise<ChatMessage | null> {
  await opened(c);
  const row = c.connection
    .statement(MESSAGE_SQL.get)
    .get({ thread: ref.threadId, id: ref.messageId, org: s.orgId, user: s.userId }) as MessageRow | undefined;
  return row === undefined ? null : toChatMessage(row);
}

/**
 * Replace content, metadata, status and/or token count (compare-and-set with `expectedStatus`); `editedAt` is the
 * thread's new `updatedAt`. One transaction; a new content is re-indexed for search.
 * @throws NotFoundError (thread, then message); ConflictError (`statusConflict`) with nothing written.
 */
export async function editMessage(c: Context, s: Scope, valid: ValidEdit): Promise<ChatMessage> {
  await opened(c);
  return c.connection.write(() => {
    requireThread(c, s, valid.threadId);
    const found = c.connection.statement(MESSAGE_SQL.byId).get({ thread: valid.threadId, id: valid.messageId }) as
      (MessageRow & { rowid: number }) | undefined;
    if (found === undefined) throw messageNotFound();
    const status = found.status ?? 'completed';
    if (valid.expectedStatus !== undefined && valid.expectedStatus !== status) {
      throw statusConflict(valid.expectedStatus, status);
    }
    const editedAt = touch(c, valid.threadId);
    const row = c.connection.statement(MESSAGE_SQL.edit).get({
      rowid: found.rowid,
      content: valid.content === undefined ? null : JSON.stringify(valid.content),
      metadata: valid.metadata === undefined ? null : JSON.stringify(valid.metadata),
      setStatus: valid.status === undefined ? 0 : 1,
      status: valid.status ?? null,
      tokenCount: valid.tokenCount ?? null,
      editedAt,
    }) as MessageRow;
    if (valid.content !== undefined) {
      c.connection.statement(MESSAGE_SQL.unindex).run({ rowid: found.rowid });
      indexOne(c, tenantKey(s), found.rowid, row.content);
    }
    return toChatMessage(row);
  });
}

/** Delete one message (its `seq` stays a gap); `false` when it or its thread does not exist. One transaction. */
export async function deleteMessage(c: Context, s: Scope, ref: ValidMessageRef): Promise<boolean> {
  await opened(c);
  return c.connection.write(() => {
    const thread = ownedThread(c, s, ref.threadId);
    if (thread === undefined) return false;
    const removed = c.connection.statement(MESSAGE_SQL.deleteOne).run({ thread: thread.id, id: ref.messageId }).changes;
    if (removed === 0) return false;
    afterWrite(c, thread, {
      lastSeq: thread.last_seq,
      messageCount: thread.message_count - removed,
      summarySeq: thread.summary_seq,
    });
    return true;
  });
}

/**
 * Messages of this scope holding every word of `query` (see `search-terms.ts`), newest first. A missing or foreign
 * `threadId` finds nothing. One statement on the FTS5 index, reading only this tenant's terms.
 */
export async function searchMessages(c: Context, s: Scope, search: ValidSearch): Promise<ChatMessage[]> {
  await opened(c);
  const match = matchExpression(tenantKey(s), search.query);
  if (match === undefined) return [];
  const params: Record<string, unknown> = { match, org: s.orgId, user: s.userId, limit: search.limit };
  let sql: string = MESSAGE_SQL.search;
  if (search.threadId !== undefined) {
    params.thread = search.threadId;
    sql = MESSAGE_SQL.searchThread;
  }
  return (c.connection.statement(sql).all(params) as MessageRow[]).map(toChatMessage);
}

/** Index one message's text (JSON `content`) for tenant `key`, under the message's rowid. */
export function indexOne(c: Context, key: string, rowid: number | bigint, content: string): void {
  const terms = messageTerms(key, JSON.parse(content) as ChatMessage['content']);
  if (terms.length > 0) c.connection.statement(MESSAGE_SQL.indexText).run({ rowid, terms });
}

/** Index every message of a thread (a fork's copies) for tenant `key`. */
export function indexMessages(c: Context, key: string, threadId: string): void {
  const rows = c.connection.statement(MESSAGE_SQL.contents).all({ thread: threadId }) as Array<{
    rowid: number;
    content: string;
  }>;
  for (const row of rows) indexOne(c, key, row.rowid, row.content);
}

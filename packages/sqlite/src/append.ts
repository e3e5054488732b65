import type { ChatMessage, Scope } from '@fluxibly/core';
import type { ValidAppend, ValidMessage } from '@fluxibly/core/adapter';
import {
  chatMessage,
  cutPointError,
  isReplayedTail,
  lastSeqConflict,
  messageCountConflict,
} from '@fluxibly/core/adapter';
import type { MessageRow, ThreadRow } from './codec.js';
import { toChatMessage } from './codec.js';
import type { Context } from './context.js';
import { afterWrite, opened, requireThread } from './context.js';
import { messageTerms, tenantKey } from './search-terms.js';
import { MESSAGE_SQL } from './sql/messages.js';

/**
 * Append a batch (optionally replacing the thread's tail: `replaceAfterSeq`) in ONE `BEGIN IMMEDIATE` transaction,
 * and return the stored messages in input order. Appends of this process that arrive together share the transaction
 * (`connection.grouped`: one savepoint each, one commit), as Postgres's adapter merges concurrent appends. The write lock is held from the first read, so the thread row read
 * here is the latest, and no other connection or process can take a `seq` until this commits: concurrent appenders
 * never share or lose one; a process killed halfway leaves nothing (SQLite rolls the transaction back).
 *
 * 1. The thread must exist for `scope` (`threadNotFound()`).
 * 2. With `replaceAfterSeq: n`: when the messages after `n` are exactly the batch's ids, in order, it is a retry —
 *    they are returned and nothing is written. Without it: when every id is already in the thread, likewise.
 * 3. `expectedLastSeq` must equal `lastSeq` (`lastSeqConflict`), `expectedMessageCount` the message count
 *    (`messageCountConflict`); `n` must be at most `lastSeq` (`cutPointError`).
 * 4. The messages after `n` are deleted; each batch message whose id is still in the thread is returned as stored;
 *    the others get `lastSeq + 1 …` in input order, all with one `createdAt`: the thread's new `updatedAt`.
 * 5. The thread's `lastSeq`, `messageCount` and `summarySeq` (unset when beyond `n`; set to the last new summary's
 *    `seq`) are written with `updatedAt`, which moves only when something was written.
 */
export async function appendMessages(c: Context, s: Scope, input: ValidAppend): Promise<ChatMessage[]> {
  await opened(c);
  return c.connection.grouped(() => appendNow(c, s, input));
}

function appendNow(c: Context, s: Scope, input: ValidAppend): ChatMessage[] {
  const thread = requireThread(c, s, input.threadId);
  const cut = input.replaceAfterSeq;
  if (cut !== undefined) {
    const tail = c.connection
      .statement(MESSAGE_SQL.tailIds)
      .all({ thread: thread.id, after: cut, limit: input.messages.length + 1 }) as Array<{ id: string }>;
    if (
      isReplayedTail(
        tail.map((row) => row.id),
        input.messages,
      )
    ) {
      return (c.connection.statement(MESSAGE_SQL.tail).all({ thread: thread.id, after: cut }) as MessageRow[]).map(
        toChatMessage,
      );
    }
  }
  let existing = storedOf(c, thread.id, input.messages);
  if (cut === undefined && allStored(existing)) return existing.map(toChatMessage);
  const { expectedLastSeq } = input;
  if (expectedLastSeq !== undefined && expectedLastSeq !== thread.last_seq) {
    throw lastSeqConflict(expectedLastSeq, thread.last_seq);
  }
  const { expectedMessageCount } = input;
  if (expectedMessageCount !== undefined && expectedMessageCount !== thread.message_count) {
    throw messageCountConflict(expectedMessageCount, thread.message_count);
  }
  let removed = 0;
  let summarySeq = thread.summary_seq;
  if (cut !== undefined) {
    if (cut > thread.last_seq) throw cutPointError('replaceAfterSeq', cut, thread.last_seq);
    removed = c.connection.statement(MESSAGE_SQL.deleteAfter).run({ thread: thread.id, after: cut }).changes;
    if (removed > 0) existing = existing.map((row) => (row !== undefined && row.seq > cut ? undefined : row));
    if (summarySeq !== null && summarySeq > cut) summarySeq = null;
  }
  const added = input.messages.filter((_, i) => existing[i] === undefined);
  if (added.length === 0 && removed === 0 && allStored(existing)) return existing.map(toChatMessage);
  // The thread row is updated first: its new updated_at is the new messages' createdAt.
  let seq = thread.last_seq;
  for (const message of added) {
    seq += 1;
    if (message.summaryOf !== undefined) summarySeq = seq;
  }
  const createdAt = afterWrite(c, thread, {
    lastSeq: seq,
    messageCount: thread.message_count - removed + added.length,
    summarySeq,
  });
  return insertMessages(c, s, thread, input.messages, existing, createdAt);
}

function allStored(rows: Array<MessageRow | undefined>): rows is MessageRow[] {
  return rows.every((row) => row !== undefined);
}

/** The stored row of each batch message whose id is already in the thread (`undefined` for new ones). */
function storedOf(c: Context, threadId: string, batch: readonly ValidMessage[]): Array<MessageRow | undefined> {
  const byId = c.connection.statement(MESSAGE_SQL.byId);
  return batch.map((message) => byId.get({ thread: threadId, id: message.id }) as MessageRow | undefined);
}

/** Insert the batch's new messages (seqs after the thread's old `lastSeq`, in input order) and index their text. */
function insertMessages(
  c: Context,
  s: Scope,
  thread: ThreadRow,
  batch: readonly ValidMessage[],
  existing: ReadonlyArray<MessageRow | undefined>,
  createdAt: number,
): ChatMessage[] {
  const insert = c.connection.statement(MESSAGE_SQL.insert);
  const index = c.connection.statement(MESSAGE_SQL.indexText);
  const key = tenantKey(s);
  let seq = thread.last_seq;
  return batch.map((message, i) => {
    const found = existing[i];
    if (found !== undefined) return toChatMessage(found);
    seq += 1;
    const row: MessageRow = {
      thread_id: thread.id,
      seq,
      id: message.id,
      role: message.role,
      content: JSON.stringify(message.content),
      name: message.name ?? null,
      tool_call_id: message.toolCallId ?? null,
      metadata: JSON.stringify(message.metadata),
      status: message.status,
      token_count: message.tokenCount ?? null,
      summary_from: message.summaryOf?.fromSeq ?? null,
      summary_to: message.summaryOf?.toSeq ?? null,
      created_at: createdAt,
      edited_at: null,
    };
    const { lastInsertRowid } = insert.run({
      thread: row.thread_id,
      seq,
      id: row.id,
      org: s.orgId,
      user: s.userId,
      role: row.role,
      content: row.content,
      name: row.name,
      toolCallId: row.tool_call_id,
      metadata: row.metadata,
      status: row.status,
      tokenCount: row.token_count,
      summaryFrom: row.summary_from,
      summaryTo: row.summary_to,
      createdAt,
    });
    const terms = messageTerms(key, message.content);
    if (terms.length > 0) index.run({ rowid: lastInsertRowid, terms });
    return chatOf(row, message);
  });
}

/** The caller's copy of a just-written message, from the validated input (a private copy: no need to re-parse). */
function chatOf(row: MessageRow, message: ValidMessage): ChatMessage {
  return chatMessage({
    id: row.id,
    threadId: row.thread_id,
    seq: row.seq,
    role: row.role,
    content: message.content,
    metadata: message.metadata,
    createdAt: row.created_at,
    name: row.name,
    toolCallId: row.tool_call_id,
    status: message.status,
    tokenCount: row.token_count,
    summaryOf: message.summaryOf ?? null,
  });
}

import type { ChatThread, EraseResult, PruneResult, Scope } from '@fluxibly/core';

import type {
  ValidImportMessages,
  ValidImportThread,
  ValidPrune,
  ValidPruneScope,
  ValidTransfer,
} from '@fluxibly/core/adapter';
import { importSeqBeyond, importSeqTaken } from '@fluxibly/core/adapter';
import type { ThreadRow } from './codec.js';
import { toChatThread } from './codec.js';
import type { Context } from './context.js';
import { opened, requireThread } from './context.js';
import { indexOne } from './message-ops.js';
import { tenantKey } from './search-terms.js';
import { MESSAGE_SQL } from './sql/messages.js';
import { THREAD_SQL } from './sql/threads.js';

/**
 * The data-lifecycle operations (core's `StorageOperations`): erase, transfer, prune, import. Each is one
 * `BEGIN IMMEDIATE` transaction: a batch of an erase or a prune is deleted whole or not at all, and nothing another
 * process appends can slip between the choice of the threads and their deletion (the write lock is held from the
 * first read).
 */

/** Delete up to `limit` threads of a user (or an organisation) with their messages and full-text rows. */
export async function eraseThreads(
  c: Context,
  scope: { orgId: string; userId?: string },
  limit: number,
): Promise<EraseResult> {
  await opened(c);
  return c.connection.write(() => {
    const rows = (
      scope.userId === undefined
        ? c.connection.statement(THREAD_SQL.orgBatch).all({ org: scope.orgId, limit })
        : c.connection.statement(THREAD_SQL.userBatch).all({ org: scope.orgId, user: scope.userId, limit })
    ) as ThreadRow[];
    return removeThreads(c, rows);
  });
}

/** Give a thread to another user of its organisation: the row, its messages and their full-text terms. */
export async function transferThread(c: Context, s: Scope, valid: ValidTransfer): Promise<ChatThread> {
  await opened(c);
  return c.connection.write(() => {
    const thread = requireThread(c, s, valid.threadId);
    if (valid.toUserId === thread.user_id) return toChatThread(thread);
    const row = c.connection
      .statement(THREAD_SQL.transfer)
      .get({ id: thread.id, user: valid.toUserId, now: Date.now() }) as ThreadRow;
    c.connection.statement(MESSAGE_SQL.transfer).run({ thread: thread.id, user: valid.toUserId });
    // The full-text terms are keyed by tenant: re-key them for the new owner.
    const key = tenantKey({ orgId: s.orgId, userId: valid.toUserId });
    const contents = c.connection.statement(MESSAGE_SQL.contents).all({ thread: thread.id }) as Array<{
      rowid: number;
      content: string;
    }>;
    const unindex = c.connection.statement(MESSAGE_SQL.unindex);
    for (const message of contents) {
      unindex.run({ rowid: message.rowid });
      indexOne(c, key, message.rowid, message.content);
    }
    return toChatThread(row);
  });
}

/**
 * Delete up to `limit` threads inactive since before the cut-off, oldest first: one organisation's on
 * `fluxibly_threads_by_org`, every organisation's on `fluxibly_threads_by_activity`. The choice and the deletion are
 * one transaction, so a thread written to meanwhile is not chosen.
 */
export async function pruneThreads(c: Context, scope: ValidPruneScope, valid: ValidPrune): Promise<PruneResult> {
  await opened(c);
  return c.connection.write(() => {
    const params = { before: valid.inactiveBefore, limit: valid.limit };
    const rows = (
      scope.orgId === undefined
        ? c.connection.statement(THREAD_SQL.allInactive).all(params)
        : c.connection.statement(THREAD_SQL.orgInactive).all({ ...params, org: scope.orgId })
    ) as ThreadRow[];
    const { threads, messages } = removeThreads(c, rows);
    return { deleted: threads, messages, more: rows.length === valid.limit };
  });
}

/** Store an exported thread as it was; `false` (nothing written) when its id is taken. */
export async function importThread(c: Context, s: Scope, valid: ValidImportThread): Promise<boolean> {
  await opened(c);
  return c.connection.write(() => {
    if (c.connection.statement(THREAD_SQL.exists).get({ id: valid.id }) !== undefined) return false;
    c.connection.statement(THREAD_SQL.import).run({
      id: valid.id,
      org: s.orgId,
      user: s.userId,
      name: valid.name,
      metadata: JSON.stringify(valid.metadata),
      createdAt: valid.createdAt.getTime(),
      updatedAt: valid.updatedAt.getTime(),
      lastSeq: valid.lastSeq,
      parentId: valid.parent?.threadId ?? null,
      parentSeq: valid.parent?.seq ?? null,
      summarySeq: valid.summarySeq ?? null,
    });
    return true;
  });
}

/**
 * Store exported messages as they were (ids already in the thread are skipped) and index their text; the thread's
 * count grows by what was written. Every check comes before the first insert.
 */
export async function importMessages(c: Context, s: Scope, valid: ValidImportMessages): Promise<number> {
  await opened(c);
  return c.connection.write(() => {
    const thread = requireThread(c, s, valid.threadId);
    const byId = c.connection.statement(MESSAGE_SQL.byId);
    const atSeq = c.connection.statement(MESSAGE_SQL.idAtSeq);
    const fresh = valid.messages.filter((message, i) => {
      if (message.seq > thread.last_seq) {
        throw importSeqBeyond(i, thread.last_seq);
      }
      const holder = atSeq.get({ thread: thread.id, seq: message.seq }) as { id: string } | undefined;
      if (holder !== undefined && holder.id !== message.id) {
        throw importSeqTaken(i, message.seq);
      }
      return byId.get({ thread: thread.id, id: message.id }) === undefined;
    });
    const insert = c.connection.statement(MESSAGE_SQL.import);
    const key = tenantKey(s);
    for (const message of fresh) {
      const content = JSON.stringify(message.content);
      const { lastInsertRowid } = insert.run({
        thread: thread.id,
        seq: message.seq,
        id: message.id,
        org: s.orgId,
        user: s.userId,
        role: message.role,
        content,
        name: message.name ?? null,
        toolCallId: message.toolCallId ?? null,
        metadata: JSON.stringify(message.metadata),
        status: message.status,
        tokenCount: message.tokenCount ?? null,
        summaryFrom: message.summaryOf?.fromSeq ?? null,
        summaryTo: message.summaryOf?.toSeq ?? null,
        createdAt: message.createdAt.getTime(),
        editedAt: message.editedAt?.getTime() ?? null,
      });
      indexOne(c, key, lastInsertRowid, content);
    }
    if (fresh.length > 0) c.connection.statement(THREAD_SQL.addMessages).run({ id: thread.id, added: fresh.length });
    return fresh.length;
  });
}

/** Delete threads with their messages (the trigger removes the full-text rows); returns the counts. */
function removeThreads(c: Context, rows: readonly ThreadRow[]): EraseResult {
  let messages = 0;
  for (const row of rows) {
    messages += c.connection.statement(MESSAGE_SQL.deleteAll).run({ thread: row.id }).changes;
    c.connection.statement(THREAD_SQL.delete).run({ id: row.id });
  }
  return { threads: rows.length, messages };
}

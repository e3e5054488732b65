import type { ChatThread, JsonObject, OrgScope, Scope, ThreadPage } from '@fluxibly/core';
import type {
  ValidCreateThread,
  ValidFork,
  ValidListThreads,
  ValidTruncate,
  ValidUpdateThread,
} from '@fluxibly/core/adapter';
import {
  applyMetadataPatch,
  buildThreadPage,
  cutPointError,
  forkPointError,
  lastSeqConflict,
  messageCountConflict,
  metadataConflict,
  metadataMatches,
  threadIdTaken,
} from '@fluxibly/core/adapter';
import type { ThreadRow, ThreadTuple } from './codec.js';
import { toChatThread, tupleToChatThread } from './codec.js';
import type { Context } from './context.js';
import { afterWrite, opened, ownedThread, requireThread } from './context.js';
import { indexMessages } from './message-ops.js';
import { tenantKey } from './search-terms.js';
import { MESSAGE_SQL } from './sql/messages.js';
import { THREAD_SQL, listThreads as listSql } from './sql/threads.js';

/**
 * The thread operations (core's `StorageOperations`). Reads are one statement; writes are one `BEGIN IMMEDIATE`
 * transaction each (`connection.write`), checking everything before the first change, so a call either fully
 * happens or throws having changed nothing — against every other connection and process on the file.
 */

/** Create an empty thread. @throws ConflictError when the id is used by any thread. */
export async function createThread(c: Context, s: Scope, valid: ValidCreateThread): Promise<ChatThread> {
  await opened(c);
  return c.connection.write(() => {
    if (c.connection.statement(THREAD_SQL.exists).get({ id: valid.id }) !== undefined) throw threadIdTaken();
    const row: ThreadRow = {
      id: valid.id,
      org_id: s.orgId,
      user_id: s.userId,
      name: valid.name,
      metadata: JSON.stringify(valid.metadata),
      created_at: Date.now(),
      updated_at: 0,
      last_seq: 0,
      message_count: 0,
      parent_thread_id: null,
      parent_seq: null,
      summary_seq: null,
    };
    row.updated_at = row.created_at;
    insertThread(c, row);
    return toChatThread(row);
  });
}

function insertThread(c: Context, row: ThreadRow): void {
  c.connection.statement(THREAD_SQL.insert).run({
    id: row.id,
    org: row.org_id,
    user: row.user_id,
    name: row.name,
    metadata: row.metadata,
    now: row.created_at,
    lastSeq: row.last_seq,
    messageCount: row.message_count,
    parentId: row.parent_thread_id,
    parentSeq: row.parent_seq,
    summarySeq: row.summary_seq,
  });
}

/** The thread, or `null` when it does not exist for this scope. One statement, by primary key. */
export async function getThread(c: Context, s: Scope, threadId: string): Promise<ChatThread | null> {
  await opened(c);
  const row = ownedThread(c, s, threadId);
  return row === undefined ? null : toChatThread(row);
}

/** This user's threads, newest activity first, on the `(org_id, user_id, updated_at, id)` index. */
export async function listThreads(c: Context, s: Scope, valid: ValidListThreads): Promise<ThreadPage> {
  await opened(c);
  return list(c, { org: s.orgId, user: s.userId }, valid);
}

/** The organisation's threads, newest activity first, on the `(org_id, updated_at, id)` index. */
export async function listOrgThreads(c: Context, s: OrgScope, valid: ValidListThreads): Promise<ThreadPage> {
  await opened(c);
  return list(c, { org: s.orgId }, valid);
}

/**
 * One listing page. A metadata filter is checked on each thread the index walk meets (`metadata -> '$."key"'`, its
 * JSON text against the value's): a page costs at most the listed user's (or organisation's) threads.
 */
function list(c: Context, owner: { org: string; user?: string }, valid: ValidListThreads): ThreadPage {
  const filters = Object.entries(valid.metadata ?? {});
  const params: Record<string, unknown> = { ...owner, limit: valid.limit + 1 };
  if (valid.cursor !== undefined) {
    params.at = valid.cursor.updatedAt.getTime();
    params.cursorId = valid.cursor.id;
  }
  filters.forEach(([key, value], i) => {
    params[`path${i}`] = `$.${JSON.stringify(key)}`;
    params[`value${i}`] = JSON.stringify(value);
  });
  const sql = listSql({ org: owner.user === undefined, cursor: valid.cursor !== undefined, filters: filters.length });
  const { page } = c.connection.statement(sql).get(params) as { page: string | null };
  const tuples = page === null ? [] : (JSON.parse(page) as ThreadTuple[]);
  return buildThreadPage(tuples.map(tupleToChatThread), valid.limit);
}

/**
 * Rename, replace or patch metadata (compare-and-set with `expectedMetadata`); moves `updatedAt`. One transaction.
 * @throws NotFoundError; ConflictError (`metadataConflict`) before ValidationError (`metadataPatch` too large).
 */
export async function updateThread(c: Context, s: Scope, valid: ValidUpdateThread): Promise<ChatThread> {
  await opened(c);
  return c.connection.write(() => {
    const thread = requireThread(c, s, valid.threadId);
    let metadata = thread.metadata;
    if (valid.expectedMetadata !== undefined || valid.metadataPatch !== undefined) {
      const current = JSON.parse(thread.metadata) as JsonObject;
      if (valid.expectedMetadata !== undefined && !metadataMatches(current, valid.expectedMetadata)) {
        throw metadataConflict();
      }
      if (valid.metadataPatch !== undefined) {
        metadata = JSON.stringify(applyMetadataPatch(current, valid.metadataPatch));
      }
    }
    if (valid.metadata !== undefined) metadata = JSON.stringify(valid.metadata);
    const row = c.connection.statement(THREAD_SQL.update).get({
      id: thread.id,
      name: valid.name ?? thread.name,
      metadata,
      now: Date.now(),
    }) as ThreadRow;
    return toChatThread(row);
  });
}

/** Delete a thread and its messages (and their full-text rows); `false` when it does not exist for this scope. */
export async function deleteThread(c: Context, s: Scope, threadId: string): Promise<boolean> {
  await opened(c);
  return c.connection.write(() => {
    if (ownedThread(c, s, threadId) === undefined) return false;
    c.connection.statement(MESSAGE_SQL.deleteAll).run({ thread: threadId });
    c.connection.statement(THREAD_SQL.delete).run({ id: threadId });
    return true;
  });
}

/**
 * Remove every message, keep the thread and its `lastSeq`, unset `summarySeq`, move `updatedAt` (even when it was
 * empty); returns how many were removed. @throws NotFoundError.
 */
export async function clearThread(c: Context, s: Scope, threadId: string): Promise<number> {
  await opened(c);
  return c.connection.write(() => {
    const thread = requireThread(c, s, threadId);
    const removed = c.connection.statement(MESSAGE_SQL.deleteAll).run({ thread: threadId }).changes;
    afterWrite(c, thread, { lastSeq: thread.last_seq, messageCount: thread.message_count - removed, summarySeq: null });
    return removed;
  });
}

/**
 * Remove every message after `afterSeq`; `lastSeq` stays; `summarySeq` is unset when beyond the cut; `updatedAt`
 * moves only when something was removed. Returns how many were removed.
 * @throws NotFoundError, ConflictError (`expectedLastSeq`, then `expectedMessageCount`), ValidationError (`afterSeq`
 *   beyond `lastSeq`).
 */
export async function truncateThread(c: Context, s: Scope, valid: ValidTruncate): Promise<number> {
  await opened(c);
  return c.connection.write(() => {
    const thread = requireThread(c, s, valid.threadId);
    if (valid.expectedLastSeq !== undefined && valid.expectedLastSeq !== thread.last_seq) {
      throw lastSeqConflict(valid.expectedLastSeq, thread.last_seq);
    }
    if (valid.expectedMessageCount !== undefined && valid.expectedMessageCount !== thread.message_count) {
      throw messageCountConflict(valid.expectedMessageCount, thread.message_count);
    }
    if (valid.afterSeq > thread.last_seq) throw cutPointError('afterSeq', valid.afterSeq, thread.last_seq);
    const removed = c.connection
      .statement(MESSAGE_SQL.deleteAfter)
      .run({ thread: thread.id, after: valid.afterSeq }).changes;
    const summarySeq = thread.summary_seq !== null && thread.summary_seq > valid.afterSeq ? null : thread.summary_seq;
    if (removed > 0) {
      afterWrite(c, thread, { lastSeq: thread.last_seq, messageCount: thread.message_count - removed, summarySeq });
    } else if (summarySeq !== thread.summary_seq) {
      c.connection.statement(THREAD_SQL.setSummary).run({ id: thread.id, summarySeq });
    }
    return removed;
  });
}

/**
 * Copy a thread's messages up to `atSeq` into a new thread of the same scope, in one transaction. The copies keep
 * id, `seq`, content, metadata, status and timestamps; the fork keeps `summarySeq` when it is within the copy.
 * @throws NotFoundError (source), then ValidationError (`atSeq` beyond `lastSeq`), then ConflictError (id used).
 */
export async function forkThread(c: Context, s: Scope, valid: ValidFork): Promise<ChatThread> {
  await opened(c);
  return c.connection.write(() => {
    const source = requireThread(c, s, valid.threadId);
    const atSeq = valid.atSeq ?? source.last_seq;
    if (atSeq > source.last_seq) throw forkPointError(atSeq, source.last_seq);
    if (c.connection.statement(THREAD_SQL.exists).get({ id: valid.id }) !== undefined) throw threadIdTaken();
    const copied = c.connection.statement(MESSAGE_SQL.copy).run({ thread: valid.id, source: source.id, atSeq }).changes;
    indexMessages(c, tenantKey(s), valid.id);
    const now = Date.now();
    const row: ThreadRow = {
      id: valid.id,
      org_id: s.orgId,
      user_id: s.userId,
      name: valid.name ?? source.name,
      metadata: valid.metadata === undefined ? source.metadata : JSON.stringify(valid.metadata),
      created_at: now,
      updated_at: now,
      last_seq: atSeq,
      message_count: copied,
      parent_thread_id: source.id,
      parent_seq: atSeq,
      summary_seq: source.summary_seq !== null && source.summary_seq <= atSeq ? source.summary_seq : null,
    };
    insertThread(c, row);
    return toChatThread(row);
  });
}

import type { LimitedStatement, Statement } from '../connection.js';
import { limitedStatement, statement } from '../connection.js';
import type { QualifiedTables } from '../schema.js';
import { THREAD_COLUMNS, THREAD_SELECT } from './columns.js';
import { MESSAGE_KEY_THREAD } from './message-key.js';
import { NOW } from './time.js';

/**
 * The data-lifecycle statements: erase and prune batches, transfer, import.
 *
 * **Erase and prune batches** are ONE statement each ({@link batchDelete}): choose up to `LIMIT` threads on an index,
 * delete those whose row is still the version the statement's snapshot saw, with their messages. Why the version:
 * a statement reads with one snapshot, so a `DELETE` of the messages cannot see rows an append committed after it
 * began — even an append it waited for on the thread row. Every write to a thread's messages also writes the thread
 * row (append, replace, truncate, clear, edit, deleteMessage, import, transfer), so an unchanged row version means the
 * snapshot's messages are the thread's messages, and the row lock the `DELETE` takes keeps it so until commit (a
 * later append waits, then finds no thread: `NotFoundError`). A thread written to in between is left to
 * {@link LifecycleStatements.lockedDelete}, a short transaction that locks first and deletes the messages in a
 * second statement (as `deleteThread` does). The lock order is the one every write uses: thread row, then messages.
 */
export interface LifecycleStatements {
  /** `$1` org, `$2` user: a batch of the user's threads (index `fluxibly_threads_by_user`). See {@link BatchRow}. */
  eraseUser: LimitedStatement;
  /** `$1` org: a batch of the organisation's threads (index `fluxibly_threads_by_org`). */
  eraseOrg: LimitedStatement;
  /** `$1` org, `$2` cut-off (epoch ms): its threads with `updated_at` before it, oldest first (`fluxibly_threads_by_org`). */
  pruneOrg: LimitedStatement;
  /** `$1` cut-off (epoch ms): every organisation's, oldest first (`fluxibly_threads_by_activity`, migration 0005). */
  pruneAll: LimitedStatement;
  /**
   * In a transaction, first: `$1` thread ids, `$2` org or null, `$3` user or null, `$4` cut-off (epoch ms) or null.
   * Deletes (so locks, waiting for any write in flight) those still of the scope and inactive; returns their `id`s.
   */
  lockedDelete: Statement;
  /** In the same transaction, next: `$1` thread ids. Deletes their messages, with a fresh snapshot. */
  lockedDeleteMessages: Statement;
  /**
   * `$1` id, `$2` org, `$3` user, `$4` the new user. Moves the thread and its messages in one statement, when the
   * thread row is still the snapshot's version (see `transferThread`): `found`, and the moved thread (its columns
   * null when nothing was written).
   */
  transfer: Statement;
  /**
   * `$1` id, `$2` org, `$3` user, `$4` name, `$5` metadata, `$6` createdAt (epoch ms), `$7` updatedAt, `$8` last_seq,
   * `$9` parent thread or null, `$10` parent seq or null, `$11` summary_seq or null: a row when it was stored, none
   * when the id is taken.
   */
  importThread: Statement;
  /**
   * `$1` thread, `$2` org, `$3` user, `$4` the messages as a JSON array (see `lifecycle-ops.ts`): `found`,
   * `last_seq`, `beyond` and `taken` (1-based position of the first message whose seq is beyond `last_seq`, or held by another id),
   * `fresh` (messages whose id the thread lacks) and `done` (they were written).
   */
  importMessages: Statement;
}

/** The row of an erase or prune batch. */
export interface BatchRow {
  /** Threads the batch chose. */
  picked: string;
  /** Threads deleted, with their messages. */
  threads: string;
  messages: string;
  /** Chosen threads not deleted (written to, or deleted, since the snapshot): for `lockedDelete`. */
  skipped: string[];
}

/** A cut-off parameter (epoch milliseconds) as a `timestamptz`. */
export function fromEpochMs(parameter: string): string {
  return `to_timestamp(${parameter}::float8 / 1000)`;
}

/**
 * One erase or prune batch as ONE statement (see {@link LifecycleStatements}): `picked` chooses up to `limit`
 * threads on an index (with their row address and version), `gone` deletes those rows by address (a TID scan: never
 * a second walk of the index range) if still the version `picked` saw — then they still match `where`; a row
 * written to since is left for `lockedDelete`, which re-checks `where` itself — and `removed` deletes their messages
 * (the primary key's `thread_id` prefix, one `= ANY` probe list).
 */
function batchDelete(t: QualifiedTables, where: string, limit: string): string {
  return `WITH picked AS (
  SELECT t.id, t.ctid AS address, t.xmin AS version FROM ${t.threads} AS t
  WHERE ${where} ORDER BY t.updated_at, t.id LIMIT ${limit}
), gone AS (
  DELETE FROM ${t.threads} AS t
  WHERE t.ctid = ANY (ARRAY(SELECT address FROM picked))
    AND t.xmin = (SELECT p.version FROM picked AS p WHERE p.id = t.id)
  RETURNING t.id
), removed AS (
  DELETE FROM ${t.messages} AS m WHERE m.thread_id = ANY (ARRAY(SELECT id FROM gone)) RETURNING 1
)
SELECT (SELECT count(*) FROM picked) AS picked, (SELECT count(*) FROM gone) AS threads,
  (SELECT count(*) FROM removed) AS messages,
  ARRAY(SELECT p.id FROM picked AS p WHERE NOT EXISTS (SELECT 1 FROM gone AS g WHERE g.id = p.id)) AS skipped`;
}

/** The columns an import writes, in the order of `importMessages`' `SELECT`. */
const IMPORT_COLUMNS =
  'thread_id, seq, id, org_id, user_id, role, content, name, tool_call_id, metadata, created_at, edited_at, ' +
  'status, token_count, summary_from_seq, summary_to_seq';

/** {@link LifecycleStatements} for the tables `t`. */
export function lifecycleStatements(t: QualifiedTables): LifecycleStatements {
  const user = 't.org_id = $1 AND t.user_id = $2';
  const org = 't.org_id = $1';
  const orgInactive = `t.org_id = $1 AND t.updated_at < ${fromEpochMs('$2')}`;
  const inactive = `t.updated_at < ${fromEpochMs('$1')}`;
  return {
    eraseUser: limitedStatement((limit) => batchDelete(t, user, limit)),
    eraseOrg: limitedStatement((limit) => batchDelete(t, org, limit)),
    pruneOrg: limitedStatement((limit) => batchDelete(t, orgInactive, limit)),
    pruneAll: limitedStatement((limit) => batchDelete(t, inactive, limit)),
    lockedDelete: statement(`DELETE FROM ${t.threads}
WHERE id = ANY ($1::text[]) AND ($2::text IS NULL OR org_id = $2::text) AND ($3::text IS NULL OR user_id = $3::text)
  AND ($4::float8 IS NULL OR updated_at < ${fromEpochMs('$4')})
RETURNING id`),
    lockedDeleteMessages: statement(`DELETE FROM ${t.messages} WHERE thread_id = ANY ($1::text[])`),
    // As replace and truncate: the UPDATE writes only when the row is the snapshot's version, so the messages
    // UPDATE (in the same snapshot) sees every message of the thread; else nothing is written and the call runs
    // again. The thread row is locked first, as by every write to a thread's messages.
    transfer: statement(`WITH owned AS (
  SELECT xmin AS version FROM ${t.threads} WHERE id = $1 AND org_id = $2 AND user_id = $3
), moved AS (
  UPDATE ${t.threads} SET user_id = $4, updated_at = greatest(${NOW}, updated_at)
  WHERE id = $1 AND org_id = $2 AND user_id = $3 AND xmin = (SELECT version FROM owned)
  RETURNING ${THREAD_SELECT}
), carried AS (
  UPDATE ${t.messages} SET user_id = $4 WHERE thread_id = $1 AND EXISTS (SELECT 1 FROM moved)
)
SELECT EXISTS (SELECT 1 FROM owned) AS found, m.* FROM (SELECT 1) AS one LEFT JOIN moved AS m ON true`),
    importThread: statement(`INSERT INTO ${t.threads} (${THREAD_COLUMNS})
VALUES ($1, $2, $3, $4, $5::jsonb, ${fromEpochMs('$6')}, ${fromEpochMs('$7')}, $8::bigint, 0, $9::text, $10::bigint,
  $11::bigint)
ON CONFLICT (id) DO NOTHING RETURNING 1 AS stored`),
    // `beyond` / `taken` are checked for every message (also one whose id is stored); `fresh` by the unique message
    // key. `bump` adds the count only when the thread row is the snapshot's version (else nothing is written and
    // the call runs again), so the checks saw every message of the thread.
    importMessages: statement(`WITH batch AS (
  SELECT b.ord, b.m, (b.m ->> 'seq')::bigint AS seq FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS b(m, ord)
), owned AS (
  SELECT last_seq, xmin AS version FROM ${t.threads} WHERE id = $1 AND org_id = $2 AND user_id = $3
), beyond AS (
  SELECT min(batch.ord) AS ord FROM batch WHERE batch.seq > (SELECT last_seq FROM owned)
), taken AS (
  SELECT min(batch.ord) AS ord FROM batch CROSS JOIN LATERAL (
    SELECT id FROM ${t.messages} WHERE thread_id = $1 AND seq = batch.seq
  ) AS x
  WHERE x.id <> (batch.m ->> 'id') AND EXISTS (SELECT 1 FROM owned)
), fresh AS (
  SELECT batch.seq, batch.m FROM batch
  WHERE NOT EXISTS (SELECT 1 FROM ${t.messages} WHERE ${MESSAGE_KEY_THREAD} = $1 AND id = (batch.m ->> 'id'))
    AND EXISTS (SELECT 1 FROM owned)
), counted AS (
  SELECT count(*) AS n FROM fresh
), bump AS (
  UPDATE ${t.threads} SET message_count = message_count + (SELECT n FROM counted)
  WHERE id = $1 AND org_id = $2 AND user_id = $3 AND xmin = (SELECT version FROM owned)
    AND (SELECT ord FROM beyond) IS NULL AND (SELECT ord FROM taken) IS NULL AND (SELECT n FROM counted) > 0
  RETURNING 1
), inserted AS (
  INSERT INTO ${t.messages} (${IMPORT_COLUMNS})
  SELECT $1, fresh.seq, fresh.m ->> 'id', $2, $3, fresh.m ->> 'role', fresh.m -> 'content', fresh.m ->> 'name',
    fresh.m ->> 'toolCallId', fresh.m -> 'metadata', ${fromEpochMs(`(fresh.m ->> 'createdAt')`)},
    ${fromEpochMs(`(fresh.m ->> 'editedAt')`)}, fresh.m ->> 'status', (fresh.m ->> 'tokenCount')::bigint,
    (fresh.m ->> 'summaryFrom')::bigint, (fresh.m ->> 'summaryTo')::bigint
  FROM fresh WHERE EXISTS (SELECT 1 FROM bump)
)
SELECT EXISTS (SELECT 1 FROM owned) AS found, (SELECT last_seq FROM owned) AS last_seq, (SELECT ord FROM beyond) AS beyond,
  (SELECT ord FROM taken) AS taken, (SELECT n FROM counted) AS fresh, EXISTS (SELECT 1 FROM bump) AS done`),
  };
}

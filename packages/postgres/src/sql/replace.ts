import type { Statement } from '../connection.js';
import { statement } from '../connection.js';
import type { QualifiedTables } from '../schema.js';
import { epochMs, messageColumns } from './columns.js';
import { NEWEST_SUMMARY, insertFresh } from './append.js';
import { MESSAGE_KEY_THREAD } from './message-key.js';
import { NOW } from './time.js';

/**
 * An append with `replaceAfterSeq` (regenerate, edit-and-resend) as ONE statement, like the batch append
 * (`appendStatement`): remove every message with `seq > $6`, then append the batch, atomically.
 *
 * Parameters: `$1` thread id, `$2` org id, `$3` user id, `$4` the batch (JSON array, as `appendStatement`), `$5`
 * `expectedLastSeq` or null, `$6` `replaceAfterSeq`, `$7` `expectedMessageCount` or null.
 *
 * - `owned`: the thread in the statement's snapshot, with its row version (`xmin`).
 * - `tail`: the messages after the cut in that snapshot (a range scan of the primary key); `replay`: whether
 *   their ids are exactly the batch's, in order (a retry of an applied call: it writes nothing and returns them).
 * - `existing`: for a replay, the tail's rows; otherwise the batch messages whose id is at `seq <= $6` (one probe
 *   of the unique message key each). `fresh`: the others, numbered 1…k.
 * - `bump`: the thread's `UPDATE` — the serialization point, as for every append — runs only when it is still
 *   the row version of the snapshot (`xmin`). Every write to a thread's messages also writes its thread row, so
 *   an unchanged version means the snapshot's tail is the thread's tail now and no one can change it before this
 *   statement commits; a changed one (a write committed in between) makes the statement write nothing, and the
 *   caller runs it again on a fresh snapshot (`append.ts`). It also checks `expectedLastSeq`, `expectedMessageCount` and `$6 <= last_seq`
 *   and runs only when something changes (a tail to remove or a message to add). It sets `last_seq` after the
 *   new messages, `message_count` − removed + added, and `summary_seq` (unset when the cut removes it; the last
 *   new summary's seq when the batch holds one).
 * - `removed`: the tail, deleted only after `bump`; `inserted`: the new rows, only after `removed` (an id that
 *   was in the tail may come back with a new seq: its old row must be gone from the unique key first).
 *
 * The result: one header row (`owned_last_seq`, `owned_message_count`, `replayed`, `tail_count`, `base`, `bumped_at`) joined with the
 * `existing` rows (`ord` = 1-based input position).
 */
export function replaceStatement(t: QualifiedTables): Statement {
  return statement(`WITH batch AS (
  SELECT b.ord, b.m FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS b(m, ord)
), owned AS (
  SELECT last_seq, message_count, xmin AS version FROM ${t.threads} WHERE id = $1 AND org_id = $2 AND user_id = $3
), tail AS (
  SELECT seq, id FROM ${t.messages} WHERE thread_id = $1 AND seq > $6::bigint AND EXISTS (SELECT 1 FROM owned)
), replay AS (
  SELECT coalesce((SELECT array_agg(id ORDER BY seq) FROM tail), '{}')
    = (SELECT array_agg(batch.m ->> 'id' ORDER BY batch.ord) FROM batch) AS yes
), existing AS (
  SELECT batch.ord, x.*
  FROM batch CROSS JOIN LATERAL (
    SELECT ${messageColumns()} FROM ${t.messages} WHERE ${MESSAGE_KEY_THREAD} = $1 AND id = (batch.m ->> 'id') LIMIT 1
  ) AS x
  WHERE EXISTS (SELECT 1 FROM owned) AND (x.seq <= $6::bigint OR (SELECT yes FROM replay))
), fresh AS (
  SELECT batch.ord, batch.m, row_number() OVER (ORDER BY batch.ord) AS k
  FROM batch WHERE NOT EXISTS (SELECT 1 FROM existing WHERE existing.ord = batch.ord)
), counted AS (
  SELECT (SELECT count(*) FROM fresh) AS n, (SELECT count(*) FROM tail) AS removed
), bump AS (
  UPDATE ${t.threads} SET
    last_seq = last_seq + (SELECT n FROM counted),
    message_count = message_count - (SELECT removed FROM counted) + (SELECT n FROM counted),
    updated_at = greatest(${NOW}, updated_at),
    summary_seq = coalesce(${NEWEST_SUMMARY}, CASE WHEN summary_seq > $6::bigint THEN NULL ELSE summary_seq END)
  WHERE id = $1 AND org_id = $2 AND user_id = $3 AND xmin = (SELECT version FROM owned)
    AND NOT (SELECT yes FROM replay) AND $6::bigint <= last_seq
    AND ($5::bigint IS NULL OR last_seq = $5::bigint) AND ($7::bigint IS NULL OR message_count = $7::bigint)
    AND (SELECT n + removed FROM counted) > 0
  RETURNING last_seq - (SELECT n FROM counted) AS base, updated_at
), removed AS (
  DELETE FROM ${t.messages} WHERE thread_id = $1 AND seq > $6::bigint AND EXISTS (SELECT 1 FROM bump) RETURNING 1
), after_removed AS (
  SELECT count(*) AS n FROM removed
), inserted AS (
  ${insertFresh(t)}
  WHERE (SELECT n FROM after_removed) >= 0
)
SELECT h.owned_last_seq, h.owned_message_count, h.replayed, h.tail_count, h.base, h.bumped_at, e.*
FROM (SELECT (SELECT last_seq FROM owned) AS owned_last_seq, (SELECT message_count FROM owned) AS owned_message_count,
        (SELECT yes FROM replay) AS replayed,
        (SELECT removed FROM counted) AS tail_count, bump.base, ${epochMs('bump.updated_at')} AS bumped_at
      FROM (SELECT 1) AS one LEFT JOIN bump ON true) AS h
LEFT JOIN existing e ON true`);
}

import type { Statement } from '../connection.js';
import { statement } from '../connection.js';
import { epochMs, messageColumns } from './columns.js';
import type { QualifiedTables } from '../schema.js';
import { MESSAGE_KEY_THREAD } from './message-key.js';
import { NOW } from './time.js';

/** The columns an append inserts, in the order of {@link insertFresh}'s and `appendOneStatement`'s values. */
export const INSERT_COLUMNS =
  'thread_id, seq, id, org_id, user_id, role, content, name, tool_call_id, metadata, created_at, ' +
  'status, token_count, summary_from_seq, summary_to_seq';

/**
 * The seq the thread's `summary_seq` takes in a batch append's `UPDATE` of the thread (where `last_seq` is still
 * the old one): that of the last new message carrying `summaryOf`, or null when none does.
 */
export const NEWEST_SUMMARY = `last_seq + (SELECT max(fresh.k) FROM fresh WHERE fresh.m -> 'x' ->> 2 IS NOT NULL)`;

/**
 * The `INSERT` of a batch append's new rows: CTE `fresh` (`k`: 1…n in input order, `m`: the message as JSON)
 * after CTE `bump` (`base`: the seq before the first, `updated_at`). A message's contract v2 fields travel packed
 * as `x: [status, tokenCount, fromSeq, toSeq]`, present only when one is set (see `append.ts`): an ordinary
 * message costs one failed key lookup instead of four (measured: four separate lookups made a 100-message batch
 * about 15% slower on the server).
 */
export function insertFresh(t: QualifiedTables): string {
  return `INSERT INTO ${t.messages} (${INSERT_COLUMNS})
  SELECT $1, bump.base + fresh.k, fresh.m ->> 'id', $2, $3, fresh.m ->> 'role', fresh.m -> 'content',
    fresh.m ->> 'name', fresh.m ->> 'toolCallId', fresh.m -> 'metadata', bump.updated_at,
    v2.x ->> 0, (v2.x ->> 1)::bigint, (v2.x ->> 2)::bigint, (v2.x ->> 3)::bigint
  FROM fresh CROSS JOIN bump CROSS JOIN LATERAL (SELECT fresh.m -> 'x' AS x) AS v2`;
}

/**
 * The whole append as ONE statement (one round trip): a data-modifying CTE.
 *
 * Parameters: `$1` thread id, `$2` org id, `$3` user id, `$4` the batch as a JSON array of
 * `{ id, role, content, name?, toolCallId?, metadata, x? }` in input order (`x`: the v2 fields, see
 * {@link insertFresh}), `$5` `expectedLastSeq` or null, `$6` `expectedMessageCount` or null. (Typed
 * parallel arrays through `unnest` were measured too: 5–10% slower on the server for 100 messages, and slower to
 * serialise in the driver.)
 *
 * - `owned`: the thread, if it exists for this scope (else the call is `NotFoundError`), with the `last_seq` and
 *   `message_count` the conflicts are reported with.
 * - `existing`: batch messages whose id is already in the thread (idempotency): one probe of the unique message
 *   key per batch message (LATERAL, so the plan never reads the thread's other messages; the thread is compared
 *   as `MESSAGE_KEY_THREAD`, which only that index can serve, so even a generic plan cannot walk the thread
 *   through the primary key instead).
 * - `fresh`: the others, numbered 1…k in input order.
 * - `bump`: `UPDATE … RETURNING` of the thread row — the serialization point. It row-locks the thread, so
 *   concurrent appends to one thread apply one after the other; a waiting append re-evaluates its `WHERE`
 *   (`expectedLastSeq`, `expectedMessageCount`) against the winner's row and adds its k to the winner's `last_seq`.
 *   It runs only when there is something new, so an all-existing batch writes nothing and ignores both guards.
 * - `inserted`: the new rows, `seq = base + k`, all with the thread's new `updated_at` as `created_at`. The
 *   thread's `summary_seq` becomes the seq of the batch's last new summary message, if it has one.
 *
 * The result: one header row (`owned_last_seq`, `owned_message_count`, `base`, `bumped_at` in epoch milliseconds; `base` is null when
 * nothing was written) joined with the existing messages (`ord` = 1-based input position). A concurrent append of the same new ids
 * makes the INSERT fail with a unique violation; the repository then re-runs the statement, which finds them.
 */
export function appendStatement(t: QualifiedTables): Statement {
  return statement(`WITH batch AS (
  SELECT b.ord, b.m FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS b(m, ord)
), owned AS (
  SELECT last_seq, message_count FROM ${t.threads} WHERE id = $1 AND org_id = $2 AND user_id = $3
), existing AS (
  SELECT batch.ord, x.*
  FROM batch CROSS JOIN LATERAL (
    SELECT ${messageColumns()} FROM ${t.messages} WHERE ${MESSAGE_KEY_THREAD} = $1 AND id = (batch.m ->> 'id') LIMIT 1
  ) AS x
  WHERE EXISTS (SELECT 1 FROM owned)
), fresh AS (
  SELECT batch.ord, batch.m, row_number() OVER (ORDER BY batch.ord) AS k
  FROM batch WHERE NOT EXISTS (SELECT 1 FROM existing WHERE existing.ord = batch.ord)
), counted AS (
  SELECT count(*) AS n FROM fresh
), bump AS (
  UPDATE ${t.threads} SET
    last_seq = last_seq + (SELECT n FROM counted),
    message_count = message_count + (SELECT n FROM counted),
    updated_at = greatest(${NOW}, updated_at),
    summary_seq = coalesce(${NEWEST_SUMMARY}, summary_seq)
  WHERE id = $1 AND org_id = $2 AND user_id = $3 AND (SELECT n FROM counted) > 0
    AND ($5::bigint IS NULL OR last_seq = $5::bigint) AND ($6::bigint IS NULL OR message_count = $6::bigint)
  RETURNING last_seq - (SELECT n FROM counted) AS base, updated_at
), inserted AS (
  ${insertFresh(t)}
)
SELECT h.owned_last_seq, h.owned_message_count, h.base, h.bumped_at, e.*
FROM (SELECT (SELECT last_seq FROM owned) AS owned_last_seq, (SELECT message_count FROM owned) AS owned_message_count,
        bump.base, ${epochMs('bump.updated_at')} AS bumped_at
      FROM (SELECT 1) AS one LEFT JOIN bump ON true) AS h
LEFT JOIN existing e ON true`);
}

/**
 * {@link appendStatement} for a batch of ONE message, with the message as plain typed parameters: no batch to
 * take apart, number or count, which makes the most common append markedly cheaper on the server. Same result rows.
 *
 * Parameters: `$1` thread id, `$2` org id, `$3` user id, `$4` message id, `$5` role, `$6` content (JSON text),
 * `$7` name or null, `$8` tool call id or null, `$9` metadata (JSON text), `$10` `expectedLastSeq` or null,
 * `$11` stored status (null: completed), `$12` token count, `$13`/`$14` the summary range's `fromSeq`/`toSeq`
 * (null: not a summary; a summary sets the thread's `summary_seq` to its seq), `$15` `expectedMessageCount` or null.
 */
export function appendOneStatement(t: QualifiedTables): Statement {
  return statement(`WITH owned AS (
  SELECT last_seq, message_count FROM ${t.threads} WHERE id = $1 AND org_id = $2 AND user_id = $3
), existing AS (
  SELECT 1::bigint AS ord, ${messageColumns()} FROM ${t.messages}
  WHERE ${MESSAGE_KEY_THREAD} = $1 AND id = $4 AND EXISTS (SELECT 1 FROM owned)
), bump AS (
  UPDATE ${t.threads} SET
    last_seq = last_seq + 1,
    message_count = message_count + 1,
    updated_at = greatest(${NOW}, updated_at),
    summary_seq = CASE WHEN $13::bigint IS NULL THEN summary_seq ELSE last_seq + 1 END
  WHERE id = $1 AND org_id = $2 AND user_id = $3 AND NOT EXISTS (SELECT 1 FROM existing)
    AND ($10::bigint IS NULL OR last_seq = $10::bigint) AND ($15::bigint IS NULL OR message_count = $15::bigint)
  RETURNING last_seq - 1 AS base, updated_at
), inserted AS (
  INSERT INTO ${t.messages} (${INSERT_COLUMNS})
  SELECT $1, bump.base + 1, $4, $2, $3, $5, $6::jsonb, $7, $8, $9::jsonb, bump.updated_at, $11, $12::bigint, $13::bigint, $14::bigint
  FROM bump
)
SELECT (SELECT last_seq FROM owned) AS owned_last_seq, (SELECT message_count FROM owned) AS owned_message_count,
  bump.base, ${epochMs('bump.updated_at')} AS bumped_at, e.*
FROM (SELECT 1) AS one LEFT JOIN bump ON true LEFT JOIN existing e ON true`);
}

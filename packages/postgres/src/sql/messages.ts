import type { LimitedStatement, Statement } from '../connection.js';
import { limitedStatement, statement } from '../connection.js';
import { PAGE_TUPLE, messageColumns } from './columns.js';
import type { QualifiedTables } from '../schema.js';
import { MESSAGE_KEY_THREAD } from './message-key.js';
import { NOW } from './time.js';

/**
 * The message statements. Pages are one statement each: the scope check (the thread row) with an index range scan
 * of the primary key `(thread_id, seq)` as a sub-select, so reading the newest N never counts or sorts the thread.
 * A page travels as ONE JSON array of row tuples (see {@link PAGE_TUPLE}, built in the scan's order by
 * `array_to_json(ARRAY(…))`): cheaper on both ends than 50 rows of ten columns each. There is one statement text
 * per cursor combination (no `$n IS NULL OR …`) and the `LIMIT` is a literal (see `LimitedStatement`), so the
 * cached generic plan is an index range scan and calls are not re-planned.
 */
export interface MessageStatements {
  /** `$1` thread, `$2` org, `$3` user; pass limit + 1: `tuples` newest first. No row: not this scope's thread. */
  newest: LimitedStatement;
  /** As `newest`, with `seq < $4`. */
  newestBefore: LimitedStatement;
  /** `$1` thread, `$2` org, `$3` user, `$4` after; pass the limit: `tuples` oldest first, plus `has_older`. */
  after: LimitedStatement;
  /** As `after`, with `seq < $5`. */
  afterBefore: LimitedStatement;
  /** `$1` thread, `$2` message, `$3` org, `$4` user. */
  get: Statement;
  /**
   * `$1` thread, `$2` message, `$3` org, `$4` user, `$5` content or null, `$6` metadata or null, `$7`
   * `expectedStatus` or null, `$8` status or null, `$9` token count or null: `thread_found`, `actual_status`
   * (null: no such message) and the edited message (its columns null when nothing was written).
   */
  edit: Statement;
  /** `$1` thread, `$2` message, `$3` org, `$4` user: returns a row when a message was deleted. */
  remove: Statement;
  /** `$1` org, `$2` user, `$3` query: best match first. */
  search: LimitedStatement;
  /** As `search`, within thread `$4`. */
  searchThread: LimitedStatement;
}

/** {@link MessageStatements} for the tables `t`. */
export function messageStatements(t: QualifiedTables): MessageStatements {
  // The ARRAY sub-select runs only when the thread row matched (an InitPlan evaluated on demand).
  const page = (select: string, where: string, order: 'ASC' | 'DESC', limit: string): string =>
    `SELECT ${select}array_to_json(ARRAY(SELECT ${PAGE_TUPLE} FROM ${t.messages}
  WHERE thread_id = $1 ${where} ORDER BY seq ${order} LIMIT ${limit})) AS tuples
FROM ${t.threads} WHERE id = $1 AND org_id = $2 AND user_id = $3`;
  const hasOlder = `EXISTS (SELECT 1 FROM ${t.messages} WHERE thread_id = $1 AND seq <= $4) AS has_older`;
  // Every parameter reaches the plan through a sub-select (InitPlans for the tenant keys and thread, a subquery
  // kept apart by OFFSET 0 for the query), so a custom plan knows no more than the generic one: both estimate the
  // same cost and PostgreSQL keeps the cached generic plan after its five trial custom plans. With the parameters visible, a small tenant beside a big one (planner statistics dominated by
  // the big one) got a custom plan estimated far cheaper than the generic, and every search paid ~0.1 ms of
  // planning (bench W5). The plan is the same either way: the tenant search index.
  const search = (threadFilter: string): LimitedStatement =>
    limitedStatement(
      (limit) => `SELECT ${messageColumns('m')}
FROM ${t.messages} m, (SELECT websearch_to_tsquery('simple', $3::text) AS q OFFSET 0) AS s
WHERE m.org_id = (SELECT $1::text) AND m.user_id = (SELECT $2::text) ${threadFilter} AND m.search_vector @@ s.q
ORDER BY ts_rank(m.search_vector, s.q) DESC, m.created_at DESC, m.seq DESC, m.thread_id DESC
LIMIT ${limit}`,
    );
  return {
    newest: limitedStatement((limit) => page('', '', 'DESC', limit)),
    newestBefore: limitedStatement((limit) => page('', 'AND seq < $4', 'DESC', limit)),
    after: limitedStatement((limit) => page(`${hasOlder}, `, 'AND seq > $4', 'ASC', limit)),
    afterBefore: limitedStatement((limit) => page(`${hasOlder}, `, 'AND seq > $4 AND seq < $5', 'ASC', limit)),
    get: statement(
      `SELECT ${messageColumns()} FROM ${t.messages} WHERE ${MESSAGE_KEY_THREAD} = $1 AND id = $2 AND org_id = $3 AND user_id = $4`,
    ),
    // Lock order thread, then message (as append, truncation and thread deletion). Both locks return the rows'
    // latest versions (READ COMMITTED re-reads a row that changed since the snapshot), so `expectedStatus` is
    // checked against the status no one can change before this statement commits: of two racing finishers the
    // second sees the first's status. The thread is bumped only when the edit applies; edited_at is its new
    // updated_at, as the contract's time rules ask.
    edit: statement(`WITH thread AS (
  SELECT 1 FROM ${t.threads} WHERE id = $1 AND org_id = $3 AND user_id = $4 FOR NO KEY UPDATE
), target AS (
  SELECT coalesce(status, 'completed') AS status FROM ${t.messages}
  WHERE ${MESSAGE_KEY_THREAD} = $1 AND id = $2 AND EXISTS (SELECT 1 FROM thread) FOR UPDATE
), touched AS (
  UPDATE ${t.threads} SET updated_at = greatest(${NOW}, updated_at)
  WHERE id = $1 AND EXISTS (SELECT 1 FROM target WHERE $7::text IS NULL OR target.status = $7::text)
  RETURNING updated_at
), edited AS (
  UPDATE ${t.messages} SET
    content = coalesce($5::jsonb, content),
    metadata = coalesce($6::jsonb, metadata),
    status = CASE WHEN $8::text IS NULL THEN status WHEN $8::text = 'completed' THEN NULL ELSE $8::text END,
    token_count = coalesce($9::bigint, token_count),
    edited_at = (SELECT updated_at FROM touched)
  WHERE ${MESSAGE_KEY_THREAD} = $1 AND id = $2 AND EXISTS (SELECT 1 FROM touched)
  RETURNING ${messageColumns()}
)
SELECT EXISTS (SELECT 1 FROM thread) AS thread_found, (SELECT status FROM target) AS actual_status, e.*
FROM (SELECT 1) AS one LEFT JOIN edited e ON true`),
    // The thread row is locked first, as every other write to a thread's messages does (append, edit, truncate,
    // replace, clear): one lock order, so no two writes can deadlock. Deleting the message row serialises racing
    // deletes of it; the thread UPDATE then sees the latest row.
    remove: statement(`WITH thread AS (
  SELECT 1 FROM ${t.threads} WHERE id = $1 AND org_id = $3 AND user_id = $4 FOR NO KEY UPDATE
), removed AS (
  DELETE FROM ${t.messages} WHERE ${MESSAGE_KEY_THREAD} = $1 AND id = $2 AND org_id = $3 AND user_id = $4
    AND EXISTS (SELECT 1 FROM thread) RETURNING 1
)
UPDATE ${t.threads} SET message_count = message_count - 1, updated_at = greatest(${NOW}, updated_at)
WHERE id = $1 AND EXISTS (SELECT 1 FROM removed)
RETURNING 1 AS removed`),
    search: search(''),
    searchThread: search('AND m.thread_id = (SELECT $4::text)'),
  };
}

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
  /** `$1` thread, `$2` message, `$3` org, `$4` user, `$5` content or null, `$6` metadata or null. */
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
  const search = (threadFilter: string): LimitedStatement =>
    limitedStatement(
      (limit) => `SELECT ${messageColumns('m')}
FROM ${t.messages} m, websearch_to_tsquery('simple', $3) AS q
WHERE m.org_id = $1 AND m.user_id = $2 ${threadFilter} AND m.search_vector @@ q
ORDER BY ts_rank(m.search_vector, q) DESC, m.created_at DESC, m.seq DESC, m.thread_id DESC
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
    // The thread row is bumped (and locked) only when the message exists; the edit then stamps edited_at with
    // the thread's new updated_at, as the contract's time rules ask.
    edit: statement(`WITH touched AS (
  UPDATE ${t.threads} SET updated_at = greatest(${NOW}, updated_at)
  WHERE id = $1 AND org_id = $3 AND user_id = $4
    AND EXISTS (SELECT 1 FROM ${t.messages} WHERE ${MESSAGE_KEY_THREAD} = $1 AND id = $2)
  RETURNING updated_at
)
UPDATE ${t.messages} SET
  content = coalesce($5::jsonb, content),
  metadata = coalesce($6::jsonb, metadata),
  edited_at = (SELECT updated_at FROM touched)
WHERE ${MESSAGE_KEY_THREAD} = $1 AND id = $2 AND EXISTS (SELECT 1 FROM touched)
RETURNING ${messageColumns()}`),
    // Deleting the message row serialises racing deletes of it; the thread UPDATE then sees the latest row.
    remove: statement(`WITH removed AS (
  DELETE FROM ${t.messages} WHERE ${MESSAGE_KEY_THREAD} = $1 AND id = $2 AND org_id = $3 AND user_id = $4 RETURNING 1
)
UPDATE ${t.threads} SET message_count = message_count - 1, updated_at = greatest(${NOW}, updated_at)
WHERE id = $1 AND EXISTS (SELECT 1 FROM removed)
RETURNING 1 AS removed`),
    search: search(''),
    searchThread: search('AND m.thread_id = $4'),
  };
}

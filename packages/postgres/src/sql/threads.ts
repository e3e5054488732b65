import type { LimitedStatement, Statement } from '../connection.js';
import { limitedStatement, statement } from '../connection.js';
import { MESSAGE_COLUMN_NAMES, THREAD_COLUMNS, THREAD_SELECT } from './columns.js';
import type { QualifiedTables } from '../schema.js';
import { compactJsonBytes, metadataFilter, metadataMatches } from './metadata.js';
import { NOW } from './time.js';

/** The thread statements (each one round trip unless noted). Scope is part of every `WHERE`. */
export interface ThreadStatements {
  /** `$1` id, `$2` org, `$3` user, `$4` name, `$5` metadata: the new row, or none when the id is taken. */
  create: Statement;
  /** `$1` id, `$2` org, `$3` user. */
  get: Statement;
  /** `$1` org, `$2` user: newest activity first, by the per-user index. */
  listUser: LimitedStatement;
  /** As `listUser`, after the cursor `$3` updated_at, `$4` id. */
  listUserAfter: LimitedStatement;
  /** `$1` org: by the per-organisation index. */
  listOrg: LimitedStatement;
  /** As `listOrg`, after the cursor `$2` updated_at, `$3` id. */
  listOrgAfter: LimitedStatement;
  /** `$1` org, `$2` user, `$3` metadata filter: by the GIN index `fluxibly_threads_metadata`. */
  listUserByMetadata: LimitedStatement;
  /** As `listUserByMetadata`, after the cursor `$4` updated_at, `$5` id. */
  listUserByMetadataAfter: LimitedStatement;
  /** `$1` org, `$2` metadata filter: by the same index. */
  listOrgByMetadata: LimitedStatement;
  /** As `listOrgByMetadata`, after the cursor `$3` updated_at, `$4` id. */
  listOrgByMetadataAfter: LimitedStatement;
  /**
   * `$1` id, `$2` org, `$3` user, `$4` name or null, `$5` metadata or null, `$6` patch's `set` or null, `$7` patch's
   * `remove` (text[]) or null, `$8` `expectedMetadata` or null, `$9` the metadata byte limit. Locks the thread row
   * first, so the check and the merge see its latest version. No row: not found; else `matches`, `merged_bytes`
   * and the updated thread (its columns null when nothing was written).
   */
  update: Statement;
  /**
   * `$1` id, `$2` org, `$3` user, `$4` afterSeq, `$5` `expectedLastSeq` or null, `$6` `expectedMessageCount` or
   * null. No row: not found; else `last_seq`, `message_count`, `summary_seq`, `tail_count` (in the snapshot) and
   * `done` (the thread row was written).
   */
  truncate: Statement;
  /** In a transaction: delete the thread row (locks it); `$1` id, `$2` org, `$3` user. */
  deleteThread: Statement;
  /** In the same transaction: delete its messages; `$1` id. */
  deleteMessages: Statement;
  /** `$1` id, `$2` org, `$3` user: remove the messages, keep the thread; returns `removed`. */
  clear: Statement;
  /**
   * `$1` source id, `$2` org, `$3` user, `$4` atSeq or null, `$5` new id, `$6` name or null, `$7` metadata or null.
   * One statement: the new thread and its copied messages come from one snapshot of the source.
   */
  fork: Statement;
}

/** The message columns a fork copies: every column but the generated `search_vector` (`thread_id` first). */
const FORK_COLUMNS = [...MESSAGE_COLUMN_NAMES, 'org_id', 'user_id'];

/** {@link ThreadStatements} for the tables `t`. */
export function threadStatements(t: QualifiedTables): ThreadStatements {
  // `t.` everywhere: THREAD_SELECT's aliases would otherwise shadow the columns in ORDER BY (and defeat the index).
  const listAfter = `AND (t.updated_at, t.id) < ($CURSOR_AT::timestamptz, $CURSOR_ID::text COLLATE "C")`;
  const byUser = `SELECT ${THREAD_SELECT} FROM ${t.threads} AS t WHERE t.org_id = $1 AND t.user_id = $2`;
  const byOrg = `SELECT ${THREAD_SELECT} FROM ${t.threads} AS t WHERE t.org_id = $1`;
  const order = 'ORDER BY t.updated_at DESC, t.id DESC';
  // A listing by metadata finds the tenant's matching threads through the GIN index, then sorts them (top-N). The
  // `OFFSET 0` sub-select is a planner fence: without it the planner may walk the by-user/by-org btree in activity
  // order and filter every thread (its estimate of a jsonb `@>` is a guess, 1% for a generic plan), a cost bounded
  // only by the tenant's threads, not its matching ones.
  const byMetadata = (tenant: string, filter: string, after: string): string =>
    `SELECT ${THREAD_SELECT} FROM (SELECT * FROM ${t.threads} AS t WHERE ${tenant}
  AND ${metadataFilter('t.metadata', `${filter}::jsonb`)} ${after} OFFSET 0) AS t`;
  const user = 't.org_id = $1 AND t.user_id = $2';
  return {
    create: statement(`INSERT INTO ${t.threads} (${THREAD_COLUMNS})
VALUES ($1, $2, $3, $4, $5::jsonb, ${NOW}, ${NOW}, 0, 0, NULL, NULL, NULL)
ON CONFLICT (id) DO NOTHING RETURNING ${THREAD_SELECT}`),
    get: statement(`SELECT ${THREAD_SELECT} FROM ${t.threads} WHERE id = $1 AND org_id = $2 AND user_id = $3`),
    listUser: limitedStatement((limit) => `${byUser} ${order} LIMIT ${limit}`),
    listUserAfter: limitedStatement(
      (limit) =>
        `${byUser} ${listAfter.replace('$CURSOR_AT', '$3').replace('$CURSOR_ID', '$4')} ${order} LIMIT ${limit}`,
    ),
    listOrg: limitedStatement((limit) => `${byOrg} ${order} LIMIT ${limit}`),
    listOrgAfter: limitedStatement(
      (limit) =>
        `${byOrg} ${listAfter.replace('$CURSOR_AT', '$2').replace('$CURSOR_ID', '$3')} ${order} LIMIT ${limit}`,
    ),
    listUserByMetadata: limitedStatement((limit) => `${byMetadata(user, '$3', '')} ${order} LIMIT ${limit}`),
    listUserByMetadataAfter: limitedStatement(
      (limit) =>
        `${byMetadata(user, '$3', listAfter.replace('$CURSOR_AT', '$4').replace('$CURSOR_ID', '$5'))} ${order} LIMIT ${limit}`,
    ),
    listOrgByMetadata: limitedStatement((limit) => `${byMetadata('t.org_id = $1', '$2', '')} ${order} LIMIT ${limit}`),
    listOrgByMetadataAfter: limitedStatement(
      (limit) =>
        `${byMetadata('t.org_id = $1', '$2', listAfter.replace('$CURSOR_AT', '$3').replace('$CURSOR_ID', '$4'))} ${order} LIMIT ${limit}`,
    ),
    update: statement(`WITH locked AS (
  SELECT metadata FROM ${t.threads} WHERE id = $1 AND org_id = $2 AND user_id = $3 FOR NO KEY UPDATE
), checked AS (
  SELECT ($8::jsonb IS NULL OR ${metadataMatches('l.metadata', '$8::jsonb')}) AS matches,
    CASE WHEN $6::jsonb IS NULL THEN coalesce($5::jsonb, l.metadata)
      ELSE (l.metadata || $6::jsonb) - coalesce($7::text[], '{}'::text[]) END AS merged
  FROM locked l
), sized AS (
  SELECT matches, merged, CASE WHEN $6::jsonb IS NULL THEN 0 ELSE ${compactJsonBytes('merged')} END AS merged_bytes
  FROM checked
), updated AS (
  UPDATE ${t.threads} SET
    name = coalesce($4::text, name),
    metadata = (SELECT merged FROM sized),
    updated_at = greatest(${NOW}, updated_at)
  WHERE id = $1 AND org_id = $2 AND user_id = $3
    AND (SELECT matches AND merged_bytes <= $9::int FROM sized)
  RETURNING ${THREAD_SELECT}
)
SELECT s.matches, s.merged_bytes, u.* FROM sized s LEFT JOIN updated u ON true`),
    truncate: statement(`WITH owned AS (
  SELECT last_seq, message_count, summary_seq, xmin AS version FROM ${t.threads}
  WHERE id = $1 AND org_id = $2 AND user_id = $3
), tail AS (
  SELECT count(*) AS n FROM ${t.messages} WHERE thread_id = $1 AND seq > $4::bigint AND EXISTS (SELECT 1 FROM owned)
), bump AS (
  UPDATE ${t.threads} SET
    message_count = message_count - (SELECT n FROM tail),
    updated_at = CASE WHEN (SELECT n FROM tail) > 0 THEN greatest(${NOW}, updated_at) ELSE updated_at END,
    summary_seq = CASE WHEN summary_seq > $4::bigint THEN NULL ELSE summary_seq END
  WHERE id = $1 AND org_id = $2 AND user_id = $3 AND xmin = (SELECT version FROM owned)
    AND $4::bigint <= last_seq AND ($5::bigint IS NULL OR last_seq = $5::bigint)
    AND ($6::bigint IS NULL OR message_count = $6::bigint)
    AND ((SELECT n FROM tail) > 0 OR summary_seq > $4::bigint)
  RETURNING 1
), removed AS (
  DELETE FROM ${t.messages} WHERE thread_id = $1 AND seq > $4::bigint AND EXISTS (SELECT 1 FROM bump)
)
SELECT o.last_seq, o.message_count, o.summary_seq, (SELECT n FROM tail) AS tail_count, EXISTS (SELECT 1 FROM bump) AS done
FROM owned o`),
    deleteThread: statement(`DELETE FROM ${t.threads} WHERE id = $1 AND org_id = $2 AND user_id = $3 RETURNING id`),
    deleteMessages: statement(`DELETE FROM ${t.messages} WHERE thread_id = $1`),
    // The UPDATE waits for (and then sees) any append in flight; the DELETE removes what this snapshot sees.
    // An append that committed after the snapshot keeps its messages and its count: it is ordered after the clear.
    // The thread row is locked first (one lock order for every write to a thread's messages: no deadlocks).
    clear: statement(`WITH owned AS (
  SELECT id FROM ${t.threads} WHERE id = $1 AND org_id = $2 AND user_id = $3 FOR NO KEY UPDATE
), removed AS (
  DELETE FROM ${t.messages} WHERE thread_id = $1 AND EXISTS (SELECT 1 FROM owned) RETURNING 1
), counted AS (
  SELECT count(*) AS n FROM removed
)
UPDATE ${t.threads} SET message_count = message_count - (SELECT n FROM counted), updated_at = greatest(${NOW}, updated_at),
  summary_seq = NULL
WHERE id = $1 AND org_id = $2 AND user_id = $3
RETURNING (SELECT n FROM counted) AS removed`),
    fork: statement(`WITH source AS (
  SELECT id, org_id, user_id, name, metadata, last_seq, summary_seq, coalesce($4::bigint, last_seq) AS at_seq
  FROM ${t.threads} WHERE id = $1 AND org_id = $2 AND user_id = $3
), created AS (
  INSERT INTO ${t.threads} (${THREAD_COLUMNS})
  SELECT $5, s.org_id, s.user_id, coalesce($6::text, s.name), coalesce($7::jsonb, s.metadata), ${NOW}, ${NOW}, s.at_seq,
    (SELECT count(*) FROM ${t.messages} m WHERE m.thread_id = $1 AND m.seq <= s.at_seq), s.id, s.at_seq,
    CASE WHEN s.summary_seq <= s.at_seq THEN s.summary_seq END
  FROM source s WHERE s.at_seq <= s.last_seq
  ON CONFLICT (id) DO NOTHING
  RETURNING ${THREAD_SELECT}
), copied AS (
  INSERT INTO ${t.messages} (${FORK_COLUMNS.join(', ')})
  SELECT c.id, ${FORK_COLUMNS.slice(1)
    .map((column) => `m.${column}`)
    .join(', ')}
  FROM created c JOIN ${t.messages} m ON m.thread_id = $1 AND m.seq <= c.parent_seq
)
SELECT s.last_seq AS source_last_seq, s.at_seq, c.*
FROM source s LEFT JOIN created c ON true`),
  };
}

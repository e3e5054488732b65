import type { LimitedStatement, Statement } from '../connection.js';
import { limitedStatement, statement } from '../connection.js';
import { THREAD_COLUMNS, THREAD_SELECT } from './columns.js';
import type { QualifiedTables } from '../schema.js';
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
  /** `$1` id, `$2` org, `$3` user, `$4` name or null, `$5` metadata or null. */
  update: Statement;
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

/** {@link ThreadStatements} for the tables `t`. */
export function threadStatements(t: QualifiedTables): ThreadStatements {
  // `t.` everywhere: THREAD_SELECT's aliases would otherwise shadow the columns in ORDER BY (and defeat the index).
  const listAfter = `AND (t.updated_at, t.id) < ($CURSOR_AT::timestamptz, $CURSOR_ID::text COLLATE "C")`;
  const byUser = `SELECT ${THREAD_SELECT} FROM ${t.threads} AS t WHERE t.org_id = $1 AND t.user_id = $2`;
  const byOrg = `SELECT ${THREAD_SELECT} FROM ${t.threads} AS t WHERE t.org_id = $1`;
  const order = 'ORDER BY t.updated_at DESC, t.id DESC';
  return {
    create: statement(`INSERT INTO ${t.threads} (${THREAD_COLUMNS})
VALUES ($1, $2, $3, $4, $5::jsonb, ${NOW}, ${NOW}, 0, 0, NULL, NULL)
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
    update: statement(`UPDATE ${t.threads} SET
  name = coalesce($4::text, name),
  metadata = coalesce($5::jsonb, metadata),
  updated_at = greatest(${NOW}, updated_at)
WHERE id = $1 AND org_id = $2 AND user_id = $3
RETURNING ${THREAD_SELECT}`),
    deleteThread: statement(`DELETE FROM ${t.threads} WHERE id = $1 AND org_id = $2 AND user_id = $3 RETURNING id`),
    deleteMessages: statement(`DELETE FROM ${t.messages} WHERE thread_id = $1`),
    // The UPDATE waits for (and then sees) any append in flight; the DELETE removes what this snapshot sees.
    // An append that committed after the snapshot keeps its messages and its count: it is ordered after the clear.
    clear: statement(`WITH owned AS (
  SELECT id FROM ${t.threads} WHERE id = $1 AND org_id = $2 AND user_id = $3
), removed AS (
  DELETE FROM ${t.messages} WHERE thread_id = $1 AND EXISTS (SELECT 1 FROM owned) RETURNING 1
), counted AS (
  SELECT count(*) AS n FROM removed
)
UPDATE ${t.threads} SET message_count = message_count - (SELECT n FROM counted), updated_at = greatest(${NOW}, updated_at)
WHERE id = $1 AND org_id = $2 AND user_id = $3
RETURNING (SELECT n FROM counted) AS removed`),
    fork: statement(`WITH source AS (
  SELECT id, org_id, user_id, name, metadata, last_seq, coalesce($4::bigint, last_seq) AS at_seq
  FROM ${t.threads} WHERE id = $1 AND org_id = $2 AND user_id = $3
), created AS (
  INSERT INTO ${t.threads} (${THREAD_COLUMNS})
  SELECT $5, s.org_id, s.user_id, coalesce($6::text, s.name), coalesce($7::jsonb, s.metadata), ${NOW}, ${NOW}, s.at_seq,
    (SELECT count(*) FROM ${t.messages} m WHERE m.thread_id = $1 AND m.seq <= s.at_seq), s.id, s.at_seq
  FROM source s WHERE s.at_seq <= s.last_seq
  ON CONFLICT (id) DO NOTHING
  RETURNING ${THREAD_SELECT}
), copied AS (
  INSERT INTO ${t.messages} (thread_id, seq, id, org_id, user_id, role, content, name, tool_call_id, metadata, created_at, edited_at)
  SELECT c.id, m.seq, m.id, m.org_id, m.user_id, m.role, m.content, m.name, m.tool_call_id, m.metadata, m.created_at, m.edited_at
  FROM created c JOIN ${t.messages} m ON m.thread_id = $1 AND m.seq <= c.parent_seq
)
SELECT s.last_seq AS source_last_seq, s.at_seq, c.*
FROM source s LEFT JOIN created c ON true`),
  };
}

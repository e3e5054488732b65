import { TABLES as T } from '../schema.js';
import { THREAD_COLUMNS } from './columns.js';

/**
 * The thread statements, with named parameters. Scope (`@org`, `@user`) is part of every `WHERE`; writes run inside
 * the caller's `BEGIN IMMEDIATE` transaction (`connection.ts`), so a read-then-write there is atomic.
 */
const byUser = `SELECT ${THREAD_COLUMNS} FROM ${T.threads} WHERE org_id = @org AND user_id = @user`;
const byOrg = `SELECT ${THREAD_COLUMNS} FROM ${T.threads} WHERE org_id = @org`;
const afterCursor = 'AND (updated_at, id) < (@at, @cursorId)';
const order = 'ORDER BY updated_at DESC, id DESC LIMIT @limit';

/** One thread of a listing as a JSON array, in {@link THREAD_COLUMNS} order (`ThreadTuple` in `codec.ts`). */
const THREAD_TUPLE = [
  'json_quote(id)',
  'json_quote(org_id)',
  'json_quote(user_id)',
  'json_quote(name)',
  'metadata',
  'created_at',
  'updated_at',
  'last_seq',
  'message_count',
  'json_quote(parent_thread_id)',
  'json_quote(parent_seq)',
  'json_quote(summary_seq)',
].join(" || ',' || ");

/**
 * A listing statement: `@org` (and `@user` unless `org`), after the cursor `@at`/`@cursorId` when `cursor`, with
 * `filters` metadata conditions on `@path0`/`@value0`… (`metadata -> path` is the value's JSON text, compared with the
 * filter value's: strict JSON equality, `1` ≠ `"1"`). Read on the listing index, newest activity first; the page
 * travels as one JSON text (as message pages do: see `pageJson`), `NULL` when empty.
 */
export function listThreads(options: { org: boolean; cursor: boolean; filters: number }): string {
  const conditions: string[] = [];
  if (options.cursor) conditions.push(afterCursor);
  for (let i = 0; i < options.filters; i++) conditions.push(`AND metadata -> @path${i} = @value${i}`);
  const scan = `(${options.org ? byOrg : byUser} ${conditions.join(' ')} ${order})`;
  return `SELECT '[' || group_concat('[' || ${THREAD_TUPLE} || ']', ',' ORDER BY updated_at DESC, id DESC) || ']' AS page
FROM ${scan}`;
}

export const THREAD_SQL = {
  insert: `INSERT INTO ${T.threads} (${THREAD_COLUMNS})
VALUES (@id, @org, @user, @name, @metadata, @now, @now, @lastSeq, @messageCount, @parentId, @parentSeq, @summarySeq)`,
  get: `SELECT ${THREAD_COLUMNS} FROM ${T.threads} WHERE id = @id AND org_id = @org AND user_id = @user`,
  exists: `SELECT 1 FROM ${T.threads} WHERE id = @id`,
  /** Set name and metadata; `updated_at` never goes back. */
  update: `UPDATE ${T.threads} SET name = @name, metadata = @metadata, updated_at = max(@now, updated_at)
WHERE id = @id RETURNING ${THREAD_COLUMNS}`,
  /** After messages were written or removed: the counters, the summary and `updated_at`. */
  afterWrite: `UPDATE ${T.threads} SET last_seq = @lastSeq, message_count = @messageCount, summary_seq = @summarySeq,
  updated_at = max(@now, updated_at)
WHERE id = @id RETURNING updated_at`,
  /** Only the summary pointer (a truncation that removed nothing). */
  setSummary: `UPDATE ${T.threads} SET summary_seq = @summarySeq WHERE id = @id`,
  touch: `UPDATE ${T.threads} SET updated_at = max(@now, updated_at) WHERE id = @id RETURNING updated_at`,
  delete: `DELETE FROM ${T.threads} WHERE id = @id`,
  /** Up to `@limit` threads of a user (`fluxibly_threads_by_user`), least recently active first. */
  userBatch: `SELECT ${THREAD_COLUMNS} FROM ${T.threads} WHERE org_id = @org AND user_id = @user
ORDER BY updated_at, id LIMIT @limit`,
  /** Up to `@limit` threads of an organisation (`fluxibly_threads_by_org`), least recently active first. */
  orgBatch: `SELECT ${THREAD_COLUMNS} FROM ${T.threads} WHERE org_id = @org ORDER BY updated_at, id LIMIT @limit`,
  /** Up to `@limit` threads of an organisation inactive since before `@before`, oldest first. */
  orgInactive: `SELECT ${THREAD_COLUMNS} FROM ${T.threads} WHERE org_id = @org AND updated_at < @before
ORDER BY updated_at, id LIMIT @limit`,
  /** Up to `@limit` threads of any organisation inactive since before `@before` (`fluxibly_threads_by_activity`). */
  allInactive: `SELECT ${THREAD_COLUMNS} FROM ${T.threads} WHERE updated_at < @before
ORDER BY updated_at, id LIMIT @limit`,
  /** Give the thread to `@user`, moving `updated_at`. */
  transfer: `UPDATE ${T.threads} SET user_id = @user, updated_at = max(@now, updated_at) WHERE id = @id
RETURNING ${THREAD_COLUMNS}`,
  /** A thread as exported: every column as given, no messages yet. */
  import: `INSERT INTO ${T.threads} (${THREAD_COLUMNS})
VALUES (@id, @org, @user, @name, @metadata, @createdAt, @updatedAt, @lastSeq, 0, @parentId, @parentSeq, @summarySeq)`,
  /** Count imported messages in. */
  addMessages: `UPDATE ${T.threads} SET message_count = message_count + @added WHERE id = @id`,
} as const;

import { TABLES as T } from '../schema.js';
import { MESSAGE_STORED_COLUMNS, messageColumns, pageJson } from './columns.js';

/**
 * The message statements, with named parameters. A page is one statement: the thread row (the scope check) with an
 * index range scan of `(thread_id, seq)` as a sub-select, so it is one snapshot and reading the newest N never
 * counts or sorts the thread; the page travels as one JSON text (`pageJson`). A missing or foreign thread gives no
 * row; an empty page gives `page` NULL.
 */
function page(where: string, order: 'ASC' | 'DESC', hasOlder: boolean): string {
  const older = hasOlder
    ? `, EXISTS (SELECT 1 FROM ${T.messages} WHERE thread_id = @thread AND seq <= @after) AS has_older`
    : '';
  const scan = `(SELECT * FROM ${T.messages} WHERE thread_id = @thread ${where} ORDER BY seq ${order} LIMIT @limit)`;
  return `SELECT ${pageJson(scan, order)} AS page${older}
FROM ${T.threads} WHERE id = @thread AND org_id = @org AND user_id = @user`;
}

export const MESSAGE_SQL = {
  /** Pass limit + 1: newest first. */
  newest: page('', 'DESC', false),
  newestBefore: page('AND seq < @before', 'DESC', false),
  /** Pass the limit: oldest first, with `has_older`. */
  after: page('AND seq > @after', 'ASC', true),
  afterBefore: page('AND seq > @after AND seq < @before', 'ASC', true),
  get: `SELECT ${messageColumns()} FROM ${T.messages}
WHERE thread_id = @thread AND id = @id AND org_id = @org AND user_id = @user`,
  /** Inside a write: one message of the thread by id, with its rowid (for the full-text row). */
  byId: `SELECT rowid, ${messageColumns()} FROM ${T.messages} WHERE thread_id = @thread AND id = @id`,
  /** The ids after a cut, in seq order (at most `@limit`). */
  tailIds: `SELECT id FROM ${T.messages} WHERE thread_id = @thread AND seq > @after ORDER BY seq LIMIT @limit`,
  tail: `SELECT ${messageColumns()} FROM ${T.messages} WHERE thread_id = @thread AND seq > @after ORDER BY seq`,
  insert: `INSERT INTO ${T.messages} (${MESSAGE_STORED_COLUMNS})
VALUES (@thread, @seq, @id, @org, @user, @role, @content, @name, @toolCallId, @metadata, @status, @tokenCount,
  @summaryFrom, @summaryTo, @createdAt, NULL)`,
  edit: `UPDATE ${T.messages} SET content = coalesce(@content, content), metadata = coalesce(@metadata, metadata),
  status = CASE WHEN @setStatus THEN @status ELSE status END, token_count = coalesce(@tokenCount, token_count),
  edited_at = @editedAt
WHERE rowid = @rowid RETURNING ${messageColumns()}`,
  deleteOne: `DELETE FROM ${T.messages} WHERE thread_id = @thread AND id = @id`,
  /** Removes the full-text rows too (the `fluxibly_messages_unindex` trigger). */
  deleteAfter: `DELETE FROM ${T.messages} WHERE thread_id = @thread AND seq > @after`,
  deleteAll: `DELETE FROM ${T.messages} WHERE thread_id = @thread`,
  /** A fork's copies: every message of `@source` up to `@atSeq`, into `@thread`. */
  copy: `INSERT INTO ${T.messages} (${MESSAGE_STORED_COLUMNS})
SELECT @thread, seq, id, org_id, user_id, role, content, name, tool_call_id, metadata, status, token_count,
  summary_from, summary_to, created_at, edited_at
FROM ${T.messages} WHERE thread_id = @source AND seq <= @atSeq ORDER BY seq`,
  /** The copies' rowids and content, to index them. */
  contents: `SELECT rowid, content FROM ${T.messages} WHERE thread_id = @thread`,
  /** A transfer: the messages follow their thread to `@user`. */
  transfer: `UPDATE ${T.messages} SET user_id = @user WHERE thread_id = @thread`,
  /** Inside a write: the id stored at a seq, if any. */
  idAtSeq: `SELECT id FROM ${T.messages} WHERE thread_id = @thread AND seq = @seq`,
  /** An imported message, every column as exported. */
  import: `INSERT INTO ${T.messages} (${MESSAGE_STORED_COLUMNS})
VALUES (@thread, @seq, @id, @org, @user, @role, @content, @name, @toolCallId, @metadata, @status, @tokenCount,
  @summaryFrom, @summaryTo, @createdAt, @editedAt)`,
  indexText: `INSERT INTO ${T.search} (rowid, terms) VALUES (@rowid, @terms)`,
  unindex: `DELETE FROM ${T.search} WHERE rowid = @rowid`,
  /** `@match`: the tenant-keyed terms (see `search-terms.ts`); newest first. */
  search: `SELECT ${messageColumns('m')} FROM ${T.search} s JOIN ${T.messages} m ON m.rowid = s.rowid
WHERE ${T.search} MATCH @match AND m.org_id = @org AND m.user_id = @user
ORDER BY m.created_at DESC, m.seq DESC, m.thread_id DESC LIMIT @limit`,
  searchThread: `SELECT ${messageColumns('m')} FROM ${T.search} s JOIN ${T.messages} m ON m.rowid = s.rowid
WHERE ${T.search} MATCH @match AND m.org_id = @org AND m.user_id = @user AND m.thread_id = @thread
ORDER BY m.created_at DESC, m.seq DESC, m.thread_id DESC LIMIT @limit`,
} as const;

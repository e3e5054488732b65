/** The column lists the statements select. Times are epoch milliseconds (`INTEGER`); JSON is text. */

/** The columns of a thread row, in table order (for `INSERT` column lists, `SELECT` lists and raw reads). */
export const THREAD_COLUMNS =
  'id, org_id, user_id, name, metadata, created_at, updated_at, last_seq, message_count, parent_thread_id, ' +
  'parent_seq, summary_seq';

/** The message columns a statement returns (`codec.ts` reads them), qualified by `alias` when given. */
export function messageColumns(alias?: string): string {
  const prefix = alias === undefined ? '' : `${alias}.`;
  return [
    'thread_id',
    'seq',
    'id',
    'role',
    'content',
    'name',
    'tool_call_id',
    'metadata',
    'status',
    'token_count',
    'summary_from',
    'summary_to',
    'created_at',
    'edited_at',
  ]
    .map((column) => prefix + column)
    .join(', ');
}

/** Every stored column of a message row, in table order (inserts, fork copies, raw reads). */
export const MESSAGE_STORED_COLUMNS =
  'thread_id, seq, id, org_id, user_id, role, content, name, tool_call_id, metadata, status, token_count, ' +
  'summary_from, summary_to, created_at, edited_at';

/**
 * A page of messages as ONE JSON text, built by SQLite: `[[seq, id, role, content, name, tool_call_id, metadata,
 * status, token_count, summary_from, summary_to, created_at, edited_at], …]` in `order` of `seq` (`PageTuple` in
 * `codec.ts`; the thread id is the page's own). Content and metadata are stored as JSON text and embedded as they
 * are; every other text goes through `json_quote`. One string crossing into JavaScript and one `JSON.parse` cost
 * a third of reading the same rows as objects, which matters on 50-message pages. `NULL` for no message.
 */
export function pageJson(from: string, order: 'ASC' | 'DESC'): string {
  const tuple = [
    'seq',
    'json_quote(id)',
    'json_quote(role)',
    'content',
    'json_quote(name)',
    'json_quote(tool_call_id)',
    'metadata',
    'json_quote(status)',
    'json_quote(token_count)',
    'json_quote(summary_from)',
    'json_quote(summary_to)',
    'created_at',
    'json_quote(edited_at)',
  ].join(" || ',' || ");
  return `(SELECT '[' || group_concat('[' || ${tuple} || ']', ',' ORDER BY seq ${order}) || ']' FROM ${from})`;
}

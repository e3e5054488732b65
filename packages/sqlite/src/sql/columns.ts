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

/**
 * The column lists the statements select and return. Every timestamp travels as epoch milliseconds (`float8`):
 * exact (stored values have millisecond precision) and cheaper for the driver than parsing timestamp text, which
 * matters on 50-message pages. `codec.ts` turns these rows into the contract's model.
 */

/** The columns of a thread row, in table order (for `INSERT` column lists and raw reads). */
export const THREAD_COLUMNS =
  'id, org_id, user_id, name, metadata, created_at, updated_at, last_seq, message_count, parent_thread_id, parent_seq, ' +
  'summary_seq';

/**
 * A `timestamptz` expression as epoch milliseconds (`float8`). `date_part` works in `float8`, several times
 * cheaper than `extract`'s `numeric`; `round` makes it exact, since stored times have millisecond precision (the
 * float error is below a microsecond for any year the adapter can write; checked on two million timestamps
 * over 1920–2120 against the `numeric` form).
 */
export function epochMs(expression: string): string {
  return `round(date_part('epoch', ${expression}) * 1000)`;
}

/**
 * What every thread statement returns (`SELECT` lists, `RETURNING`): the thread columns with the timestamps as
 * epoch milliseconds. The aliases shadow the column names in `ORDER BY`, so statements that order by a timestamp
 * must qualify it with a table alias.
 */
export const THREAD_SELECT =
  `id, org_id, user_id, name, metadata, ${epochMs('created_at')} AS created_at, ` +
  `${epochMs('updated_at')} AS updated_at, last_seq, message_count, parent_thread_id, parent_seq, summary_seq`;

/** The message columns every message statement returns (prefix them with a table alias through {@link messageColumns}). */
export const MESSAGE_COLUMN_NAMES = [
  'thread_id',
  'seq',
  'id',
  'role',
  'content',
  'name',
  'tool_call_id',
  'metadata',
  'created_at',
  'edited_at',
  'status',
  'token_count',
  'summary_from_seq',
  'summary_to_seq',
] as const;

/** The message columns sent as epoch milliseconds. */
const EPOCH_COLUMNS = new Set<string>(['created_at', 'edited_at']);

/** The message columns, qualified by `alias` when given. */
export function messageColumns(alias?: string): string {
  return MESSAGE_COLUMN_NAMES.map((column) => {
    const name = alias === undefined ? column : `${alias}.${column}`;
    return EPOCH_COLUMNS.has(column) ? `${epochMs(name)} AS ${column}` : name;
  }).join(', ');
}

/**
 * The contract v2 fields of a message as one JSON value: `null` when all are unset (a completed message without
 * token count or summary range: nearly every message, and every one written before migration 0004), else
 * `[status, token_count, summary_from_seq, summary_to_seq]`. One element instead of four keeps a page's JSON (and
 * its parsing) as small as before for ordinary messages.
 */
const EXTRAS =
  'CASE WHEN status IS NULL AND token_count IS NULL AND summary_from_seq IS NULL THEN NULL ' +
  'ELSE json_build_array(status, token_count, summary_from_seq, summary_to_seq) END';

/**
 * One message of a page as a JSON array (see `messages.ts`): `[seq, id, role, content, name, tool_call_id,
 * metadata, created_at, edited_at, extras]`, times in epoch milliseconds, `extras` as {@link EXTRAS}
 * (`PageTuple` in `codec.ts`). The thread id is the page's own.
 */
export const PAGE_TUPLE = `json_build_array(seq, id, role, content, name, tool_call_id, metadata, ${epochMs('created_at')}, ${epochMs('edited_at')}, ${EXTRAS})`;

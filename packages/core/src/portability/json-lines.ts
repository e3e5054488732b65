import { ValidationError } from '../errors/errors.js';
import type { ExportRecord } from './format.js';
import { DATE_FIELDS } from './format.js';
import { lineField } from './validate.js';

/**
 * Each record as one line of JSON (ending in `\n`), Dates as ISO-8601 strings: the export file format
 * (`PORTABILITY.md`). Streams.
 */
export async function* toJsonLines(
  records: AsyncIterable<ExportRecord> | Iterable<ExportRecord>,
): AsyncGenerator<string> {
  for await (const record of records) yield `${JSON.stringify(record)}\n`;
}

/**
 * Parse export lines (one record per string, as `readline` gives them; a trailing `\n` is allowed) back into
 * records, reviving the Date fields of the header, threads and messages. Blank lines are skipped. Streams.
 * Validation of the records is `importConversations`'s; this only parses.
 * @throws ValidationError naming `line N` for a line that is not a JSON object, or a Date field that is not an
 *   ISO-8601 string.
 */
export async function* parseJsonLines(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<ExportRecord> {
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ValidationError(lineField(line), 'is not valid JSON');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ValidationError(lineField(line), 'is not a JSON object');
    }
    yield reviveDates(value as Record<string, unknown>, line) as unknown as ExportRecord;
  }
}

const ISO = /^\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

function reviveDates(record: Record<string, unknown>, line: number): Record<string, unknown> {
  const fields =
    record.format !== undefined
      ? DATE_FIELDS.header
      : record.type === 'thread'
        ? DATE_FIELDS.thread
        : record.type === 'message'
          ? DATE_FIELDS.message
          : [];
  for (const field of fields) {
    const value = record[field];
    if (value === undefined) continue;
    const date = typeof value === 'string' && ISO.test(value) ? new Date(value) : undefined;
    if (date === undefined || Number.isNaN(date.getTime())) {
      throw new ValidationError(lineField(line, field), 'must be an ISO-8601 date string');
    }
    record[field] = date;
  }
  return record;
}

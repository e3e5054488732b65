import { ValidationError } from '../errors/errors.js';
import { LIMITS } from '../validation/limits.js';

/**
 * Opaque cursors. They are base64url text so callers treat them as tokens; adapters decode them with these
 * helpers so every backend accepts every other backend's cursors for the same position.
 */

const MESSAGE_PREFIX = 'm1.';
const THREAD_PREFIX = 't1.';

/** The latest time a thread cursor may name: 9999-12-31T23:59:59.999Z (every backend stores it). */
const MAX_CURSOR_TIME = 253_402_300_799_999;
// eslint-disable-next-line no-control-regex
const NOT_AN_ID = /[\u0000\uD800-\uDFFF]/u;

/** The text a cursor's payload decodes to, or `undefined` unless the payload is canonical base64url. */
function payloadText(cursor: string, prefix: string): string | undefined {
  const payload = cursor.slice(prefix.length);
  const bytes = Buffer.from(payload, 'base64url');
  if (bytes.toString('base64url') !== payload) return undefined; // garbled: characters the decoder skipped
  const text = bytes.toString('utf8');
  return Buffer.byteLength(text, 'utf8') === bytes.length ? text : undefined; // not UTF-8
}

/** Encode a message position (a `seq`). */
export function encodeMessageCursor(seq: number): string {
  return MESSAGE_PREFIX + Buffer.from(String(seq), 'utf8').toString('base64url');
}

/**
 * Decode a message cursor into its `seq`.
 * @throws ValidationError naming `field` when the cursor is not one this library made.
 */
export function decodeMessageCursor(cursor: unknown, field: string): number {
  if (typeof cursor !== 'string' || !cursor.startsWith(MESSAGE_PREFIX) || cursor.length > 64) {
    throw new ValidationError(field, 'is not a message cursor');
  }
  const text = payloadText(cursor, MESSAGE_PREFIX);
  if (text === undefined || !/^(0|[1-9]\d{0,15})$/.test(text)) {
    throw new ValidationError(field, 'is not a message cursor');
  }
  const seq = Number(text);
  if (!Number.isSafeInteger(seq)) throw new ValidationError(field, 'is not a message cursor');
  return seq;
}

/** A thread-listing position: the last thread of a page, by (`updatedAt` desc, `id` desc). */
export interface ThreadCursor {
  updatedAt: Date;
  id: string;
}

/** Encode a thread-listing position. */
export function encodeThreadCursor(position: ThreadCursor): string {
  const json = JSON.stringify([position.updatedAt.getTime(), position.id]);
  return THREAD_PREFIX + Buffer.from(json, 'utf8').toString('base64url');
}

/**
 * Decode a thread-listing cursor: a time from 1970 to the year 9999 and an id valid as an id.
 * @throws ValidationError naming `field` when the cursor is not one this library made.
 */
export function decodeThreadCursor(cursor: unknown, field: string): ThreadCursor {
  if (typeof cursor !== 'string' || !cursor.startsWith(THREAD_PREFIX) || cursor.length > 2048) {
    throw new ValidationError(field, 'is not a thread cursor');
  }
  const text = payloadText(cursor, THREAD_PREFIX);
  let parsed: unknown;
  try {
    parsed = text === undefined ? undefined : JSON.parse(text);
  } catch {
    throw new ValidationError(field, 'is not a thread cursor');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'number' ||
    !Number.isSafeInteger(parsed[0]) ||
    parsed[0] < 0 ||
    parsed[0] > MAX_CURSOR_TIME ||
    typeof parsed[1] !== 'string' ||
    parsed[1].length === 0 ||
    parsed[1].length > LIMITS.idLength ||
    NOT_AN_ID.test(parsed[1])
  ) {
    throw new ValidationError(field, 'is not a thread cursor');
  }
  return { updatedAt: new Date(parsed[0]), id: parsed[1] };
}

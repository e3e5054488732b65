import { ValidationError } from '../errors/errors.js';

/**
 * Opaque cursors. They are base64url text so callers treat them as tokens; adapters decode them with these
 * helpers so every backend accepts every other backend's cursors for the same position.
 */

const MESSAGE_PREFIX = 'm1.';
const THREAD_PREFIX = 't1.';

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
  const text = Buffer.from(cursor.slice(MESSAGE_PREFIX.length), 'base64url').toString('utf8');
  if (!/^(0|[1-9]\d{0,15})$/.test(text)) throw new ValidationError(field, 'is not a message cursor');
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
 * Decode a thread-listing cursor.
 * @throws ValidationError naming `field` when the cursor is not one this library made.
 */
export function decodeThreadCursor(cursor: unknown, field: string): ThreadCursor {
  if (typeof cursor !== 'string' || !cursor.startsWith(THREAD_PREFIX) || cursor.length > 2048) {
    throw new ValidationError(field, 'is not a thread cursor');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor.slice(THREAD_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError(field, 'is not a thread cursor');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'number' ||
    !Number.isSafeInteger(parsed[0]) ||
    typeof parsed[1] !== 'string' ||
    parsed[1].length === 0
  ) {
    throw new ValidationError(field, 'is not a thread cursor');
  }
  return { updatedAt: new Date(parsed[0]), id: parsed[1] };
}

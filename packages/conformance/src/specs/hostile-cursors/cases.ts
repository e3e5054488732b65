/** Real cursors of the fixture, from which hostile ones are made. */
export interface RealCursors {
  /** A message cursor (`olderCursor` of a real page). */
  message: string;
  /** A thread cursor (`nextCursor` of a real listing). */
  thread: string;
}

/** Which paging parameter a cursor is fed to. */
export type CursorField = 'before' | 'after' | 'cursor';

/** A cursor that is no valid position for the calls it is fed to. */
export interface HostileCursor {
  label: string;
  cursor: (real: RealCursors) => string;
  /** Only message paging (`before`/`after`) or only thread listing (`cursor`); default both. */
  only?: 'messages' | 'threads';
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
/** The prefix of a real cursor (`m1.` for `m1.MTI`): forged cursors look like the real ones. */
const prefixOf = (cursor: string): string => cursor.slice(0, cursor.indexOf('.') + 1);
const thread = (real: RealCursors, json: string): string => prefixOf(real.thread) + b64(json);
const message = (real: RealCursors, text: string): string => prefixOf(real.message) + b64(text);
const payloadOf = (cursor: string): string => cursor.slice(cursor.indexOf('.') + 1);

/** The year 10000, one millisecond past what any backend stores. */
const YEAR_10000 = Date.UTC(10000, 0, 1);

/**
 * Forged (well-formed envelopes around impossible positions), garbled, oversized and cross-kind cursors. None is
 * a position, so each must be a `ValidationError` naming its field — never an outage from the backend.
 */
export const HOSTILE_CURSORS: readonly HostileCursor[] = [
  // Forged thread positions: times outside 1970..9999, ids that are no ids.
  { label: 'thread time 2^53 - 1', cursor: (r) => thread(r, '[9007199254740991,"t"]') },
  { label: 'thread time -1', cursor: (r) => thread(r, '[-1,"t"]') },
  { label: 'thread time in the year 10000', cursor: (r) => thread(r, `[${YEAR_10000},"t"]`) },
  { label: 'thread time 1e400 (Infinity)', cursor: (r) => thread(r, '[1e400,"t"]') },
  { label: 'thread time 1.5', cursor: (r) => thread(r, '[1.5,"t"]') },
  { label: 'thread time as a date string', cursor: (r) => thread(r, '["2024-01-01T00:00:00Z","t"]') },
  { label: 'thread id with NUL', cursor: (r) => thread(r, '[0,"a\\u0000b"]') },
  { label: 'thread id a lone high surrogate', cursor: (r) => thread(r, '[0,"a\\ud800"]') },
  { label: 'thread id a lone low surrogate', cursor: (r) => thread(r, '[0,"\\udc00b"]') },
  { label: 'thread id empty', cursor: (r) => thread(r, '[0,""]') },
  { label: 'thread id of 256 characters', cursor: (r) => thread(r, JSON.stringify([0, 'i'.repeat(256)])) },
  { label: 'thread id a number', cursor: (r) => thread(r, '[0,7]') },
  { label: 'thread position with a third element', cursor: (r) => thread(r, '[0,"t",1]') },
  { label: 'thread position as an object', cursor: (r) => thread(r, '{"updatedAt":0,"id":"t"}') },
  // Forged message positions: not a seq.
  { label: 'message seq -1', cursor: (r) => message(r, '-1') },
  { label: 'message seq 2^53 + 1', cursor: (r) => message(r, '9007199254740993') },
  { label: 'message seq 1e3', cursor: (r) => message(r, '1e3') },
  { label: 'message seq with a leading zero', cursor: (r) => message(r, '01') },
  { label: 'message seq 0x10', cursor: (r) => message(r, '0x10') },
  { label: 'message seq with a space', cursor: (r) => message(r, ' 1') },
  { label: 'message seq with NUL', cursor: (r) => message(r, '1\u0000') },
  // Garbled: real cursors damaged in transit.
  { label: 'a real thread cursor, truncated', cursor: (r) => r.thread.slice(0, -1) },
  { label: 'a real message cursor, truncated to its prefix', cursor: (r) => prefixOf(r.message) },
  { label: 'a real thread cursor with padding added', cursor: (r) => `${r.thread}==` },
  { label: 'a real thread cursor with a trailing newline', cursor: (r) => `${r.thread}\n` },
  { label: 'a real message cursor with a leading space', cursor: (r) => ` ${r.message}` },
  { label: 'a real thread cursor with NUL appended', cursor: (r) => `${r.thread}\u0000` },
  { label: 'a real message cursor with a lone surrogate appended', cursor: (r) => `${r.message}\ud800` },
  { label: 'a real thread cursor, prefix doubled', cursor: (r) => prefixOf(r.thread) + r.thread },
  { label: 'a thread payload under the message prefix', cursor: (r) => prefixOf(r.message) + payloadOf(r.thread) },
  { label: 'a message payload under the thread prefix', cursor: (r) => prefixOf(r.thread) + payloadOf(r.message) },
  {
    label: 'non-UTF-8 bytes',
    cursor: (r) => prefixOf(r.thread) + Buffer.from([0xff, 0xfe, 0xc0]).toString('base64url'),
  },
  // Oversized.
  { label: '100 000 base64url characters (thread prefix)', cursor: (r) => prefixOf(r.thread) + 'A'.repeat(100_000) },
  { label: '100 000 base64url characters (message prefix)', cursor: (r) => prefixOf(r.message) + 'A'.repeat(100_000) },
  { label: 'a 1 MiB string', cursor: () => 'x'.repeat(1_048_576) },
  {
    label: 'a thread cursor whose id is 3000 characters',
    cursor: (r) => thread(r, JSON.stringify([0, 'i'.repeat(3000)])),
  },
  // Cross-kind: a real cursor of the other kind.
  { label: 'a real thread cursor', cursor: (r) => r.thread, only: 'messages' },
  { label: 'a real message cursor', cursor: (r) => r.message, only: 'threads' },
];

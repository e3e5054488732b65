import { isDeepStrictEqual } from 'node:util';

/** A check of an example program that did not hold. The program prints `✗` and its message, and exits 1. */
export class CheckFailedError extends Error {
  override readonly name = 'CheckFailedError';
}

/** Throw {@link CheckFailedError} with `what` unless `condition` holds. */
export function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new CheckFailedError(what);
}

/** Throw {@link CheckFailedError} unless `actual` deep-equals `expected`; the message shows both. */
export function expectEqual<T>(actual: unknown, expected: T, what: string): asserts actual is T {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new CheckFailedError(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** Return `value`, or throw {@link CheckFailedError} with `what` when it is `null` or `undefined`. */
export function expectPresent<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined)
    throw new CheckFailedError(`${what}: expected a value, got ${String(value)}`);
  return value;
}

/** Print a `✓` line. Call it only after the checks that back the line. */
export function ok(line: string): void {
  console.log(`✓ ${line}`);
}

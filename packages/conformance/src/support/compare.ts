import { isDeepStrictEqual } from 'node:util';

/**
 * Short comparisons for big values (pages, snapshots, seq lists): on a mismatch, one line naming the first
 * difference and the lengths, instead of vitest's full diff (one broken guarantee once printed 47,000 lines).
 */

/** A failed comparison: a short message and no `actual`/`expected`, so vitest prints no diff. */
export class ShortAssertionError extends Error {
  override readonly name = 'AssertionError';
  readonly showDiff = false;
}

/** Where two values first differ: a path like `messages[17].seq`, both values, and the outermost array lengths. */
export interface FirstDifference {
  path: string;
  actual: unknown;
  expected: unknown;
  /** Lengths of the outermost arrays on the path, `[actual, expected]`, when there is one. */
  lengths?: readonly [number, number];
}

const MAX_VALUE_CHARS = 80;

/**
 * Expect `actual` to equal `expected` with `toEqual`'s rules for plain data (own enumerable keys, `undefined`
 * properties count as absent, `Date`s by time, arrays element by element). On a mismatch, throw an
 * `AssertionError` like `what: first difference at messages[17].seq: expected 18, got 19; lengths 50 vs 50`.
 */
export function expectSame(actual: unknown, expected: unknown, what = 'value'): void {
  const difference = firstDifference(actual, expected);
  if (difference !== undefined) throw new ShortAssertionError(`${what}: ${describeDifference(difference)}`);
}

/** {@link expectSame} for a page or list of messages (`what` defaults to `page`). */
export function expectSamePage(actual: unknown, expected: unknown, what = 'page'): void {
  expectSame(actual, expected, what);
}

/** The sentence for a difference: `first difference at <path>: expected <e>, got <a>; lengths <a> vs <e>`. */
export function describeDifference(difference: FirstDifference): string {
  const where = difference.path === '' ? 'the value itself' : difference.path;
  const lengths =
    difference.lengths === undefined ? '' : `; lengths ${difference.lengths[0]} vs ${difference.lengths[1]}`;
  return `first difference at ${where}: expected ${show(difference.expected)}, got ${show(difference.actual)}${lengths}`;
}

/** The first place where `actual` and `expected` differ (depth first, in key order), or `undefined` if equal. */
export function firstDifference(actual: unknown, expected: unknown): FirstDifference | undefined {
  return walk(actual, expected, '', undefined);
}

function walk(
  actual: unknown,
  expected: unknown,
  path: string,
  lengths: readonly [number, number] | undefined,
): FirstDifference | undefined {
  const found = (a: unknown, e: unknown, at = path): FirstDifference => ({
    path: at,
    actual: a,
    expected: e,
    ...(lengths === undefined ? {} : { lengths }),
  });
  if (Object.is(actual, expected)) return undefined;
  if (actual instanceof Date || expected instanceof Date) {
    const same = actual instanceof Date && expected instanceof Date && Object.is(actual.getTime(), expected.getTime());
    return same ? undefined : found(actual, expected);
  }
  if (actual instanceof Error || expected instanceof Error) {
    const same =
      actual instanceof Error &&
      expected instanceof Error &&
      actual.name === expected.name &&
      actual.message === expected.message;
    return same ? undefined : found(actual, expected);
  }
  if (isCollection(actual) || isCollection(expected))
    return isDeepStrictEqual(actual, expected) ? undefined : found(actual, expected);
  if (Array.isArray(actual) && Array.isArray(expected)) {
    const outer = lengths ?? ([actual.length, expected.length] as const);
    for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
      const inner = walk(actual[i], expected[i], `${path}[${i}]`, outer);
      if (inner !== undefined) return inner;
    }
    if (actual.length === expected.length) return undefined;
    const i = Math.min(actual.length, expected.length);
    return { path: `${path}[${i}]`, actual: actual[i], expected: expected[i], lengths: outer };
  }
  if (isRecord(actual) && isRecord(expected) && !Array.isArray(actual) && !Array.isArray(expected)) {
    const keys = [...new Set([...definedKeys(expected), ...definedKeys(actual)])];
    for (const key of keys) {
      const inner = walk(actual[key], expected[key], path === '' ? key : `${path}.${key}`, lengths);
      if (inner !== undefined) return inner;
    }
    return undefined;
  }
  return found(actual, expected);
}

function isCollection(value: unknown): boolean {
  return value instanceof Map || value instanceof Set;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function definedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}

function show(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'undefined (absent)';
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (value instanceof Error) text = `${value.name}: ${value.message}`;
  else if (value instanceof Date) text = `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  else {
    try {
      text = JSON.stringify(value) ?? typeof value;
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} chars)` : text;
}

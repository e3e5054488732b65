import { describe, expect, it } from 'vitest';
import { expectSame, expectSamePage, firstDifference } from '../src/support/compare.js';

/** The short comparison: equal data passes, a difference is one line naming where, what and the lengths. */
const page = (count: number): Array<{ id: string; seq: number; content: string; createdAt: Date }> =>
  Array.from({ length: count }, (_, i) => ({
    id: `m${i + 1}`,
    seq: i + 1,
    content: 'x'.repeat(500),
    createdAt: new Date(1_000 + i),
  }));

function messageOf(action: () => void): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  return expect.fail('expected a failure');
}

describe('expectSame / expectSamePage', () => {
  it('passes for equal data, with toEqual rules (undefined properties absent, Dates by time)', () => {
    expect(() => expectSamePage(page(50), page(50))).not.toThrow();
    expect(() => expectSame({ a: 1, b: undefined }, { a: 1 })).not.toThrow();
    expect(() => expectSame(new Date(5), new Date(5))).not.toThrow();
  });

  it('a wrong page fails with the first difference and the lengths, in one short line', () => {
    const actual = page(50);
    const broken = actual[17];
    if (broken !== undefined) broken.seq = 19;
    const message = messageOf(() => expectSamePage({ messages: actual }, { messages: page(50) }));
    expect(message).toBe('page: first difference at messages[17].seq: expected 18, got 19; lengths 50 vs 50');
  });

  it('a missing message names the first index past the shorter array', () => {
    const message = messageOf(() => expectSame(page(49), page(50), 'seqs'));
    expect(message).toMatch(/^seqs: first difference at \[49\]: expected \{"id":"m50".*; lengths 49 vs 50$/u);
    expect(message.length).toBeLessThan(250);
  });

  it('through vitest it stays short: no diff of the whole value is attached', () => {
    const error = (() => {
      try {
        expectSame(page(1000), page(999));
      } catch (caught) {
        return caught as Error & { actual?: unknown; expected?: unknown; showDiff?: boolean };
      }
      return undefined;
    })();
    expect(error?.name).toBe('AssertionError');
    expect(error?.actual).toBeUndefined();
    expect(error?.expected).toBeUndefined();
    expect(error?.showDiff).toBe(false);
  });

  it('finds differences in Dates, extra keys, Errors and Maps', () => {
    expect(firstDifference({ d: new Date(1) }, { d: new Date(2) })?.path).toBe('d');
    expect(firstDifference({ a: 1, extra: 2 }, { a: 1 })?.path).toBe('extra');
    expect(firstDifference(new Error('a'), new Error('b'))).toBeDefined();
    expect(firstDifference(new Map([[1, 2]]), new Map([[1, 3]]))).toBeDefined();
    expect(firstDifference([1, [2, 3]], [1, [2, 4]])).toMatchObject({ path: '[1][1]', lengths: [2, 2] });
  });
});

import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '@fluxibly/core/adapter';
import type { IndexKey } from '../src/store/sorted-index.js';
import { SortedIndex, compareKeys } from '../src/store/sorted-index.js';

interface Entry extends IndexKey {
  readonly id: string;
  readonly updatedAt: number;
}

const entry = (updatedAt: number, id: string): Entry => ({ updatedAt, id });
const ids = (entries: readonly Entry[]): string[] => entries.map((e) => e.id);

/** A small deterministic PRNG (mulberry32), so the randomized test is reproducible. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('compareCodePoints', () => {
  it('orders by code point, not UTF-16 code unit: an astral character sorts after U+E000–U+FFFF', () => {
    const astral = '\u{1F600}'; // 😀, a surrogate pair starting 0xD83D
    const privateUse = '\uE000';
    const replacement = '\uFFFD';
    expect(astral < privateUse).toBe(true); // what plain `<` says
    expect(compareCodePoints(astral, privateUse)).toBeGreaterThan(0);
    expect(compareCodePoints(replacement, astral)).toBeLessThan(0);
    expect(compareCodePoints('\u{10000}', '\u{10FFFF}')).toBeLessThan(0);
    expect(compareCodePoints('a\u{1F600}', 'a\uFFFF')).toBeGreaterThan(0);
  });

  it('matches sorting by UTF-8 bytes (what Postgres "C" collation, Mongo and Redis use)', () => {
    const words = [
      'b',
      'a',
      '',
      'ab',
      '\uE000',
      '\u{1F600}',
      'é',
      '\uD7FF',
      '\u{10FFFF}',
      'Z',
      'a\u{1F600}',
      'a\uFFFD',
    ];
    const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8')));
    expect([...words].sort(compareCodePoints)).toEqual(byBytes);
  });

  it('a prefix sorts first; equal strings compare 0', () => {
    expect(compareCodePoints('abc', 'abcd')).toBeLessThan(0);
    expect(compareCodePoints('abc', 'abc')).toBe(0);
  });
});

describe('SortedIndex', () => {
  it('pages newest first, ties by id descending, strictly after a position', () => {
    const index = new SortedIndex<Entry>();
    for (const e of [entry(2, 'b'), entry(1, 'z'), entry(2, 'a'), entry(3, 'a'), entry(2, 'c')]) index.insert(e);
    expect(ids(index.page(10).items)).toEqual(['a', 'c', 'b', 'a', 'z']);
    const first = index.page(2);
    expect(ids(first.items)).toEqual(['a', 'c']);
    expect(first.more).toBe(true);
    // A position equal to an entry's key excludes that entry; one between keys works too.
    expect(ids(index.page(2, { updatedAt: 2, id: 'c' }).items)).toEqual(['b', 'a']);
    expect(ids(index.page(10, { updatedAt: 2, id: 'bb' }).items)).toEqual(['b', 'a', 'z']);
    const last = index.page(3, { updatedAt: 2, id: 'c' });
    expect(ids(last.items)).toEqual(['b', 'a', 'z']);
    expect(last.more).toBe(false);
    expect(index.page(5, { updatedAt: 1, id: 'z' })).toEqual({ items: [], more: false });
    expect(ids(index.page(1, { updatedAt: 100, id: '' }).items)).toEqual(['a']);
    expect(index.page(5, { updatedAt: 0, id: 'zzz' })).toEqual({ items: [], more: false });
  });

  it('removes by identity among entries with equal keys, and reports a missing entry', () => {
    const index = new SortedIndex<Entry>();
    const [x, y] = [entry(5, 'same'), entry(5, 'same')];
    index.insert(x);
    index.insert(y);
    expect(index.remove(entry(5, 'same'))).toBe(false);
    expect(index.remove(y)).toBe(true);
    expect(index.remove(y)).toBe(false);
    expect(index.page(5).items[0]).toBe(x);
    expect(index.remove(entry(4, 'other'))).toBe(false);
    expect(index.remove(x)).toBe(true);
    expect(index.size).toBe(0);
    expect(index.page(5)).toEqual({ items: [], more: false });
    expect([...index.newestFirst()]).toEqual([]);
  });

  it('agrees with a plain sorted array over random inserts, removes and pages', () => {
    const random = prng(20250101);
    const index = new SortedIndex<Entry>();
    let model: Entry[] = [];
    const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];
    for (let step = 0; step < 3000; step++) {
      const action = random();
      if (action < 0.5 || model.length === 0) {
        const e = entry(Math.floor(random() * 20), pick(['a', 'b', 'c', '\uE000', '\u{1F600}', 'ab']) ?? 'a');
        index.insert(e);
        model.push(e);
      } else if (action < 0.8) {
        const victim = pick(model) as Entry;
        expect(index.remove(victim)).toBe(true);
        model = model.filter((e) => e !== victim);
      } else {
        const sorted = [...model].sort((a, b) => compareKeys(b, a));
        const limit = 1 + Math.floor(random() * 6);
        const position =
          random() < 0.5 ? undefined : { updatedAt: Math.floor(random() * 20), id: pick(['a', 'b', 'c']) ?? 'a' };
        const rest = position === undefined ? sorted : sorted.filter((e) => compareKeys(e, position) < 0);
        const page = index.page(limit, position);
        expect(page.items.map((e) => [e.updatedAt, e.id])).toEqual(
          rest.slice(0, limit).map((e) => [e.updatedAt, e.id]),
        );
        expect(page.more).toBe(rest.length > limit);
      }
      expect(index.size).toBe(model.length);
    }
    expect([...index.newestFirst()].map((e) => [e.updatedAt, e.id])).toEqual(
      [...model].sort((a, b) => compareKeys(b, a)).map((e) => [e.updatedAt, e.id]),
    );
  });
});

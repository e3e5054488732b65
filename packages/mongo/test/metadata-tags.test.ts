import { describe, expect, it } from 'vitest';
import { filterTags, metadataTag, metadataTags } from '../src/metadata-tags.js';

/** The tags behind listings by metadata (no server): exact JSON members, type-strict, any key. */
describe('metadataTags', () => {
  it('tags only top-level strings, numbers and booleans, as their JSON members', () => {
    expect(metadataTags({ s: 'x', n: 1.5, b: false, z: null, o: { s: 'x' }, a: ['x'] })).toEqual([
      '"s":"x"',
      '"n":1.5',
      '"b":false',
    ]);
  });

  it('is type-strict: 1, "1", true and "true" are four different tags', () => {
    const tags = [metadataTag('k', 1), metadataTag('k', '1'), metadataTag('k', true), metadataTag('k', 'true')];
    expect(new Set(tags).size).toBe(4);
  });

  it('keeps keys that are field paths, operators or quotes inside the string, unambiguous', () => {
    expect(metadataTag('a.b', 1)).toBe('"a.b":1');
    expect(metadataTag('$set', 'x')).toBe('"$set":"x"');
    expect(metadataTag('', '')).toBe('"":""');
    // A key ending in a quote and colon cannot be confused with a shorter key and a longer value.
    expect(metadataTag('a":"b', 'c')).not.toBe(metadataTag('a', 'b":"c'));
  });

  it('a filter asks for exactly the tags its threads carry', () => {
    const metadata = { plan: 'pro', seats: 3, 'x.$y': true };
    expect(filterTags(metadata)).toEqual(metadataTags(metadata));
  });
});

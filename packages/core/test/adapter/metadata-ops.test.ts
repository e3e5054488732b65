import { describe, expect, it } from 'vitest';
import { LIMITS, ValidationError } from '../../src/index.js';
import { applyMetadataPatch, isReplayedTail, metadataMatches } from '../../src/adapter/index.js';

describe('applyMetadataPatch', () => {
  it('sets and removes top-level keys on a new object', () => {
    const current = { a: 1, b: { c: 2 }, gone: 'x' };
    const merged = applyMetadataPatch(current, { set: { b: [3], d: 'new' }, remove: ['gone', 'absent'] });
    expect(merged).toEqual({ a: 1, b: [3], d: 'new' });
    expect(current).toEqual({ a: 1, b: { c: 2 }, gone: 'x' });
  });

  it('stores a __proto__ key as data, never as a prototype', () => {
    const set = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, never>;
    const merged = applyMetadataPatch({}, { set, remove: [] });
    expect(Object.keys(merged)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });

  it('refuses a merge beyond the metadata limit, naming metadataPatch', () => {
    const half = 'x'.repeat(LIMITS.metadataBytes / 2);
    const error = (() => {
      try {
        applyMetadataPatch({ a: half }, { set: { b: half }, remove: [] });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('metadataPatch');
  });
});

describe('metadataMatches', () => {
  const metadata = { s: '1', n: 1, t: true, z: null, o: { a: 1 } };
  it.each([
    [{ s: '1' }, true],
    [{ s: 1 }, false],
    [{ n: 1 }, true],
    [{ n: '1' }, false],
    [{ t: true }, true],
    [{ t: 'true' }, false],
    [{ z: null }, true],
    [{ missing: null }, true],
    [{ s: null }, false],
    [{ o: null }, false],
    [{ s: '1', n: 2 }, false],
    [{ s: '1', n: 1, t: true }, true],
    [{ toString: null }, true],
  ])('%j → %s', (expected, result) => {
    expect(metadataMatches(metadata, expected)).toBe(result);
  });
});

describe('isReplayedTail', () => {
  it('is true only for exactly the batch ids, in order', () => {
    expect(isReplayedTail(['a', 'b'], [{ id: 'a' }, { id: 'b' }])).toBe(true);
    expect(isReplayedTail(['b', 'a'], [{ id: 'a' }, { id: 'b' }])).toBe(false);
    expect(isReplayedTail(['a'], [{ id: 'a' }, { id: 'b' }])).toBe(false);
    expect(isReplayedTail(['a', 'b', 'c'], [{ id: 'a' }, { id: 'b' }])).toBe(false);
    expect(isReplayedTail([], [{ id: 'a' }])).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { decodeKeyPart, encodeKeyPart, KeySpace } from '../src/index.js';
import { validateKeyPrefix } from '../src/keys.js';

/** The key layout (no server): ids are encoded injectively, so no id can reach another key or hash tag. */
describe('keys', () => {
  const nasty = ['a', 'a:b', '{a}', 'a}{b', '*', 'a b', '🦊', 'é', 'e\u0301', ':m', '}:m', 'x'.repeat(255)];

  it('encodes every id to lowercase hex, injectively and reversibly', () => {
    const encoded = nasty.map(encodeKeyPart);
    for (const part of encoded) expect(part).toMatch(/^[0-9a-f]+$/u);
    expect(new Set(encoded).size).toBe(nasty.length);
    for (const id of nasty) expect(decodeKeyPart(encodeKeyPart(id))).toBe(id);
  });

  it('keeps code point order (what listing ties need)', () => {
    const ids = ['a', 'b', 'ab', 'é', '\uffff', '🦊', 'Z', '\u{10000}'];
    const byCodePoint = [...ids].sort((x, y) => {
      const a = [...x].map((c) => c.codePointAt(0) ?? 0);
      const b = [...y].map((c) => c.codePointAt(0) ?? 0);
      for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
      return a.length - b.length;
    });
    const byEncoding = [...ids].sort((x, y) => (encodeKeyPart(x) < encodeKeyPart(y) ? -1 : 1));
    expect(byEncoding).toEqual(byCodePoint);
  });

  it('gives all keys of a thread one hash tag, and distinct ids distinct keys', () => {
    const keys = new KeySpace('app:');
    const all = new Set<string>();
    for (const id of nasty) {
      const k = keys.thread(id);
      const tag = /\{([^}]*)\}/u.exec(k.thread)?.[1];
      expect(tag).toBe(encodeKeyPart(id));
      for (const key of [k.messages, k.ids]) expect(/\{([^}]*)\}/u.exec(key)?.[1]).toBe(tag);
      for (const key of [k.thread, k.messages, k.ids]) all.add(key);
    }
    expect(all.size).toBe(nasty.length * 3);
    expect(keys.userIndex('o', 'u:x')).not.toBe(keys.userIndex('o:u', 'x'));
  });

  it('rejects a key prefix that would move the hash tag', () => {
    expect(validateKeyPrefix(undefined)).toBe('fluxibly:');
    expect(validateKeyPrefix('tenant-a:')).toBe('tenant-a:');
    expect(() => validateKeyPrefix('{x}')).toThrow(/keyPrefix/u);
    expect(() => validateKeyPrefix(42)).toThrow(/keyPrefix/u);
  });
});

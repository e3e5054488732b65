import { describe, expect, it } from 'vitest';
import { escapeRegex, queryWords, searchableText } from '../src/search.js';

describe('search text and words', () => {
  it('escapes every regex metacharacter, so a query word only ever matches itself', () => {
    for (const word of ['a.b', '(x)', '[y]', 'c++', 'd*', '^e$', 'f|g', 'h?', '{2}', 'back\\slash', 'a/b', 'a-b']) {
      const pattern = new RegExp(escapeRegex(word), 'u');
      expect(pattern.test(`before ${word} after`), word).toBe(true);
    }
    expect(new RegExp(escapeRegex('a.b'), 'u').test('axb')).toBe(false);
    expect(new RegExp(escapeRegex('.*'), 'u').test('anything')).toBe(false);
  });

  it('normalises like the memory adapter: NFC, lower case, whitespace-separated words, text parts only', () => {
    expect(queryWords('  Tokyo,  CAFÉ\n')).toEqual(['tokyo,', 'café']);
    expect(queryWords('cafe\u0301')).toEqual(['café']);
    expect(
      searchableText([
        { type: 'text', text: 'Hello' },
        { type: 'image', url: 'x' },
        { type: 'text', text: 'WORLD' },
      ]),
    ).toBe('hello\nworld');
  });
});

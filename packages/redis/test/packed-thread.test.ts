import { describe, expect, it } from 'vitest';
import { decodePackedThread, decodeThread } from '../src/codec.js';
import type { ThreadRow } from '../src/codec.js';
import { encodeKeyPart } from '../src/keys.js';

/** The standalone listing's packed rows (no server): member and the ten fields joined by NUL. */
describe('decodePackedThread', () => {
  const row: ThreadRow = ['org', 'user', 'a name, with: commas\nand lines', '{"k":"v"}', '1', '2', '3', '', '4', ''];

  it('reads what decodeThread reads from the same fields, an empty field being absent', () => {
    const id = 'thread-é🦊';
    const packed = [encodeKeyPart(id), ...row].join('\u0000');
    expect(decodePackedThread(packed)).toEqual(decodeThread(id, row));
    expect(decodePackedThread(packed)).not.toHaveProperty('parent');
    const withParent = [encodeKeyPart(id), ...row.slice(0, 7), '{"threadId":"p","atSeq":1}', '4', '2'].join('\u0000');
    expect(decodePackedThread(withParent)).toMatchObject({ parent: { threadId: 'p', atSeq: 1 }, summarySeq: 2 });
  });

  it('refuses a row without exactly eleven parts', () => {
    expect(() => decodePackedThread(['aa', ...row, 'extra'].join('\u0000'))).toThrow(/12 parts/u);
    expect(() => decodePackedThread('aa')).toThrow(/1 parts/u);
  });
});

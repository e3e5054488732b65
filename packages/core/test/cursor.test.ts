import { fieldOf } from './support/field-of.js';
import { describe, expect, it } from 'vitest';
import {
  decodeMessageCursor,
  decodeThreadCursor,
  encodeMessageCursor,
  encodeThreadCursor,
} from '../src/adapter/index.js';

describe('message cursors', () => {
  it.each([0, 1, 42, 1_000_000, Number.MAX_SAFE_INTEGER])('round-trips seq %d', (seq) => {
    const cursor = encodeMessageCursor(seq);
    expect(cursor).toMatch(/^m1\.[A-Za-z0-9_-]+$/);
    expect(decodeMessageCursor(cursor, 'before')).toBe(seq);
  });

  it.each([
    ['not a string', 42],
    ['empty', ''],
    ['another prefix', 't1.MQ'],
    ['no payload', 'm1.'],
    ['a negative seq', `m1.${Buffer.from('-1').toString('base64url')}`],
    ['a leading zero', `m1.${Buffer.from('01').toString('base64url')}`],
    ['a fraction', `m1.${Buffer.from('1.5').toString('base64url')}`],
    ['text', `m1.${Buffer.from('abc').toString('base64url')}`],
    ['an unsafe integer', `m1.${Buffer.from('9007199254740993').toString('base64url')}`],
    ['an overlong cursor', `m1.${'A'.repeat(100)}`],
    ['an operator object', { $gt: '' }],
    ['garbled base64 (skipped characters)', `${encodeMessageCursor(5)}.`],
  ])('rejects %s, naming the field', (_, cursor) => {
    expect(fieldOf(() => decodeMessageCursor(cursor, 'after'))).toBe('after');
  });
});

describe('thread cursors', () => {
  it('round-trips a position, whatever the id holds', () => {
    const position = { updatedAt: new Date('2025-01-02T03:04:05.678Z'), id: `a "quoted":{id}*%\nline` };
    const decoded = decodeThreadCursor(encodeThreadCursor(position), 'cursor');
    expect(decoded.id).toBe(position.id);
    expect(decoded.updatedAt.getTime()).toBe(position.updatedAt.getTime());
  });

  it.each([
    ['not a string', null],
    ['a message cursor', encodeMessageCursor(3)],
    ['bad base64 JSON', 't1.!!!!'],
    ['a JSON object', `t1.${Buffer.from('{"id":"x"}').toString('base64url')}`],
    ['a wrong tuple', `t1.${Buffer.from('[1,2,3]').toString('base64url')}`],
    ['an empty id', `t1.${Buffer.from('[1,""]').toString('base64url')}`],
    ['a fractional time', `t1.${Buffer.from('[1.5,"x"]').toString('base64url')}`],
    ['a time past JavaScript dates', `t1.${Buffer.from('[9007199254740991,"x"]').toString('base64url')}`],
    ['a time past the year 9999', `t1.${Buffer.from('[253402300800000,"x"]').toString('base64url')}`],
    ['a time before 1970', `t1.${Buffer.from('[-1,"x"]').toString('base64url')}`],
    ['a NUL in the id', `t1.${Buffer.from(JSON.stringify([1, 'a\u0000b'])).toString('base64url')}`],
    ['a lone surrogate in the id', `t1.${Buffer.from(JSON.stringify([1, 'a\ud800'])).toString('base64url')}`],
    ['an id longer than ids may be', `t1.${Buffer.from(JSON.stringify([1, 'x'.repeat(256)])).toString('base64url')}`],
    ['garbled base64 (skipped characters)', `${encodeThreadCursor({ updatedAt: new Date(1), id: 'x' })}*`],
    ['bytes that are not UTF-8', `t1.${Buffer.from([0x5b, 0x31, 0x2c, 0x22, 0xff, 0x22, 0x5d]).toString('base64url')}`],
  ])('rejects %s, naming the field', (_, cursor) => {
    expect(fieldOf(() => decodeThreadCursor(cursor, 'cursor'))).toBe('cursor');
  });
});

describe('thread cursors at the edges', () => {
  it('round-trips the latest allowed time and an id of 255 characters', () => {
    const position = { updatedAt: new Date(253_402_300_799_999), id: 'é'.repeat(255) };
    const decoded = decodeThreadCursor(encodeThreadCursor(position), 'cursor');
    expect(decoded).toEqual(position);
  });
});

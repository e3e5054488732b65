import { randomUUID } from 'node:crypto';
import { ValidationError } from '@fluxibly/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConversationRepository } from '../src/index.js';
import { cursorScore } from '../src/listing.js';
import { removePrefix, runPrefix } from './support/redis.js';
import { requiredTargets } from './support/targets.js';
import { encodeMessageCursor, encodeThreadCursor } from '@fluxibly/core/adapter';

/**
 * Hostile thread cursors are bad input, not outages: a forged `updatedAt` of 9007199254740991 once reached Redis
 * as `ERR value is not a valid float` (UNAVAILABLE). Every forged, garbled or foreign cursor is a `ValidationError`
 * naming `cursor` on both listings; every time a cursor may hold (1970 to 9999) is a score Redis accepts.
 */
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A thread cursor with any payload, built the way the library builds one (base64url JSON after `t1.`). */
function forged(payload: unknown): string {
  return `t1.${Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url')}`;
}

const HOSTILE: [string, unknown][] = [
  ['updatedAt 2^53 - 1', forged([9_007_199_254_740_991, 'x'])],
  ['updatedAt after the year 9999', forged([MAX_TIME + 1, 'x'])],
  ['updatedAt 1e21 (exponent form)', forged([1e21, 'x'])],
  ['negative updatedAt', forged([-1, 'x'])],
  ['fractional updatedAt', forged([1.5, 'x'])],
  ['updatedAt as a string', forged(['inf', 'x'])],
  ['NUL in the id', forged([0, 'a\u0000b'])],
  ['a lone surrogate in the id', forged([0, 'a\uD800'])],
  ['an empty id', forged([0, ''])],
  ['an id over 255 characters', forged([0, 'x'.repeat(256)])],
  ['three elements', forged([0, 'x', 'y'])],
  ['garbled base64', 't1.!!!not-base64!!!'],
  ['not JSON', `t1.${Buffer.from('[1,', 'utf8').toString('base64url')}`],
  ['a message cursor', encodeMessageCursor(3)],
  ['oversized', forged([0, 'x'.repeat(3000)])],
  ['not a string', 42],
];

describe('cursorScore', () => {
  it('writes every time a cursor may hold as plain decimal digits that read back exactly', () => {
    const times = [0, 1, 999, MAX_TIME, Date.UTC(2026, 0, 1)];
    for (let bits = 1; 2 ** bits <= MAX_TIME; bits++) times.push(2 ** bits - 1, 2 ** bits);
    for (let i = 0; i < 1000; i++) times.push(Math.floor(Math.random() * (MAX_TIME + 1)));
    for (const time of times) {
      const score = cursorScore(new Date(time));
      expect(score).toMatch(/^(0|[1-9]\d{0,14})$/u);
      expect(Number(score)).toBe(time);
    }
  });

  it('refuses a time that is no valid position', () => {
    for (const time of [Number.NaN, -1]) {
      expect(() => cursorScore(new Date(time))).toThrow(expect.objectContaining({ field: 'cursor' }) as Error);
    }
  });
});

const targets = await requiredTargets('hostile cursors');

for (const target of targets) {
  describe(`hostile thread cursors (${target.label})`, () => {
    const keyPrefix = runPrefix('cursors');
    const scope = { orgId: `cursors-${randomUUID()}`, userId: 'u' };
    let repository: RedisConversationRepository;
    beforeAll(async () => {
      repository = new RedisConversationRepository({ ...target.connection, keyPrefix });
      for (let i = 0; i < 3; i++) await repository.createThread(scope);
    });
    afterAll(async () => {
      await repository.close();
      const admin = target.admin();
      await removePrefix(admin, keyPrefix);
      await admin.quit();
    });

    it.each(HOSTILE)('%s: a ValidationError naming cursor on listThreads and listOrgThreads', async (_, cursor) => {
      const input = { cursor } as { cursor: string };
      for (const call of [repository.listThreads(scope, input), repository.listOrgThreads(scope, input)]) {
        const error = await call.then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(ValidationError);
        expect(error).toMatchObject({ field: 'cursor' });
      }
    });

    it('cursors at the first and last time a cursor may hold page without error', async () => {
      const all = (await repository.listThreads(scope)).threads;
      expect(all).toHaveLength(3);
      const last = encodeThreadCursor({ updatedAt: new Date(MAX_TIME), id: '\u{10FFFF}' });
      expect((await repository.listThreads(scope, { cursor: last })).threads).toEqual(all);
      expect((await repository.listOrgThreads(scope, { cursor: last })).threads).toEqual(all);
      const first = encodeThreadCursor({ updatedAt: new Date(0), id: '\u0001' });
      expect((await repository.listThreads(scope, { cursor: first })).threads).toEqual([]);
      expect((await repository.listOrgThreads(scope, { cursor: first })).threads).toEqual([]);
    });
  });
}

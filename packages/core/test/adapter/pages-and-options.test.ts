import { describe, expect, it } from 'vitest';
import {
  OptionReader,
  buildMessagePage,
  buildThreadPage,
  compareCodePoints,
  decodeMessageCursor,
  decodeThreadCursor,
  fromNewestFirst,
} from '../../src/adapter/index.js';
import type { ChatMessage, ChatThread } from '../../src/index.js';
import { ValidationError } from '../../src/index.js';
import { fieldOf } from '../support/field-of.js';

const message = (seq: number): ChatMessage => ({
  id: `m${seq}`,
  threadId: 't',
  seq,
  role: 'user',
  content: 'x',
  status: 'completed',
  metadata: {},
  createdAt: new Date(seq),
});
const request = { threadId: 't', limit: 2, order: 'asc' as const };

describe('message pages', () => {
  it('newest first with one extra row: oldest first, olderCursor set, desc reverses', () => {
    const stored = fromNewestFirst([5, 4, 3], 2, message);
    expect(stored.messages.map((m) => m.seq)).toEqual([4, 5]);
    const page = buildMessagePage(stored, request);
    expect(decodeMessageCursor(page.olderCursor, 'x')).toBe(4);
    expect(decodeMessageCursor(page.newerCursor, 'x')).toBe(5);
    const desc = buildMessagePage(fromNewestFirst([5, 4], 2, message), { ...request, order: 'desc' });
    expect(desc.messages.map((m) => m.seq)).toEqual([5, 4]);
    expect(desc.olderCursor).toBeNull();
  });

  it('empty pages: no cursors, except newerCursor = after', () => {
    expect(buildMessagePage({ messages: [], hasOlder: true }, request)).toEqual({
      messages: [],
      olderCursor: null,
      newerCursor: null,
    });
    const after = buildMessagePage({ messages: [], hasOlder: true }, { ...request, afterSeq: 9 });
    expect(decodeMessageCursor(after.newerCursor, 'x')).toBe(9);
  });
});

describe('thread pages', () => {
  const thread = (id: string, at: number): ChatThread => ({ id, updatedAt: new Date(at) }) as unknown as ChatThread;
  it('an extra row means a next page, whose cursor is the last returned thread', () => {
    const page = buildThreadPage([thread('c', 3), thread('b', 2), thread('a', 1)], 2);
    expect(page.threads.map((t) => t.id)).toEqual(['c', 'b']);
    expect(decodeThreadCursor(page.nextCursor, 'cursor')).toEqual({ updatedAt: new Date(2), id: 'b' });
    expect(buildThreadPage([thread('c', 3)], 2).nextCursor).toBeNull();
  });
});

describe('OptionReader', () => {
  it('reads typed options with fallbacks and names the option in every error', () => {
    const reader = new OptionReader({ timeoutMs: 5, mode: 'b', flag: true, name: 'x', bad: '5' });
    expect(reader.durationMs('timeoutMs', 1)).toBe(5);
    expect(reader.durationMs('absent', 7)).toBe(7);
    expect(reader.oneOf('mode', ['a', 'b'], 'a')).toBe('b');
    expect(reader.boolean('flag', false)).toBe(true);
    expect(reader.string('name')).toBe('x');
    const field = fieldOf;
    expect(field(() => reader.durationMs('bad', 1))).toBe('bad');
    expect(field(() => reader.integer('bad', { min: 0, max: 9, fallback: 0 }))).toBe('bad');
    expect(field(() => reader.oneOf('name', ['a'], 'a'))).toBe('name');
    expect(field(() => reader.boolean('name', false))).toBe('name');
    expect(field(() => new OptionReader('url-with-secret', 'options'))).toBe('options');
    expect(field(() => new OptionReader({ timeoutMs: 2 ** 31 }).durationMs('timeoutMs', 1))).toBe('timeoutMs');
  });
});

describe('compareCodePoints', () => {
  it('orders an astral character after U+FFFF-range characters, unlike <', () => {
    const astral = '\u{1F600}';
    const high = '\uFF01';
    expect(astral < high).toBe(true);
    expect(compareCodePoints(astral, high)).toBeGreaterThan(0);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('x', 'x')).toBe(0);
  });
});

describe('OptionReader takes only a plain object', () => {
  it.each([[[]], [new Date()], [new Map()], ['url'], [null]])('%o is a ValidationError naming the options', (value) => {
    expect(() => new OptionReader(value, 'adapterOptions')).toThrow(ValidationError);
  });
});

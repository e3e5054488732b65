import type { ChatMessage, MessageContent } from '@fluxibly/core';
import { describe, expect, it } from 'vitest';
import { matches, messageText, queryWords } from '../src/store/search.js';
import { alice, bob, clockedRepository } from './support/clock.js';

describe('search tokenisation and matching', () => {
  it('splits the query on any whitespace, lower-cases it, and keeps punctuation inside words', () => {
    expect(queryWords('  Plan\ta TRIP\nto\u00A0Tokyo, ')).toEqual(['plan', 'a', 'trip', 'to', 'tokyo,']);
    expect(queryWords('ÉCOLE Straße')).toEqual(['école', 'straße']);
  });

  it('normalises to NFC, so composed and decomposed accents match each other', () => {
    const decomposed = 'cafe\u0301';
    expect(matches(`un ${decomposed} noir`, queryWords('CAFÉ'))).toBe(true);
    expect(matches('un café noir', queryWords(decomposed))).toBe(true);
  });

  it('needs every word, as a substring, ignoring case', () => {
    expect(matches('Visiting Tokyo in spring', queryWords('tok SPRING'))).toBe(true);
    expect(matches('Visiting Tokyo in spring', queryWords('tokyo autumn'))).toBe(false);
    expect(matches('Tokyo, Japan', queryWords('tokyo,'))).toBe(true);
    expect(matches('Tokyo Japan', queryWords('tokyo,'))).toBe(false);
    expect(matches('anything', [])).toBe(false);
  });

  it('reads string content and the text of text parts only, one line per part', () => {
    const parts: MessageContent = [
      { type: 'text', text: 'first part' },
      { type: 'tool-call', text: 'hidden', input: { q: 'hidden' } },
      { type: 'text', text: 'second' },
      { type: 'text', text: 42 },
      { type: 'image', url: 'http://x/first.png' },
    ];
    expect(messageText(parts)).toBe('first part\nsecond');
    expect(matches(parts, queryWords('FIRST second'))).toBe(true);
    expect(matches(parts, queryWords('hidden'))).toBe(false);
    expect(matches(parts, queryWords('png'))).toBe(false);
    // A word cannot span two parts.
    expect(matches(parts, queryWords('partsecond'))).toBe(false);
    expect(matches(parts, queryWords('part\nsecond'))).toBe(true);
  });
});

describe('searchMessages', () => {
  it('returns the newest matches first, across the caller’s threads only, capped by limit', async () => {
    const { clock, repo } = clockedRepository();
    const older = await repo.createThread(alice, { id: 'older' });
    const newer = await repo.createThread(alice, { id: 'newer' });
    const foreign = await repo.createThread(bob, { id: 'bobs' });
    const append = async (threadId: string, text: string): Promise<ChatMessage> => {
      clock.ms += 1000;
      const [m] = await repo.appendMessages(threadId === foreign.id ? bob : alice, {
        threadId,
        messages: [{ role: 'user', content: text }],
      });
      return m as ChatMessage;
    };
    const m1 = await append(older.id, 'ramen in Tokyo');
    const m2 = await append(newer.id, 'TOKYO trip');
    await append(foreign.id, 'tokyo for bob');
    const m3 = await append(older.id, 'back to tokyo');
    await append(newer.id, 'kyoto only');

    const found = await repo.searchMessages(alice, { query: 'tokyo' });
    expect(found.map((m) => m.id)).toEqual([m3.id, m2.id, m1.id]);
    expect((await repo.searchMessages(alice, { query: 'tokyo', limit: 2 })).map((m) => m.id)).toEqual([m3.id, m2.id]);
    expect((await repo.searchMessages(alice, { query: 'tokyo', threadId: older.id })).map((m) => m.id)).toEqual([
      m3.id,
      m1.id,
    ]);
    expect(await repo.searchMessages(alice, { query: 'tokyo', threadId: foreign.id })).toEqual([]);
    expect(await repo.searchMessages(alice, { query: 'tokyo', threadId: 'missing' })).toEqual([]);
  });

  it('orders matches with the same createdAt by seq, newest first', async () => {
    const { repo } = clockedRepository();
    const thread = await repo.createThread(alice);
    const stored = await repo.appendMessages(alice, {
      threadId: thread.id,
      messages: ['one word', 'two word', 'three word'].map((content) => ({ role: 'user' as const, content })),
    });
    const found = await repo.searchMessages(alice, { query: 'word' });
    expect(found.map((m) => m.seq)).toEqual([3, 2, 1]);
    expect(found.map((m) => m.id)).toEqual(stored.map((m) => m.id).reverse());
  });
});

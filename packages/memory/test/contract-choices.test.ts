import { ConflictError, NotFoundError, ValidationError } from '@fluxibly/core';
import { describe, expect, it } from 'vitest';
import { MemoryConversationRepository } from '../src/index.js';
import { alice, bob } from './support/clock.js';
import { encodeMessageCursor } from '@fluxibly/core/adapter';

/** Points the contract leaves open, pinned down by this reference implementation (see the README). */
describe('choices where the contract leaves room', () => {
  it('a deleted thread leaves no trace: its id can make a new, empty thread, and old messages stay gone', async () => {
    const repo = new MemoryConversationRepository();
    await repo.createThread(alice, { id: 't', name: 'old' });
    await repo.appendMessages(alice, { threadId: 't', messages: [{ id: 'm', role: 'user', content: 'x' }] });
    await repo.deleteThread(alice, 't');
    const again = await repo.createThread(bob, { id: 't', name: 'new' });
    expect(again).toMatchObject({ userId: 'bob', name: 'new', lastSeq: 0, messageCount: 0 });
    expect(await repo.getThread(alice, 't')).toBeNull();
    expect(await repo.getMessage(bob, { threadId: 't', messageId: 'm' })).toBeNull();
  });

  it('an empty page read with after has newerCursor = after and no olderCursor', async () => {
    const repo = new MemoryConversationRepository();
    await repo.createThread(alice, { id: 't' });
    await repo.appendMessages(alice, { threadId: 't', messages: [{ role: 'user', content: 'x' }] });
    const after = encodeMessageCursor(1);
    expect(await repo.getMessages(alice, { threadId: 't', after })).toEqual({
      messages: [],
      olderCursor: null,
      newerCursor: after,
    });
    const [next] = await repo.appendMessages(alice, { threadId: 't', messages: [{ role: 'user', content: 'y' }] });
    expect((await repo.getMessages(alice, { threadId: 't', after }))?.messages.map((m) => m.id)).toEqual([next?.id]);
  });

  it('a foreign thread is reported exactly like a missing one, without naming any tenant', async () => {
    const repo = new MemoryConversationRepository();
    await repo.createThread(alice, { id: 'mine' });
    const errors = await Promise.all([
      repo
        .appendMessages(bob, { threadId: 'mine', messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e),
      repo
        .appendMessages(bob, { threadId: 'nope', messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e),
    ]);
    expect(errors[0]).toBeInstanceOf(NotFoundError);
    expect((errors[0] as Error).message).toBe((errors[1] as Error).message);
    expect((errors[0] as Error).message).not.toMatch(/alice|bob|acme/);
    expect(await repo.searchMessages(bob, { query: 'x', threadId: 'mine' })).toEqual([]);
  });

  it('forkThread checks the source, then atSeq, then the new id', async () => {
    const repo = new MemoryConversationRepository();
    await repo.createThread(alice, { id: 'src' });
    await repo.createThread(alice, { id: 'taken' });
    const fork = (input: { threadId: string; atSeq?: number; id?: string }) =>
      repo.forkThread(alice, input).catch((e: unknown) => e);
    expect(await fork({ threadId: 'missing', atSeq: 5, id: 'taken' })).toBeInstanceOf(NotFoundError);
    expect(await fork({ threadId: 'src', atSeq: 5, id: 'taken' })).toBeInstanceOf(ValidationError);
    expect(await fork({ threadId: 'src', atSeq: 0, id: 'taken' })).toBeInstanceOf(ConflictError);
    expect(await fork({ threadId: 'src', id: 'src' })).toBeInstanceOf(ConflictError);
  });

  it('a mixed batch checks expectedLastSeq and appends only the new messages, in input order', async () => {
    const repo = new MemoryConversationRepository();
    await repo.createThread(alice, { id: 't' });
    await repo.appendMessages(alice, { threadId: 't', messages: [{ id: 'old', role: 'user', content: 'x' }] });
    const batch = [
      { id: 'new1', role: 'user' as const, content: 'a' },
      { id: 'old', role: 'user' as const, content: 'ignored' },
      { id: 'new2', role: 'user' as const, content: 'b' },
    ];
    const conflict = await repo
      .appendMessages(alice, { threadId: 't', messages: batch, expectedLastSeq: 0 })
      .catch((e: unknown) => e);
    expect(conflict).toMatchObject({ code: 'CONFLICT', expectedLastSeq: 0, actualLastSeq: 1 });
    const stored = await repo.appendMessages(alice, { threadId: 't', messages: batch, expectedLastSeq: 1 });
    expect(stored.map((m) => [m.id, m.seq, m.content])).toEqual([
      ['new1', 2, 'a'],
      ['old', 1, 'x'],
      ['new2', 3, 'b'],
    ]);
    expect(await repo.getThread(alice, 't')).toMatchObject({ lastSeq: 3, messageCount: 3 });
  });
});

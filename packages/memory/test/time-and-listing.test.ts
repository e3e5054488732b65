import { describe, expect, it } from 'vitest';
import { alice, bob, clockedRepository } from './support/clock.js';

describe('updatedAt and listing order', () => {
  it('updatedAt never goes backwards, even when the clock does', async () => {
    const { clock, repo } = clockedRepository();
    const thread = await repo.createThread(alice, { id: 't' });
    const start = thread.updatedAt.getTime();
    clock.ms -= 60_000;
    const [m] = await repo.appendMessages(alice, { threadId: 't', messages: [{ role: 'user', content: 'x' }] });
    const afterAppend = await repo.getThread(alice, 't');
    expect(afterAppend?.updatedAt.getTime()).toBe(start);
    expect(m?.createdAt.getTime(), 'messages are stamped with the thread’s updatedAt').toBe(start);

    clock.ms = start + 5_000;
    const edited = await repo.editMessage(alice, { threadId: 't', messageId: m?.id ?? '', content: 'y' });
    expect(edited.editedAt?.getTime()).toBe(start + 5_000);
    clock.ms = start - 1;
    for (const write of [
      () => repo.updateThread(alice, { threadId: 't', name: 'renamed' }),
      () => repo.appendMessages(alice, { threadId: 't', messages: [{ role: 'user', content: 'z' }] }),
      () => repo.deleteMessage(alice, { threadId: 't', messageId: m?.id ?? '' }),
      () => repo.clearThread(alice, 't'),
    ]) {
      await write();
      expect((await repo.getThread(alice, 't'))?.updatedAt.getTime()).toBe(start + 5_000);
    }
  });

  it('every write moves the thread to the front of its user’s and its organisation’s listing', async () => {
    const { clock, repo } = clockedRepository();
    for (const id of ['a', 'b', 'c']) {
      clock.ms += 1;
      await repo.createThread(alice, { id });
    }
    clock.ms += 1;
    await repo.createThread(bob, { id: 'bobs' });
    const order = async (): Promise<string[]> => (await repo.listThreads(alice)).threads.map((t) => t.id);
    const orgOrder = async (): Promise<string[]> =>
      (await repo.listOrgThreads({ orgId: alice.orgId })).threads.map((t) => t.id);
    expect(await order()).toEqual(['c', 'b', 'a']);
    expect(await orgOrder()).toEqual(['bobs', 'c', 'b', 'a']);

    const writes: Array<[string, () => Promise<unknown>]> = [
      ['a', () => repo.appendMessages(alice, { threadId: 'a', messages: [{ id: 'm', role: 'user', content: 'x' }] })],
      ['b', () => repo.updateThread(alice, { threadId: 'b' })],
      ['a', () => repo.editMessage(alice, { threadId: 'a', messageId: 'm', metadata: { k: 1 } })],
      ['c', () => repo.clearThread(alice, 'c')],
      ['a', () => repo.deleteMessage(alice, { threadId: 'a', messageId: 'm' })],
    ];
    for (const [id, write] of writes) {
      clock.ms += 1;
      await write();
      expect((await order())[0]).toBe(id);
      expect((await orgOrder())[0]).toBe(id);
    }
    expect(await order()).toEqual(['a', 'c', 'b']);
  });

  it('an idempotent retry that writes nothing does not move updatedAt', async () => {
    const { clock, repo } = clockedRepository();
    await repo.createThread(alice, { id: 't' });
    const batch = [{ id: 'm1', role: 'user' as const, content: 'x' }];
    await repo.appendMessages(alice, { threadId: 't', messages: batch });
    const before = await repo.getThread(alice, 't');
    clock.ms += 10_000;
    await repo.appendMessages(alice, { threadId: 't', messages: batch, expectedLastSeq: 0 });
    expect(await repo.getThread(alice, 't')).toEqual(before);
  });

  it('threads with the same updatedAt list by id descending in code point order, across pages', async () => {
    const { repo } = clockedRepository();
    const ids = ['a', '\uE000', '\u{1F600}', 'b', 'Z'];
    for (const id of ids) await repo.createThread(alice, { id });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repo.listThreads(alice, cursor === undefined ? { limit: 2 } : { limit: 2, cursor });
      seen.push(...page.threads.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toEqual(['\u{1F600}', '\uE000', 'b', 'a', 'Z']);
  });

  it('the last page has no nextCursor, and an empty listing is { threads: [], nextCursor: null }', async () => {
    const { repo } = clockedRepository();
    expect(await repo.listThreads(alice)).toEqual({ threads: [], nextCursor: null });
    await repo.createThread(alice, { id: 'x' });
    await repo.createThread(alice, { id: 'y' });
    const first = await repo.listThreads(alice, { limit: 1 });
    expect(first.nextCursor).not.toBeNull();
    const second = await repo.listThreads(alice, { limit: 1, cursor: first.nextCursor ?? '' });
    expect(second.threads.map((t) => t.id)).toEqual(['x']);
    expect(second.nextCursor).toBeNull();
    expect((await repo.listThreads(alice, { limit: 2 })).nextCursor).toBeNull();
  });
});

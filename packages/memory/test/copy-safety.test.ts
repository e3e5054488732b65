import type { ContentPart, JsonObject, JsonValue } from '@fluxibly/core';
import { describe, expect, it } from 'vitest';
import { MemoryConversationRepository } from '../src/index.js';
import { alice } from './support/clock.js';

/** Returned objects and inputs belong to the caller: mutating them never changes what is stored. */
describe('copy safety', () => {
  async function seeded() {
    const repo = new MemoryConversationRepository();
    const metadata: JsonObject = { nested: { list: [1, { deep: 'x' }] }, flag: false };
    const thread = await repo.createThread(alice, { name: 'original', metadata });
    const parts: ContentPart[] = [
      { type: 'text', text: 'hello' },
      { type: 'tool-call', input: { a: [1, 2] } },
    ];
    const [message] = await repo.appendMessages(alice, {
      threadId: thread.id,
      messages: [{ id: 'm1', role: 'assistant', content: parts, metadata: { tags: ['a'] } }],
    });
    if (message === undefined) throw new Error('nothing appended');
    return { repo, thread, message, metadata, parts };
  }

  it('mutating the inputs after the call changes nothing stored', async () => {
    const { repo, thread, metadata, parts } = await seeded();
    (metadata.nested as { list: unknown[] }).list.push('late');
    metadata.flag = true;
    parts[0]!.text = 'changed';
    ((parts[1]!.input as JsonObject).a as JsonValue[]).push(3);
    parts.push({ type: 'text', text: 'added' });

    expect((await repo.getThread(alice, thread.id))?.metadata).toEqual({
      nested: { list: [1, { deep: 'x' }] },
      flag: false,
    });
    expect((await repo.getMessage(alice, { threadId: thread.id, messageId: 'm1' }))?.content).toEqual([
      { type: 'text', text: 'hello' },
      { type: 'tool-call', input: { a: [1, 2] } },
    ]);
  });

  it('mutating returned threads, messages and their dates changes nothing stored', async () => {
    const { repo, thread, message } = await seeded();
    const before = await repo.getThread(alice, thread.id);
    const mutableThread = thread as unknown as { name: string; metadata: JsonObject; lastSeq: number };
    mutableThread.name = 'hacked';
    mutableThread.lastSeq = 99;
    (mutableThread.metadata.nested as { list: unknown[] }).list.length = 0;
    thread.createdAt.setTime(0);
    thread.updatedAt.setTime(0);
    const content = message.content as ContentPart[];
    content[0]!.text = 'hacked';
    content.pop();
    (message.metadata.tags as string[]).push('b');
    message.createdAt.setTime(0);

    expect(await repo.getThread(alice, thread.id)).toEqual(before);
    const stored = await repo.getMessage(alice, { threadId: thread.id, messageId: 'm1' });
    expect(stored?.content).toEqual([
      { type: 'text', text: 'hello' },
      { type: 'tool-call', input: { a: [1, 2] } },
    ]);
    expect(stored?.metadata).toEqual({ tags: ['a'] });
    expect(stored?.createdAt.getTime()).toBeGreaterThan(0);
  });

  it('every read returns fresh objects and fresh Dates', async () => {
    const { repo, thread } = await seeded();
    const [a, b] = [await repo.getThread(alice, thread.id), await repo.getThread(alice, thread.id)];
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(a?.createdAt).not.toBe(b?.createdAt);
    expect(a?.metadata).not.toBe(b?.metadata);
    const [pageA, pageB] = [
      await repo.getMessages(alice, { threadId: thread.id }),
      await repo.getMessages(alice, { threadId: thread.id }),
    ];
    expect(pageA?.messages[0]).toEqual(pageB?.messages[0]);
    expect(pageA?.messages[0]?.content).not.toBe(pageB?.messages[0]?.content);
    expect(pageA?.messages[0]?.createdAt).not.toBe(pageB?.messages[0]?.createdAt);
  });

  it('an idempotent re-append returns a copy of the stored message, not the retried input', async () => {
    const { repo, thread } = await seeded();
    const [again] = await repo.appendMessages(alice, {
      threadId: thread.id,
      messages: [{ id: 'm1', role: 'user', content: 'different' }],
    });
    expect(again?.seq).toBe(1);
    expect(again?.role).toBe('assistant');
    (again?.content as ContentPart[]).length = 0;
    expect((await repo.getMessage(alice, { threadId: thread.id, messageId: 'm1' }))?.content).toHaveLength(2);
  });

  it('a fork and its source stay independent after either is edited', async () => {
    const { repo, thread } = await seeded();
    const fork = await repo.forkThread(alice, { threadId: thread.id });
    await repo.editMessage(alice, { threadId: thread.id, messageId: 'm1', content: 'source edit' });
    await repo.editMessage(alice, { threadId: fork.id, messageId: 'm1', metadata: { fork: true } });
    const source = await repo.getMessage(alice, { threadId: thread.id, messageId: 'm1' });
    const copy = await repo.getMessage(alice, { threadId: fork.id, messageId: 'm1' });
    expect(source).toMatchObject({ content: 'source edit', metadata: { tags: ['a'] } });
    expect(copy?.content).toEqual([
      { type: 'text', text: 'hello' },
      { type: 'tool-call', input: { a: [1, 2] } },
    ]);
    expect(copy?.metadata).toEqual({ fork: true });
  });

  it('a "__proto__" key round-trips as an ordinary key and pollutes nothing', async () => {
    const repo = new MemoryConversationRepository();
    const metadata = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as JsonObject;
    const thread = await repo.createThread(alice, { metadata });
    const read = await repo.getThread(alice, thread.id);
    expect(Object.keys(read?.metadata ?? {})).toEqual(['__proto__', 'ok']);
    expect(Object.getPrototypeOf(read?.metadata)).toBe(Object.prototype);
    expect(JSON.stringify(read?.metadata)).toBe('{"__proto__":{"polluted":true},"ok":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

import type { ConversationRepository } from '@fluxibly/core';
import { FluxiblyError, UnavailableError, ValidationError, createRepository } from '@fluxibly/core';
import { describe, expect, it } from 'vitest';
import {
  MemoryConversationRepository,
  MemoryStore,
  MockConversationRepository,
  createRepositoryFromConfig,
} from '../src/index.js';
import { alice } from './support/clock.js';

describe('sharing a MemoryStore', () => {
  it('instances over one store see each other’s writes; instances with their own stores do not', async () => {
    const store = new MemoryStore();
    const first = new MemoryConversationRepository({ store });
    const second = new MemoryConversationRepository({ store });
    const loner = new MemoryConversationRepository();
    expect(first.store).toBe(store);
    expect(loner.store).not.toBe(store);

    const thread = await first.createThread(alice, { id: 't1' });
    await second.appendMessages(alice, { threadId: 't1', messages: [{ role: 'user', content: 'from second' }] });
    expect((await first.getThread(alice, 't1'))?.messageCount).toBe(1);
    expect(await loner.getThread(alice, thread.id)).toBeNull();
    await expect(second.createThread(alice, { id: 't1' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await loner.createThread(alice, { id: 't1' })).id).toBe('t1');
  });

  it('racing appends through two instances get distinct, gapless seqs', async () => {
    const store = new MemoryStore();
    const repos = [new MemoryConversationRepository({ store }), new MemoryConversationRepository({ store })];
    await repos[0]?.createThread(alice, { id: 'race' });
    const calls = Array.from({ length: 40 }, (_, i) =>
      (repos[i % 2] as ConversationRepository).appendMessages(alice, {
        threadId: 'race',
        messages: [
          { role: 'user', content: `a${i}` },
          { role: 'assistant', content: `b${i}` },
        ],
      }),
    );
    const seqs = (await Promise.all(calls)).flat().map((m) => m.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
  });

  it('MockConversationRepository is the seed’s name for the same class', () => {
    expect(MockConversationRepository).toBe(MemoryConversationRepository);
    expect(new MockConversationRepository().capabilities).toEqual({ fullTextSearch: true, ttl: false });
  });
});

describe('a closed repository', () => {
  const calls: Array<[string, (repo: MemoryConversationRepository) => Promise<unknown>]> = [
    ['createThread', (r) => r.createThread(alice)],
    ['getThread', (r) => r.getThread(alice, 't')],
    ['listThreads', (r) => r.listThreads(alice)],
    ['listOrgThreads', (r) => r.listOrgThreads({ orgId: alice.orgId })],
    ['updateThread', (r) => r.updateThread(alice, { threadId: 't', name: 'x' })],
    ['deleteThread', (r) => r.deleteThread(alice, 't')],
    ['clearThread', (r) => r.clearThread(alice, 't')],
    ['appendMessages', (r) => r.appendMessages(alice, { threadId: 't', messages: [{ role: 'user', content: 'x' }] })],
    ['getMessages', (r) => r.getMessages(alice, { threadId: 't' })],
    ['getMessage', (r) => r.getMessage(alice, { threadId: 't', messageId: 'm' })],
    ['editMessage', (r) => r.editMessage(alice, { threadId: 't', messageId: 'm', content: 'y' })],
    ['deleteMessage', (r) => r.deleteMessage(alice, { threadId: 't', messageId: 'm' })],
    ['forkThread', (r) => r.forkThread(alice, { threadId: 't' })],
    ['searchMessages', (r) => r.searchMessages(alice, { query: 'x' })],
    // Even invalid input: the closed check comes first.
    ['appendMessages with bad input', (r) => r.appendMessages(alice, { threadId: '', messages: [] })],
  ];

  it.each(calls)('%s rejects with UnavailableError("repository is closed") and writes nothing', async (_name, call) => {
    const store = new MemoryStore();
    const open = new MemoryConversationRepository({ store });
    await open.createThread(alice, { id: 't' });
    await open.appendMessages(alice, { threadId: 't', messages: [{ id: 'm', role: 'user', content: 'x' }] });
    const closed = new MemoryConversationRepository({ store });
    await closed.close();
    const error = await call(closed).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnavailableError);
    expect(FluxiblyError.is(error, 'UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toBe('repository is closed');
    // The store and the other instance are untouched.
    expect(await open.getThread(alice, 't')).toMatchObject({ name: '', lastSeq: 1, messageCount: 1 });
    expect((await open.listThreads(alice)).threads).toHaveLength(1);
  });

  it('close() is idempotent, keeps capabilities readable, and does not close other instances', async () => {
    const store = new MemoryStore();
    const a = new MemoryConversationRepository({ store });
    const b = new MemoryConversationRepository({ store });
    await a.close();
    await expect(a.close()).resolves.toBeUndefined();
    expect(a.capabilities).toEqual({ fullTextSearch: true, ttl: false });
    await expect(b.createThread(alice)).resolves.toMatchObject({ orgId: 'acme' });
  });
});

describe('createRepositoryFromConfig', () => {
  it('returns a new repository with its own store for each memory config', async () => {
    const a = await createRepositoryFromConfig({ backend: 'memory' });
    const b = await createRepositoryFromConfig({ backend: 'memory' });
    expect(a).toBeInstanceOf(MemoryConversationRepository);
    expect(a.store).not.toBe(b.store);
  });

  it('shares the MemoryStore given as adapterOptions.store', async () => {
    const store = new MemoryStore();
    const repo = await createRepositoryFromConfig({ backend: 'memory' }, { store });
    expect(repo.store).toBe(store);
  });

  it('rejects a config of another backend and a store that is not a MemoryStore, naming the field', async () => {
    const wrongBackend = await createRepositoryFromConfig({ backend: 'redis', url: 'redis://x' }).catch(
      (e: unknown) => e,
    );
    expect(wrongBackend).toBeInstanceOf(ValidationError);
    expect((wrongBackend as ValidationError).field).toBe('backend');
    const wrongStore = await createRepositoryFromConfig({ backend: 'memory' }, { store: {} }).catch((e: unknown) => e);
    expect(wrongStore).toBeInstanceOf(ValidationError);
    expect((wrongStore as ValidationError).field).toBe('store');
  });

  it('is what core’s createRepository loads for the memory backend', async () => {
    const store = new MemoryStore();
    const repo = await createRepository(
      { backend: 'memory' },
      { importModule: async () => import('../src/index.js'), adapterOptions: { store } },
    );
    expect(repo).toBeInstanceOf(MemoryConversationRepository);
    expect((repo as MemoryConversationRepository).store).toBe(store);
  });
});

import { describe, expect, it } from 'vitest';
import { MemoryConversationRepository, MemoryStore, inspectMemoryStore } from '../src/index.js';
import { alice, bob, carol } from './support/clock.js';

describe('inspectMemoryStore', () => {
  it('snapshots an organisation as JSON in a stable order: threads by id, messages by seq, both indexes', async () => {
    const store = new MemoryStore({ now: () => Date.UTC(2025, 0, 1) });
    const repo = new MemoryConversationRepository({ store });
    await repo.createThread(bob, { id: 'z', metadata: { k: [1] } });
    await repo.createThread(alice, { id: 'a', name: 'A' });
    await repo.createThread(carol, { id: 'elsewhere' });
    await repo.appendMessages(alice, {
      threadId: 'a',
      messages: [
        { id: 'm1', role: 'user', content: 'hi', name: 'Al' },
        { id: 'm2', role: 'tool', content: [{ type: 'text', text: 'ok' }], toolCallId: 'c1' },
      ],
    });
    await repo.deleteMessage(alice, { threadId: 'a', messageId: 'm1' });
    const snapshot = await inspectMemoryStore(store).snapshot('acme');
    const iso = '2025-01-01T00:00:00.000Z';
    expect(snapshot).toEqual({
      orgId: 'acme',
      threads: [
        {
          id: 'a',
          orgId: 'acme',
          userId: 'alice',
          name: 'A',
          metadata: {},
          createdAt: iso,
          updatedAt: iso,
          lastSeq: 2,
          parent: null,
          summarySeq: null,
          messages: [
            {
              id: 'm2',
              threadId: 'a',
              seq: 2,
              role: 'tool',
              content: [{ type: 'text', text: 'ok' }],
              name: null,
              toolCallId: 'c1',
              metadata: {},
              status: 'completed',
              tokenCount: null,
              summaryOf: null,
              createdAt: iso,
              editedAt: null,
            },
          ],
        },
        expect.objectContaining({ id: 'z', userId: 'bob', metadata: { k: [1] }, messages: [] }),
      ],
      orgIndex: ['z', 'a'],
      userIndexes: [
        { userId: 'alice', threads: ['a'] },
        { userId: 'bob', threads: ['z'] },
      ],
    });
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(await inspectMemoryStore(store).snapshot('nobody')).toEqual({
      orgId: 'nobody',
      threads: [],
      orgIndex: [],
      userIndexes: [],
    });
  });

  it('snapshots are detached copies, and equal again once a created thread is deleted', async () => {
    const store = new MemoryStore();
    const repo = new MemoryConversationRepository({ store });
    await repo.createThread(alice, { id: 'keep', metadata: { n: 1 } });
    const inspector = inspectMemoryStore(store);
    const before = await inspector.snapshot('acme');
    (before as { threads: Array<{ metadata: { n: number } }> }).threads[0]!.metadata.n = 2;
    expect((await repo.getThread(alice, 'keep'))?.metadata).toEqual({ n: 1 });

    const pristine = await inspector.snapshot('acme');
    await repo.createThread(bob, { id: 'temp' });
    await repo.appendMessages(bob, { threadId: 'temp', messages: [{ role: 'user', content: 'x' }] });
    expect(await inspector.snapshot('acme')).not.toEqual(pristine);
    await repo.deleteThread(bob, 'temp');
    expect(await inspector.snapshot('acme')).toEqual(pristine);
  });

  it('messageSeqs reads the stored seqs of any thread, ascending; [] for an unknown one', async () => {
    const store = new MemoryStore();
    const repo = new MemoryConversationRepository({ store });
    await repo.createThread(alice, { id: 't' });
    const stored = await repo.appendMessages(alice, {
      threadId: 't',
      messages: [1, 2, 3, 4].map((i) => ({ role: 'user' as const, content: `m${i}` })),
    });
    await repo.deleteMessage(alice, { threadId: 't', messageId: stored[1]?.id ?? '' });
    const inspector = inspectMemoryStore(store);
    expect(await inspector.messageSeqs('t')).toEqual([1, 3, 4]);
    expect(await inspector.messageSeqs('unknown')).toEqual([]);
  });
});

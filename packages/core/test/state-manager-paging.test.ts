import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatThread, MessagePage, ThreadPage } from '../src/index.js';
import { collectThreads, readWholeThread } from '../src/state-manager/paging.js';
import { decodeMessageCursor, encodeMessageCursor } from '../src/adapter/index.js';

const messages = (count: number): ChatMessage[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `m${i + 1}`,
    threadId: 't',
    seq: i + 1,
    role: 'user',
    content: `m${i + 1}`,
    status: 'completed',
    metadata: {},
    createdAt: new Date(0),
  }));

/** Pages forward like a repository does with `after`. */
function forwardReader(all: ChatMessage[], calls: Array<{ after: number; limit: number }>) {
  return async (after: string, limit: number): Promise<MessagePage> => {
    const afterSeq = decodeMessageCursor(after, 'after');
    calls.push({ after: afterSeq, limit });
    const page = all.filter((m) => m.seq > afterSeq).slice(0, limit);
    const last = page.at(-1);
    return {
      messages: page,
      olderCursor: null,
      newerCursor: last === undefined ? after : encodeMessageCursor(last.seq),
    };
  };
}

describe('readWholeThread (loadConversationHistory)', () => {
  it('reads every message oldest first, 1000 per round trip, from seq 0', async () => {
    const calls: Array<{ after: number; limit: number }> = [];
    const all = await readWholeThread(forwardReader(messages(2500), calls));
    expect(all?.map((m) => m.seq)).toEqual(messages(2500).map((m) => m.seq));
    expect(calls).toEqual([
      { after: 0, limit: 1000 },
      { after: 1000, limit: 1000 },
      { after: 2000, limit: 1000 },
    ]);
  });

  it('reads an exact multiple of the page size and an empty thread', async () => {
    const calls: Array<{ after: number; limit: number }> = [];
    expect(await readWholeThread(forwardReader(messages(1000), calls))).toHaveLength(1000);
    expect(calls).toHaveLength(2);
    expect(await readWholeThread(forwardReader([], []))).toEqual([]);
  });

  it('gives null for a missing thread', async () => {
    expect(await readWholeThread(async () => null)).toBeNull();
  });
});

describe('collectThreads (listThreads)', () => {
  const threads = (count: number): ChatThread[] =>
    Array.from({ length: count }, (_, i) => ({ id: `t${i}` }) as ChatThread);

  function lister(all: ChatThread[], calls: Array<{ limit: number; cursor: string | undefined }>) {
    return async (limit: number, cursor: string | undefined): Promise<ThreadPage> => {
      calls.push({ limit, cursor });
      const start = cursor === undefined ? 0 : Number(cursor);
      const page = all.slice(start, start + limit);
      const end = start + page.length;
      return { threads: page, nextCursor: end < all.length ? String(end) : null };
    };
  }

  it('without a limit returns every thread, paging by cursor', async () => {
    const calls: Array<{ limit: number; cursor: string | undefined }> = [];
    const all = await collectThreads(lister(threads(2100), calls), undefined, undefined);
    expect(all).toHaveLength(2100);
    expect(calls.map((c) => c.cursor)).toEqual([undefined, '1000', '2000']);
  });

  it('with a limit returns at most that many, in pages no larger than needed', async () => {
    const calls: Array<{ limit: number; cursor: string | undefined }> = [];
    expect(await collectThreads(lister(threads(2100), calls), 1500, undefined)).toHaveLength(1500);
    expect(calls.map((c) => c.limit)).toEqual([1000, 500]);
    expect(await collectThreads(lister(threads(3), []), 10, undefined)).toHaveLength(3);
  });

  it('starts at a cursor, and returns a thread that moved between pages once', async () => {
    expect((await collectThreads(lister(threads(5), []), undefined, '3')).map((t) => t.id)).toEqual(['t3', 't4']);
    const pages: ThreadPage[] = [
      { threads: threads(2), nextCursor: 'next' },
      { threads: [threads(3)[1]!, threads(3)[2]!], nextCursor: null },
    ];
    const moved = await collectThreads(async () => pages.shift()!, undefined, undefined);
    expect(moved.map((t) => t.id)).toEqual(['t0', 't1', 't2']);
  });

  it('stops on an empty page even if a cursor is returned', async () => {
    let calls = 0;
    const result = await collectThreads(
      async () => {
        calls += 1;
        return { threads: [], nextCursor: 'again' };
      },
      undefined,
      undefined,
    );
    expect([result, calls]).toEqual([[], 1]);
  });
});

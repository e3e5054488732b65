import { describe, expect, it } from 'vitest';
import type { ContentPart } from '../src/index.js';
import { ConversationHistory, UnavailableError } from '../src/index.js';
import { FakeStore } from './support/fake-store.js';
import { failOnUnhandledRejections } from './support/no-unhandled.js';

failOnUnhandledRejections();

/** A promise of the next error passed to `onError`. */
function errorSignal(): { onError: (error: unknown) => void; next: () => Promise<unknown>; all: unknown[] } {
  const all: unknown[] = [];
  let waiting: ((error: unknown) => void) | undefined;
  return {
    all,
    onError: (error) => {
      all.push(error);
      waiting?.(error);
    },
    next: () => new Promise((resolve) => (waiting = resolve)),
  };
}

const toolCall = (toolCallId: string): ContentPart => ({ type: 'tool-call', toolCallId, toolName: 'f', input: {} });

describe('ConversationHistory persistence (persistToDb: true, over a stand-in StateManager)', () => {
  it("writes every message in order to the StateManager's current thread, with the window's ids", async () => {
    const store = new FakeStore();
    const thread = await store.createThread('chat');
    const history = new ConversationHistory({ stateManager: store, persistToDb: true });
    const added = [
      history.addSystemMessage('system'),
      history.addUserMessage('What is the weather?'),
      history.addAssistantMessage("It's sunny today!"),
    ];
    expect(history.threadId).toBe(thread.id);
    await history.flush();
    expect(history.pendingWrites).toBe(0);
    expect(store.texts(thread.id)).toEqual(['system', 'What is the weather?', "It's sunny today!"]);
    expect(store.threads.get(thread.id)!.messages.map((m) => m.id)).toEqual(added.map((m) => m.id));
  });

  it('sends consecutive messages as batches, keeping their order', async () => {
    const store = new FakeStore();
    const thread = await store.createThread();
    const history = new ConversationHistory({ stateManager: store, persistToDb: true });
    for (let i = 1; i <= 50; i++) history.addUserMessage(`m${i}`);
    await history.flush();
    expect(store.texts(thread.id)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i + 1}`));
    const appends = store.calls.filter((c) => c.method === 'addMessages');
    expect(appends.length).toBeLessThan(50);
    expect(appends.reduce((sum, c) => sum + (c.size ?? 0), 0)).toBe(50);
  });

  it('writes to the given threadId, whatever the current thread is', async () => {
    const store = new FakeStore();
    const target = await store.createThread('target');
    await store.createThread('current');
    const history = new ConversationHistory({ stateManager: store, persistToDb: true, threadId: target.id });
    history.addUserMessage('hello');
    await history.flush();
    expect(store.texts(target.id)).toEqual(['hello']);
  });

  it('with no thread at all, creates one on the first write (once) and uses it for every later write', async () => {
    const store = new FakeStore();
    const history = new ConversationHistory({ stateManager: store, persistToDb: true });
    history.addUserMessage('first');
    history.addUserMessage('second');
    await history.flush();
    history.addUserMessage('third');
    await history.flush();
    expect(store.threads.size).toBe(1);
    const [id] = [...store.threads.keys()];
    expect(history.threadId).toBe(id);
    expect(store.currentThreadId).toBe(id);
    expect(store.texts(id!)).toEqual(['first', 'second', 'third']);
  });

  it('a thread creation whose reply was lost is retried without making a second thread', async () => {
    const store = new FakeStore();
    const errors = errorSignal();
    const history = new ConversationHistory({ stateManager: store, persistToDb: true, onError: errors.onError });
    store.failNext('createThread', new UnavailableError('timeout'), true);
    history.addUserMessage('hello');
    await expect(history.flush()).rejects.toBeInstanceOf(UnavailableError);
    await history.flush();
    expect(store.threads.size).toBe(1);
    expect(store.texts(history.threadId!)).toEqual(['hello']);
  });

  it('never swallows a failed write: onError, then flush() rejects, then the next flush() retries in order', async () => {
    const store = new FakeStore();
    const thread = await store.createThread();
    const errors = errorSignal();
    const history = new ConversationHistory({
      stateManager: store,
      persistToDb: true,
      onError: errors.onError,
      writeRetry: { initialDelayMs: 3_600_000 }, // no automatic retry within this test: flush() retries
    });
    const failure = new UnavailableError('connection lost');
    store.failNext('addMessages', failure);
    const reported = errors.next();
    history.addUserMessage('one');
    expect(await reported).toBe(failure);
    history.addUserMessage('two'); // held behind the failed write, so order holds
    expect(history.pendingWrites).toBe(2);
    expect(store.texts(thread.id)).toEqual([]);

    await expect(history.flush()).rejects.toBe(failure);
    expect(history.pendingWrites).toBe(2);
    await history.flush();
    expect(store.texts(thread.id)).toEqual(['one', 'two']);
    expect(history.pendingWrites).toBe(0);
    expect(errors.all).toEqual([failure]);
    await history.flush(); // nothing left to report
  });

  it('a flush waiting while a write fails rejects with that failure', async () => {
    const store = new FakeStore();
    const thread = await store.createThread();
    const history = new ConversationHistory({ stateManager: store, persistToDb: true });
    const failure = new UnavailableError('down');
    store.failNext('addMessages', failure);
    history.addUserMessage('one');
    await expect(history.flush()).rejects.toBe(failure);
    await history.flush();
    expect(store.texts(thread.id)).toEqual(['one']);
  });

  it('retries a write whose reply was lost without storing it twice (client-side ids)', async () => {
    const store = new FakeStore();
    const thread = await store.createThread();
    const history = new ConversationHistory({ stateManager: store, persistToDb: true });
    store.failNext('addMessages', new UnavailableError('timeout after commit'), true);
    history.addUserMessage('once');
    history.addUserMessage('only');
    await expect(history.flush()).rejects.toBeInstanceOf(UnavailableError);
    await history.flush();
    expect(store.texts(thread.id)).toEqual(['once', 'only']);
  });

  it('a failure without onError is kept for flush() and is not an unhandled rejection', async () => {
    const store = new FakeStore();
    await store.createThread();
    const history = new ConversationHistory({ stateManager: store, persistToDb: true });
    const failure = new UnavailableError('down');
    store.failNext('addMessages', failure);
    history.addUserMessage('one');
    await expect(history.flush()).rejects.toBe(failure);
  });

  it('an onError that throws changes nothing', async () => {
    const store = new FakeStore();
    await store.createThread();
    const history = new ConversationHistory({
      stateManager: store,
      persistToDb: true,
      onError: () => {
        throw new Error('bad handler');
      },
    });
    const failure = new UnavailableError('down');
    store.failNext('addMessages', failure);
    history.addUserMessage('one');
    await expect(history.flush()).rejects.toBe(failure);
  });

  it('discardPendingWrites drops writes waiting for a retry (the caller gives up) and cancels the retry', async () => {
    const store = new FakeStore();
    const thread = await store.createThread();
    const errors = errorSignal();
    const history = new ConversationHistory({ stateManager: store, persistToDb: true, onError: errors.onError });
    store.down = true;
    const reported = errors.next();
    history.addUserMessage('given up');
    await reported;
    expect(history.discardPendingWrites().map((m) => m.content)).toEqual(['given up']);
    expect(history.pendingWrites).toBe(0);
    await history.flush();
    store.down = false;
    history.addUserMessage('next');
    await history.flush();
    expect(store.texts(thread.id)).toEqual(['next']);
    expect(history.length).toBe(2);
  });

  it('does not persist when persistToDb is false', async () => {
    const store = new FakeStore();
    await store.createThread();
    const history = new ConversationHistory({ stateManager: store });
    history.addUserMessage('local only');
    await history.flush();
    expect(store.calls.filter((c) => c.method === 'addMessages')).toEqual([]);
  });
});

describe('ConversationHistory.loadFromDb', () => {
  async function seeded(contents: Array<[string, string | ContentPart[], string?]>): Promise<[FakeStore, string]> {
    const store = new FakeStore();
    const thread = await store.createThread();
    await store.addMessages(
      contents.map(([role, content, toolCallId]) => ({
        role: role as 'user',
        content,
        ...(toolCallId === undefined ? {} : { toolCallId }),
      })),
      { threadId: thread.id },
    );
    return [store, thread.id];
  }

  it('loads the newest messages that fit, oldest first, keeping the leading system prompt pinned', async () => {
    const rows: Array<[string, string]> = [['system', 'prompt']];
    for (let i = 1; i <= 30; i++) rows.push([i % 2 === 1 ? 'user' : 'assistant', `m${i}`]);
    const [store, threadId] = await seeded(rows);
    const history = new ConversationHistory({ stateManager: store, maxMessages: 5 });
    const window = await history.loadFromDb(threadId);
    expect(window.map((m) => m.content)).toEqual(['prompt', 'm27', 'm28', 'm29', 'm30']);
    expect(history.getMessages()).toEqual(window);
    expect(history.threadId).toBe(threadId);
  });

  it('loads a whole short thread, and everything when there is no budget', async () => {
    const [store, threadId] = await seeded([
      ['system', 's'],
      ['user', 'q'],
      ['assistant', 'a'],
    ]);
    const history = new ConversationHistory({ stateManager: store });
    expect((await history.loadFromDb(threadId)).map((m) => m.content)).toEqual(['s', 'q', 'a']);
  });

  it('does not load tool results whose call lies before the window', async () => {
    const [store, threadId] = await seeded([
      ['user', 'q1'],
      ['assistant', [toolCall('c1'), toolCall('c2')]],
      ['tool', 'r1', 'c1'],
      ['tool', 'r2', 'c2'],
      ['assistant', 'done'],
      ['user', 'q2'],
    ]);
    const history = new ConversationHistory({ stateManager: store, maxMessages: 3 });
    expect((await history.loadFromDb(threadId)).map((m) => m.content)).toEqual(['done', 'q2']);
  });

  it('keeps a call and its results together when they fit', async () => {
    const [store, threadId] = await seeded([
      ['user', 'q1'],
      ['assistant', [toolCall('c1')]],
      ['tool', 'r1', 'c1'],
      ['assistant', 'done'],
    ]);
    const history = new ConversationHistory({ stateManager: store, maxMessages: 3 });
    const window = await history.loadFromDb(threadId);
    expect(window.map((m) => m.role)).toEqual(['assistant', 'tool', 'assistant']);
  });

  it('loads by tokens too', async () => {
    const rows: Array<[string, string]> = [];
    for (let i = 1; i <= 500; i++) rows.push(['user', `msg-${String(i).padStart(4, '0')}`]); // 6 tokens each
    const [store, threadId] = await seeded(rows);
    const history = new ConversationHistory({ stateManager: store, maxTokens: 60 });
    const window = await history.loadFromDb(threadId);
    expect(window.map((m) => m.content)).toEqual(rows.slice(-10).map(([, content]) => content));
  });

  it('makes the loaded thread the target of later writes, after flushing queued ones', async () => {
    const store = new FakeStore();
    const first = await store.createThread('first');
    const other = await store.createThread('other');
    const history = new ConversationHistory({ stateManager: store, persistToDb: true, threadId: first.id });
    history.addUserMessage('to first');
    await history.loadFromDb(other.id);
    expect(store.texts(first.id)).toEqual(['to first']);
    history.addUserMessage('to other');
    await history.flush();
    expect(store.texts(other.id)).toEqual(['to other']);
  });

  it("defaults to this history's thread, then the StateManager's current one", async () => {
    const [store, threadId] = await seeded([['user', 'hello']]);
    const history = new ConversationHistory({ stateManager: store });
    expect((await history.loadFromDb()).map((m) => m.content)).toEqual(['hello']);
    expect(history.threadId).toBe(threadId);
    store.currentThreadId = null;
    const orphan = new ConversationHistory({ stateManager: store });
    await expect(orphan.loadFromDb()).rejects.toMatchObject({ field: 'threadId' });
  });
});

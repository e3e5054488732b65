import { describe, expect, it } from 'vitest';
import type { ChatThread, HistoryMessage, MessagePage } from '../src/index.js';
import { ConversationHistory, NotFoundError, UnavailableError } from '../src/index.js';
import { FakeStore } from './support/fake-store.js';

const texts = (messages: readonly HistoryMessage[]): unknown[] => messages.map((m) => m.content);

/** A FakeStore whose page reads of one thread wait for `release()`; `entered` resolves when one is waiting. */
class GatedStore extends FakeStore {
  gatedThreadId: string | undefined;
  #release: (() => void) | undefined;
  #gate: Promise<void> = Promise.resolve();
  entered: Promise<void> = Promise.resolve();
  #enter: (() => void) | undefined;

  gate(threadId: string): void {
    this.gatedThreadId = threadId;
    this.#gate = new Promise((resolve) => (this.#release = resolve));
    this.entered = new Promise((resolve) => (this.#enter = resolve));
  }

  release(): void {
    this.#release?.();
  }

  override async getMessagesPage(...args: Parameters<FakeStore['getMessagesPage']>): Promise<MessagePage> {
    if (args[0]?.threadId !== undefined && args[0].threadId === this.gatedThreadId) {
      this.#enter?.();
      await this.#gate;
    }
    return super.getMessagesPage(...args);
  }
}

async function threadWith(store: FakeStore, name: string, contents: string[]): Promise<string> {
  const thread = await store.createThread(name);
  if (contents.length > 0) {
    await store.addMessages(
      contents.map((content) => ({ role: 'user' as const, content })),
      { threadId: thread.id },
    );
  }
  return thread.id;
}

describe('ConversationHistory.loadFromDb while messages are added', () => {
  it('a message added during the load goes to the loaded thread and stays in the window', async () => {
    const store = new FakeStore();
    const first = await threadWith(store, 'first', []);
    const second = await threadWith(store, 'second', ['s1', 's2', 's3']);
    const history = new ConversationHistory({ stateManager: store, persistToDb: true, threadId: first });
    history.addUserMessage('to first');
    const loading = history.loadFromDb(second);
    expect(history.threadId).toBe(second);
    history.addUserMessage('added during load');
    expect(texts(await loading)).toEqual(['s1', 's2', 's3', 'added during load']);
    expect(texts(history.getMessages())).toEqual(['s1', 's2', 's3', 'added during load']);
    await history.flush();
    expect(store.texts(first)).toEqual(['to first']);
    expect(store.texts(second)).toEqual(['s1', 's2', 's3', 'added during load']);
  });

  it('a message added while the pages are read follows the loaded messages, then the window is trimmed', async () => {
    const store = new GatedStore();
    const thread = await threadWith(store, 'chat', ['s1', 's2', 's3']);
    const history = new ConversationHistory({ stateManager: store, persistToDb: true, maxMessages: 3 });
    store.gate(thread);
    const loading = history.loadFromDb(thread);
    await store.entered; // the flush is done and the first page read is waiting
    history.addUserMessage('late 1');
    history.addUserMessage('late 2');
    store.release();
    expect(texts(await loading)).toEqual(['s3', 'late 1', 'late 2']);
    await history.flush();
    expect(store.texts(thread)).toEqual(['s1', 's2', 's3', 'late 1', 'late 2']);
  });

  it('concurrent loads: the last call wins, even when an earlier one completes after it', async () => {
    const store = new GatedStore();
    const a = await threadWith(store, 'a', ['a1']);
    const b = await threadWith(store, 'b', ['b1']);
    const history = new ConversationHistory({ stateManager: store, persistToDb: true });
    store.gate(a);
    const loadingA = history.loadFromDb(a);
    await store.entered;
    history.addUserMessage('for a');
    const loadingB = history.loadFromDb(b);
    history.addUserMessage('for b');
    expect(texts(await loadingB)).toEqual(['b1', 'for b']);
    store.release();
    expect(texts(await loadingA)).toEqual(['b1', 'for b']);
    expect(texts(history.getMessages())).toEqual(['b1', 'for b']);
    expect(history.threadId).toBe(b);
    await history.flush();
    expect(store.texts(a)).toEqual(['a1', 'for a']);
    expect(store.texts(b)).toEqual(['b1', 'for b']);
  });

  it('a failed load with nothing added meanwhile keeps the previous target and window', async () => {
    const store = new FakeStore();
    const thread = await threadWith(store, 'chat', []);
    const history = new ConversationHistory({ stateManager: store, persistToDb: true, threadId: thread });
    history.addUserMessage('kept');
    await expect(history.loadFromDb('no-such-thread')).rejects.toBeInstanceOf(NotFoundError);
    expect(history.threadId).toBe(thread);
    history.addUserMessage('still here');
    await history.flush();
    expect(store.texts(thread)).toEqual(['kept', 'still here']);
    expect(texts(history.getMessages())).toEqual(['kept', 'still here']);
  });

  it('writes queued for a thread not created yet still go to it when a load switches the target', async () => {
    const store = new FakeStore();
    const other = await threadWith(store, 'other', ['o1']);
    store.currentThreadId = null;
    const history = new ConversationHistory({ stateManager: store, persistToDb: true });
    store.failNext('createThread', new UnavailableError('down'));
    history.addUserMessage('first');
    await expect(history.flush()).rejects.toBeInstanceOf(UnavailableError);
    expect(texts(await history.loadFromDb(other))).toEqual(['o1']); // the flush inside retries the creation
    const created = [...store.threads.keys()].filter((id) => id !== other);
    expect(created).toHaveLength(1);
    expect(store.texts(created[0]!)).toEqual(['first']);
    expect(store.texts(other)).toEqual(['o1']);
    expect(history.threadId).toBe(other);
  });
});

/** Like a StateManager: only a successful createThread sets the current thread. */
class ManagerLikeStore extends FakeStore {
  override async createThread(...args: Parameters<FakeStore['createThread']>): Promise<ChatThread> {
    const before = this.currentThreadId;
    try {
      return await super.createThread(...args);
    } catch (error) {
      this.currentThreadId = before;
      throw error;
    }
  }
}

describe('ConversationHistory thread creation', () => {
  it('a thread found created on retry (lost reply) becomes the current thread, as a created one does', async () => {
    const store = new ManagerLikeStore();
    const history = new ConversationHistory({ stateManager: store, persistToDb: true });
    store.failNext('createThread', new UnavailableError('timeout after commit'), true);
    history.addUserMessage('hello');
    await expect(history.flush()).rejects.toBeInstanceOf(UnavailableError);
    expect(store.currentThreadId).toBeNull();
    await history.flush();
    expect(store.threads.size).toBe(1);
    expect(store.currentThreadId).toBe(history.threadId);
    expect(store.texts(history.threadId!)).toEqual(['hello']);
  });
});

describe('ConversationHistory.loadFromDb system messages', () => {
  it('pins the system messages among what it reads and the leading ones, not older mid-thread ones', async () => {
    const store = new FakeStore();
    const thread = await store.createThread();
    const rows: Array<['system' | 'user', string]> = [['system', 'prompt']];
    for (let i = 1; i <= 10; i++) rows.push(['user', `m${i}`]);
    rows.push(['system', 'old note']);
    for (let i = 11; i <= 20; i++) rows.push(['user', `m${i}`]);
    rows.push(['system', 'recent note']);
    for (let i = 21; i <= 24; i++) rows.push(['user', `m${i}`]);
    await store.addMessages(
      rows.map(([role, content]) => ({ role, content })),
      { threadId: thread.id },
    );
    const history = new ConversationHistory({ stateManager: store, maxMessages: 5 });
    // Reads the 6 newest (m20 to m24) and the leading prompt; 'old note' lies in the unread part.
    expect(texts(await history.loadFromDb(thread.id))).toEqual(['prompt', 'recent note', 'm22', 'm23', 'm24']);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HistoryMessage, WriteFailure } from '../src/index.js';
import { ConversationHistory, DEFAULT_WRITE_RETRY, UnavailableError, ValidationError } from '../src/index.js';
import { FakeStore } from './support/fake-store.js';
import { failOnUnhandledRejections } from './support/no-unhandled.js';

failOnUnhandledRejections();
afterEach(() => {
  vi.useRealTimers();
});

/** A history over a FakeStore's thread that records what `onError` is told. */
async function setup(options: { writeRetry?: { initialDelayMs?: number; maxDelayMs?: number } } = {}): Promise<{
  store: FakeStore;
  threadId: string;
  history: ConversationHistory;
  reports: Array<{ error: unknown; failure: WriteFailure }>;
}> {
  const store = new FakeStore();
  const { id: threadId } = await store.createThread();
  const reports: Array<{ error: unknown; failure: WriteFailure }> = [];
  const history = new ConversationHistory({
    stateManager: store,
    persistToDb: true,
    onError: (error, failure) => reports.push({ error, failure }),
    ...options,
  });
  return { store, threadId, history, reports };
}

const texts = (count: number, prefix = 'm'): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
const contents = (messages: readonly HistoryMessage[]): unknown[] => messages.map((m) => m.content);

describe('ConversationHistory: writes resume by themselves after a transient failure', () => {
  it('retries with a doubling, capped delay, tells onError each time, and stores everything once the server is back', async () => {
    vi.useFakeTimers();
    const { store, threadId, history, reports } = await setup({
      writeRetry: { initialDelayMs: 100, maxDelayMs: 1_000 },
    });
    store.down = true;
    for (const text of texts(70)) history.addUserMessage(text);
    await vi.advanceTimersByTimeAsync(0);
    // 100, 200, 400, 800, then capped at 1000: the fifth retry fails too.
    await vi.advanceTimersByTimeAsync(100 + 200 + 400 + 800 + 1_000);
    const delays = reports.map((r) => (r.failure.kind === 'transient' ? r.failure.retryInMs : -1));
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(reports.every((r) => r.error instanceof UnavailableError)).toBe(true);
    expect(reports[0]!.failure).toMatchObject({ kind: 'transient', pending: 70 });
    expect(store.texts(threadId)).toEqual([]);

    store.down = false; // the server is back; nobody calls flush()
    await vi.advanceTimersByTimeAsync(999);
    expect(history.pendingWrites).toBe(70);
    await vi.advanceTimersByTimeAsync(1);
    expect(history.pendingWrites).toBe(0);
    expect(store.texts(threadId)).toEqual(texts(70));
    expect(reports).toHaveLength(6);
    await history.flush(); // healed by a newer success: nothing to report
  });

  it('restarts the backoff from initialDelayMs after a success', async () => {
    vi.useFakeTimers();
    const { store, history, reports } = await setup();
    store.down = true;
    history.addUserMessage('a');
    await vi.advanceTimersByTimeAsync(100 + 200);
    store.down = false;
    await vi.advanceTimersByTimeAsync(400);
    store.down = true;
    history.addUserMessage('b');
    await vi.advanceTimersByTimeAsync(0);
    const delays = reports.map((r) => (r.failure.kind === 'transient' ? r.failure.retryInMs : -1));
    expect(delays).toEqual([100, 200, 400, 100]);
  });

  it('flush() rejects while a write has failed and nothing newer succeeded, then retries at once', async () => {
    vi.useFakeTimers();
    const { store, threadId, history, reports } = await setup();
    store.down = true;
    history.addUserMessage('one');
    await vi.advanceTimersByTimeAsync(0);
    expect(reports).toHaveLength(1);
    await expect(history.flush()).rejects.toBeInstanceOf(UnavailableError); // reported, without retrying
    const retried = history.flush(); // retries at once (no timer advanced), fails again
    await expect(retried).rejects.toBeInstanceOf(UnavailableError);
    expect(reports).toHaveLength(2);
    store.down = false;
    await history.flush(); // retries at once and succeeds
    expect(store.texts(threadId)).toEqual(['one']);
  });

  it('the default backoff is 100 ms doubling to at most 5 s', async () => {
    vi.useFakeTimers();
    expect(DEFAULT_WRITE_RETRY).toEqual({ initialDelayMs: 100, maxDelayMs: 5_000 });
    const { store, history, reports } = await setup();
    store.down = true;
    history.addUserMessage('x');
    await vi.advanceTimersByTimeAsync(100 + 200 + 400 + 800 + 1_600 + 3_200 + 5_000);
    const delays = reports.map((r) => (r.failure.kind === 'transient' ? r.failure.retryInMs : -1));
    expect(delays).toEqual([100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000]);
    history.discardPendingWrites();
  });

  it.each([
    [{ initialDelayMs: 0 }, 'writeRetry.initialDelayMs'],
    [{ maxDelayMs: 1.5 }, 'writeRetry.maxDelayMs'],
    [{ initialDelayMs: 500, maxDelayMs: 100 }, 'writeRetry.maxDelayMs'],
    ['fast', 'writeRetry'],
  ])('refuses writeRetry %j (field %s)', (writeRetry, field) => {
    expect(() => new ConversationHistory({ writeRetry: writeRetry as never })).toThrow(
      expect.objectContaining({ code: 'VALIDATION', field }) as Error,
    );
  });
});

describe('ConversationHistory: a bad message can never poison the queue', () => {
  it('a caller id already queued or in the window is a synchronous ValidationError, and nothing is added', async () => {
    const { store, threadId, history } = await setup();
    history.addUserMessage('first', { id: 'same' });
    expect(() => history.addAssistantMessage('queued twice', { id: 'same' })).toThrow(ValidationError);
    expect(() => history.addUserMessage('queued twice', { id: 'same' })).toThrow(
      expect.objectContaining({ field: 'id' }) as Error,
    );
    expect(history.pendingWrites).toBe(1);
    await history.flush();
    expect(() => history.addUserMessage('in the window', { id: 'same' })).toThrow(ValidationError);
    history.addUserMessage('valid', { id: 'other' });
    await history.flush();
    expect(store.texts(threadId)).toEqual(['first', 'valid']);
    expect(contents(history.getMessages())).toEqual(['first', 'valid']);
    // Without persistence too: ids identify the window's messages.
    const local = new ConversationHistory();
    local.addUserMessage('a', { id: 'x' });
    expect(() => local.addUserMessage('b', { id: 'x' })).toThrow(ValidationError);
  });

  it('a message the backend refuses is dropped alone (the batch is split), reported once, and the rest is stored', async () => {
    const { store, threadId, history, reports } = await setup();
    store.down = true; // queue everything up as one batch
    const added = texts(9).map((text) => history.addUserMessage(text));
    store.refuseIds.add(added[5]!.id);
    store.down = false;
    await expect(history.flush()).rejects.toBeInstanceOf(UnavailableError); // the batch while down
    await expect(history.flush()).rejects.toMatchObject({ code: 'VALIDATION' }); // the refused message
    expect(store.texts(threadId)).toEqual(texts(9).filter((t) => t !== 'm6'));
    expect(history.pendingWrites).toBe(0);
    const dropped = reports.filter((r) => r.failure.kind === 'dropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]!.failure).toEqual({ kind: 'dropped', messages: [added[5]] });
    expect(contents(history.getMessages())).toContain('m6'); // still in the window
    // Later messages are never blocked, and nothing is left to report.
    history.addUserMessage('later');
    await history.flush();
    expect(store.texts(threadId).at(-1)).toBe('later');
    // Splitting costs a few calls, not one per message.
    const appends = store.calls.filter((c) => c.method === 'addMessages').length;
    expect(appends).toBeLessThanOrEqual(10);
  });

  it('a refused message is dropped while nobody flushes: the next flush() reports it once', async () => {
    const { store, threadId, history, reports } = await setup();
    store.refuseIds.add('bad-id');
    history.addUserMessage('bad', { id: 'bad-id' });
    await vi.waitFor(() => expect(reports).toHaveLength(1));
    history.addUserMessage('good');
    await vi.waitFor(() => expect(store.texts(threadId)).toEqual(['good']));
    await expect(history.flush()).rejects.toMatchObject({ code: 'VALIDATION' });
    await history.flush();
  });

  it('a deleted thread drops every write queued for it (NOT_FOUND) and later writes to another thread go on', async () => {
    const { store, history, reports } = await setup();
    const gone = new ConversationHistory({
      stateManager: store,
      persistToDb: true,
      threadId: 'deleted-thread',
      onError: (error, failure) => reports.push({ error, failure }),
    });
    gone.addUserMessage('lost 1');
    gone.addUserMessage('lost 2');
    await expect(gone.flush()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(gone.pendingWrites).toBe(0);
    expect(reports.map((r) => r.failure)).toEqual([{ kind: 'dropped', messages: gone.getMessages() }]);
    const other = await store.createThread('other');
    await gone.loadFromDb(other.id);
    gone.addUserMessage('kept');
    await gone.flush();
    expect(store.texts(other.id)).toEqual(['kept']);
    expect(history.pendingWrites).toBe(0);
  });
});

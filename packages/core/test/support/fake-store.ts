import type { ChatMessage, ChatThread, HistoryStore, MessagePage, NewMessage, StateManager } from '../../src/index.js';
import { ConflictError, NotFoundError, UnavailableError, ValidationError, uuidv7 } from '../../src/index.js';
import { decodeMessageCursor, encodeMessageCursor } from '../../src/adapter/index.js';

type Args<K extends keyof StateManager> = StateManager[K] extends (...args: infer A) => unknown ? A : never;

/**
 * A tiny in-memory stand-in for a StateManager, enough for ConversationHistory: threads, idempotent appends by id,
 * and message pages with the contract's selection rules. `failNext` makes the next calls of a method fail; `down`
 * makes every write fail with `UnavailableError` while it is set (a stopped server); `refuseIds` makes any append
 * holding one of these message ids fail whole with `ValidationError` (a message the backend refuses).
 */
export class FakeStore implements HistoryStore {
  currentThreadId: string | null = null;
  readonly threads = new Map<string, { thread: ChatThread; messages: ChatMessage[] }>();
  readonly calls: Array<{ method: string; size?: number }> = [];
  readonly #failures: Array<{ method: string; error: Error; afterApplying: boolean }> = [];
  /** While true, `createThread` and `addMessages` fail with `UnavailableError`, changing nothing. */
  down = false;
  readonly refuseIds = new Set<string>();

  /** Make the next call of `method` fail with `error` (after doing its work, when `afterApplying`: a lost reply). */
  failNext(method: 'addMessages' | 'createThread', error: Error, afterApplying = false): void {
    this.#failures.push({ method, error, afterApplying });
  }

  async createThread(...[name, options = {}]: Args<'createThread'>): Promise<ChatThread> {
    this.calls.push({ method: 'createThread' });
    if (this.down) throw new UnavailableError('server stopped');
    const failure = this.#takeFailure('createThread');
    const id = options.id ?? uuidv7();
    if (failure !== undefined && !failure.afterApplying) throw failure.error;
    if (this.threads.has(id)) throw new ConflictError('thread id already used');
    const now = new Date();
    const thread: ChatThread = {
      id,
      orgId: 'org',
      userId: 'user',
      name: name ?? '',
      metadata: {},
      createdAt: now,
      updatedAt: now,
      lastSeq: 0,
      messageCount: 0,
    };
    this.threads.set(id, { thread, messages: [] });
    this.currentThreadId = id;
    if (failure !== undefined) throw failure.error;
    return thread;
  }

  async setCurrentThread(...[threadId]: Args<'setCurrentThread'>): Promise<ChatThread> {
    const thread = await this.getThread(threadId);
    if (thread === null) throw new NotFoundError('thread not found');
    this.currentThreadId = thread.id;
    return thread;
  }

  async getThread(...[threadId]: Args<'getThread'>): Promise<ChatThread | null> {
    return this.threads.get(threadId)?.thread ?? null;
  }

  async addMessages(...[messages, options = {}]: Args<'addMessages'>): Promise<ChatMessage[]> {
    this.calls.push({ method: 'addMessages', size: messages.length });
    if (this.down) throw new UnavailableError('server stopped');
    const refused = messages.findIndex((message) => message.id !== undefined && this.refuseIds.has(message.id));
    if (refused !== -1) throw new ValidationError(`messages[${refused}].content`, 'refused by the backend');
    const failure = this.#takeFailure('addMessages');
    if (failure !== undefined && !failure.afterApplying) throw failure.error;
    const entry = this.threads.get(options.threadId ?? '');
    if (entry === undefined) throw new NotFoundError('thread not found');
    const stored = messages.map((message: NewMessage) => {
      const existing = entry.messages.find((m) => m.id === message.id);
      if (existing !== undefined) return existing;
      const seq = entry.thread.lastSeq + 1;
      entry.thread = { ...entry.thread, lastSeq: seq, messageCount: entry.thread.messageCount + 1 };
      const chat: ChatMessage = {
        ...message,
        id: message.id ?? uuidv7(),
        threadId: entry.thread.id,
        seq,
        metadata: message.metadata ?? {},
        status: message.status ?? 'completed',
        createdAt: new Date(),
      };
      entry.messages.push(chat);
      return chat;
    });
    if (failure !== undefined) throw failure.error;
    return stored;
  }

  async getMessagesPage(...[options = {}]: Args<'getMessagesPage'>): Promise<MessagePage> {
    this.calls.push({ method: 'getMessagesPage' });
    const entry = this.threads.get(options.threadId ?? this.currentThreadId ?? '');
    if (entry === undefined) throw new NotFoundError('thread not found');
    const limit = options.limit ?? 50;
    const after = options.after === undefined ? undefined : decodeMessageCursor(options.after, 'after');
    const before = options.before === undefined ? undefined : decodeMessageCursor(options.before, 'before');
    const inRange = entry.messages.filter(
      (m) => (after === undefined || m.seq > after) && (before === undefined || m.seq < before),
    );
    const page = after !== undefined ? inRange.slice(0, limit) : inRange.slice(-limit);
    const first = page[0];
    const last = page[page.length - 1];
    return {
      messages: page,
      olderCursor:
        first !== undefined && entry.messages.some((m) => m.seq < first.seq) ? encodeMessageCursor(first.seq) : null,
      newerCursor: last !== undefined ? encodeMessageCursor(last.seq) : after !== undefined ? options.after! : null,
    };
  }

  /** Stored texts of a thread, in seq order. */
  texts(threadId: string): string[] {
    return (this.threads.get(threadId)?.messages ?? []).map((m) =>
      typeof m.content === 'string' ? m.content : '[parts]',
    );
  }

  #takeFailure(method: string): { error: Error; afterApplying: boolean } | undefined {
    const index = this.#failures.findIndex((f) => f.method === method);
    return index === -1 ? undefined : this.#failures.splice(index, 1)[0];
  }
}

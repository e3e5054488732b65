import { ConflictError, ValidationError } from '../errors/errors.js';
import { uuidv7 } from '../ids/uuid-v7.js';
import type { ChatMessage, MessageContent, MessageRole } from '../model/message.js';
import { buildMessage } from '../state-manager/message-input.js';
import { pick } from '../state-manager/support.js';
import { validateId, validateInputObject } from '../validation/primitives.js';
import { compactThread, readCompactOptions } from './compact.js';
import { readWindowCandidates } from './load-window.js';
import { readHistoryOptions } from './options.js';
import type {
  AddAnyHistoryMessageOptions,
  AddHistoryMessageOptions,
  CompactOptions,
  ConversationHistoryOptions,
  HistoryMessage,
  HistoryStore,
  WindowBudget,
} from './types.js';
import { answeredCallIdsOf } from './units.js';
import { trimWindow } from './window.js';
import { WriteQueue } from './write-queue.js';

/** How many dropped tool-call ids are remembered to drop their late results. */
const DROPPED_CALLS_REMEMBERED = 1_000;

/**
 * The context window of one conversation, kept in memory and optionally persisted.
 *
 * - **Window.** `getMessages()` is what to send to a model. System messages are pinned; when the window is over
 *   `maxMessages` or `maxTokens`, the oldest other messages are dropped first, and an assistant message carrying
 *   tool calls is dropped together with the tool results answering them (a late result for a dropped call is
 *   not added to the window). The newest message's group is always kept.
 * - **Persistence.** With `persistToDb`, every `add*` call also queues a write through the `stateManager`, in
 *   order, in the background; ids are generated here (UUIDv7) so a retried write is idempotent, and a caller id
 *   already in the window or queued is refused when added. `flush()` waits for the writes. Persisting never stops
 *   by itself: a write that fails transiently (server down, timeout) is retried by itself, in order, with a
 *   bounded exponential backoff (`writeRetry`); a write that can never succeed (`VALIDATION`, `NOT_FOUND`,
 *   `CONFLICT`) is dropped alone (a batch is split to find it) and the later writes go on. Every failure goes to
 *   `onError`, and the next `flush()` rejects with it (see {@link flush}). No write ever causes an unhandled
 *   rejection.
 * - **Thread.** Writes go to `threadId`, else to the StateManager's current thread at the first write. When
 *   there is neither, the first write creates a thread through the StateManager (which makes it the
 *   StateManager's current thread too, also when a retry finds it was created already); later writes go to it.
 *   `loadFromDb(id)` switches to thread `id` as soon as it is called. Each write is bound to its thread when it is
 *   added, so a switch never moves a queued write.
 */
export class ConversationHistory {
  readonly #budget: WindowBudget;
  readonly #store: HistoryStore | undefined;
  readonly #persist: boolean;
  readonly #count: (message: HistoryMessage) => number;
  readonly #queue: WriteQueue;
  readonly #droppedCalls = new Set<string>();
  #messages: HistoryMessage[] = [];
  /** The thread new writes go to, once known. */
  #threadId: string | undefined;
  /** The thread to create for the writes queued before any thread was known (their thread is `undefined`). */
  #newThreadId: string | undefined;
  #newThreadCreated = false;
  /** The latest `loadFromDb()` still running, and the messages added to the window since it was called. */
  #load: { readonly added: HistoryMessage[] } | undefined;

  /**
   * @throws ValidationError naming `maxMessages`, `maxTokens`, `tokenCounter`, `stateManager`, `threadId` or
   * `writeRetry…`.
   */
  constructor(options: ConversationHistoryOptions = {}) {
    const settings = readHistoryOptions(options);
    this.#budget = settings.budget;
    this.#count = settings.count;
    this.#store = settings.store;
    this.#persist = settings.persist;
    this.#threadId = settings.threadId;
    const onError = options.onError;
    this.#queue = new WriteQueue(
      {
        write: async (threadId, messages) => {
          await this.#requireStore().addMessages(messages, { threadId });
        },
        resolveThread: () => this.#createThread(),
        onError: (error, failure) => onError?.(error, failure),
      },
      settings.retry,
    );
  }

  /** How many messages the window holds. */
  get length(): number {
    return this.#messages.length;
  }

  /** The thread writes go to (and `loadFromDb()` reads), once known. */
  get threadId(): string | undefined {
    return this.#threadId;
  }

  /** How many messages are not stored yet (queued, being written, or waiting for a retry after a failure). */
  get pendingWrites(): number {
    return this.#queue.size;
  }

  /** Add a user message; returns it (with its id). Throws `ValidationError` at once on bad input. */
  addUserMessage(content: MessageContent, options?: AddHistoryMessageOptions): HistoryMessage {
    return this.addMessage('user', content, options);
  }

  /** Add an assistant message. Content may hold `{ type: 'tool-call', toolCallId, toolName, input }` parts. */
  addAssistantMessage(content: MessageContent, options?: AddHistoryMessageOptions): HistoryMessage {
    return this.addMessage('assistant', content, options);
  }

  /** Add a system message (pinned: never trimmed from the window). */
  addSystemMessage(content: MessageContent, options?: AddHistoryMessageOptions): HistoryMessage {
    return this.addMessage('system', content, options);
  }

  /** Add a tool result answering the assistant tool call `toolCallId`. */
  addToolMessage(toolCallId: string, content: MessageContent, options: AddHistoryMessageOptions = {}): HistoryMessage {
    validateInputObject(options, 'options');
    return this.addMessage('tool', content, { ...options, toolCallId });
  }

  /**
   * Add a message: synchronous. It joins the window at once (which is then trimmed) and, with `persistToDb`, its
   * write is queued. Throws `ValidationError` naming the bad argument; nothing is added or queued then. A caller
   * `id` is refused (`ValidationError` naming `id`) when a message in the window or waiting to be written has it:
   * two messages with one id would make their batch fail, or one would silently not be stored.
   */
  addMessage(role: MessageRole, content: MessageContent, options: AddAnyHistoryMessageOptions = {}): HistoryMessage {
    validateInputObject(options, 'options');
    const message = buildMessage(
      role,
      content,
      pick(options, ['metadata', 'name', 'toolCallId', 'id', 'status', 'tokenCount']),
    );
    if (options.id !== undefined && (this.#queue.has(message.id) || this.#messages.some((m) => m.id === message.id))) {
      throw new ValidationError('id', 'is already used by a message of this history (in the window or queued)');
    }
    if (this.#budget.maxTokens !== undefined) this.#count(message); // a failing counter throws before queueing
    if (this.#persist) this.#queue.push({ message, threadId: this.#writeTarget() });
    if (!answeredCallIdsOf(message).some((id) => this.#droppedCalls.has(id))) {
      this.#setWindow([...this.#messages, message]);
      this.#load?.added.push(message);
    }
    return message;
  }

  /** The window to send to a model, oldest first. A new array; the messages are shared, so do not mutate them. */
  getMessages(): HistoryMessage[] {
    return [...this.#messages];
  }

  /** Empty the window (local only: nothing stored is deleted, and queued writes still happen). */
  clear(): void {
    this.#messages = [];
    this.#droppedCalls.clear();
  }

  /**
   * Resolves when every queued write is stored. Rejects at once with a failure no `flush()` has reported yet:
   * first one that dropped messages (they are never retried), else a transient one that no later write has healed
   * (the writes are still retried in the background). Otherwise it waits, retrying at once a write that waits for
   * its automatic retry, and rejects with the error of a write that fails meanwhile. So it never resolves while a
   * write has failed and nothing newer succeeded. Call it before the process exits: the retry timer does not keep
   * the process alive.
   */
  flush(): Promise<void> {
    return this.#queue.flush();
  }

  /**
   * Drop the writes not stored yet (e.g. giving up while the server is down) and cancel their retry. Returns the
   * dropped messages. They stay in the window. (Writes that can never succeed are dropped by themselves.)
   */
  discardPendingWrites(): HistoryMessage[] {
    return this.#queue.discard();
  }

  /**
   * Replace the window with the newest messages of a thread that fit it, and make that thread the target of
   * writes. Waits for queued writes first (`flush()`), and rejects if one failed.
   *
   * - **Switch.** The thread becomes the write target when this is called (synchronously): messages added while
   *   the load runs are written to it, while writes queued before still go to their own thread. When the load
   *   completes, the window is the loaded messages followed by the messages added since the call, trimmed as
   *   usual. If the load fails and no message was added meanwhile, the previous target is restored.
   * - **Concurrent calls.** The last call wins: an earlier load that completes after a later call was made
   *   changes nothing and resolves with the window as it is then.
   * - **What is read.** Pages are read backward until the window is full (older messages would be trimmed), then
   *   trimmed like the live window, so every system message among them stays pinned. System messages older than
   *   what was read are not looked for (that would read the whole thread), except those at the very start of the
   *   thread (the system prompt), which are read and pinned too. So a system message added mid-thread, pinned in
   *   the live window that added it, is dropped by a later load once newer messages fill the window.
   * @param threadId default: this history's thread, else the StateManager's current thread.
   * @throws NotFoundError when the thread does not exist for the StateManager's user.
   */
  async loadFromDb(threadId?: string): Promise<HistoryMessage[]> {
    const store = this.#requireStore();
    const target = this.#readTarget(store, threadId, 'load');
    const previous = this.#threadId;
    const load = { added: [] as HistoryMessage[] };
    this.#threadId = target;
    this.#load = load;
    let candidates: HistoryMessage[];
    try {
      await this.flush();
      candidates = await readWindowCandidates(store, target, this.#budget, this.#count);
    } catch (error) {
      if (this.#load === load) {
        this.#load = undefined;
        if (load.added.length === 0) this.#threadId = previous;
      }
      throw error;
    }
    if (this.#load !== load) return this.getMessages(); // a later call wins
    this.#load = undefined;
    const added = new Set(load.added.map((message) => message.id));
    this.#droppedCalls.clear();
    this.#setWindow([...candidates.filter((message) => !added.has(message.id)), ...load.added]);
    return this.getMessages();
  }

  /**
   * Durable compaction: summarise the thread's older messages into one summary message, stored in the thread
   * (raw messages are never deleted), then reload the window from it. Waits for queued writes first.
   *
   * Reads the thread after its previous summary (or from its first non-system message), keeps the newest
   * `keepLast` out (a tool result stays with its call), and calls `summarize` with the previous summary followed by
   * the rest. Its result is appended as a message with `summaryOf: { fromSeq, toSeq }` — the range it stands for,
   * from the first message ever summarised — which sets the thread's `summarySeq` in the same atomic step. From then
   * on {@link loadFromDb} (and `StateManager.loadConversationHistory({ fromSummary: true })`) reads the leading
   * system messages, the newest summary and the messages after its range. Messages appended meanwhile by others are
   * after the range, so they are never lost. Reads everything since the previous summary (what `summarize` needs).
   * @returns the stored summary, or `null` when there was nothing to summarise (`summarize` is not called).
   * @param threadId default: this history's thread, else the StateManager's current thread.
   * @throws ValidationError naming `summarize`, `keepLast`, `role` or `metadata`; NotFoundError when the thread does
   * not exist for the StateManager's user.
   */
  async compact(options: CompactOptions, threadId?: string): Promise<ChatMessage | null> {
    const settings = readCompactOptions(options);
    const store = this.#requireStore();
    const target = this.#readTarget(store, threadId, 'compact');
    await this.flush();
    const summary = await compactThread(store, target, settings);
    if (summary !== null) await this.loadFromDb(target);
    return summary;
  }

  #readTarget(store: HistoryStore, threadId: string | undefined, verb: string): string {
    const target =
      threadId !== undefined ? validateId(threadId, 'threadId') : (this.#threadId ?? store.currentThreadId);
    if (target === null || target === undefined) {
      throw new ValidationError(
        'threadId',
        `no thread to ${verb}: pass a threadId, or set the StateManager current thread`,
      );
    }
    return target;
  }

  #setWindow(messages: HistoryMessage[]): void {
    const { kept, droppedCallIds } = trimWindow(messages, this.#budget, this.#count);
    this.#messages = kept;
    for (const id of droppedCallIds) {
      this.#droppedCalls.add(id);
      if (this.#droppedCalls.size > DROPPED_CALLS_REMEMBERED) {
        this.#droppedCalls.delete(this.#droppedCalls.values().next().value as string);
      }
    }
  }

  /** The thread a write added now goes to; `undefined` when it must be created (in the queue, before writing). */
  #writeTarget(): string | undefined {
    if (this.#threadId === undefined && this.#newThreadId === undefined) {
      const current = this.#requireStore().currentThreadId;
      if (current === null) this.#newThreadId = uuidv7();
      else this.#threadId = current;
    }
    return this.#threadId;
  }

  /**
   * Create the thread for the writes queued before any thread was known, once (idempotent by its client-side id,
   * so a retry never makes two). It becomes the write target unless `loadFromDb()` chose another meanwhile.
   */
  async #createThread(): Promise<string> {
    const id = (this.#newThreadId ??= uuidv7());
    if (this.#newThreadCreated) return id;
    const store = this.#requireStore();
    try {
      await store.createThread(undefined, { id });
    } catch (error) {
      // A retry after a lost response: the thread exists already. setCurrentThread checks it is ours (ids are
      // global) and makes it current, as a successful createThread would have done; if it is not ours, the
      // ConflictError stands.
      if (!(error instanceof ConflictError)) throw error;
      await store.setCurrentThread(id).catch(() => {
        throw error;
      });
    }
    this.#newThreadCreated = true;
    this.#threadId ??= id;
    return id;
  }

  #requireStore(): HistoryStore {
    if (this.#store === undefined) {
      throw new ValidationError('stateManager', 'is required to persist or load messages (pass { stateManager })');
    }
    return this.#store;
  }
}

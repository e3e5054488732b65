import type {
  AgentInputItem,
  RunContext,
  SessionHistoryTransactionArgs,
  SessionHistoryTransactionAwareSession,
} from '@openai/agents-core';
import { ConflictError, FluxiblyError, ValidationError } from '@fluxibly/core';
import type { ChatMessage, ConversationRepository, Scope, StateManager } from '@fluxibly/core';
import { itemToMessage, messageToItem } from './items.js';
import { applyTransaction } from './transactions.js';
import { withoutOrphanResults } from './window.js';

/** Largest page the contract reads in one call. */
const PAGE = 1000;
/** How often a pop retries after losing a race before giving up with `ConflictError`. */
const MAX_ATTEMPTS = 200;

/** Options of {@link FluxiblySession}. */
export interface FluxiblySessionOptions<TContext = unknown> {
  /** The user and organisation the session belongs to, and the repository it is stored in. */
  stateManager: StateManager;
  /**
   * The thread holding the session (its id is the session id). Default: the state manager's current thread, else a
   * new thread created on first use. A thread id that does not exist yet is created with that id on first use.
   */
  threadId?: string | undefined;
  /**
   * Run-context awareness (the SDK's `RunContextAwareSession`, passed by runners that support it): the tenant a
   * run acts for, from its context. When it returns a scope, that run's reads and writes use it instead of the state
   * manager's; a thread of another scope then behaves as missing (reads are empty, writes fail with `NotFoundError`).
   */
  scopeFromContext?: ((context: TContext) => Scope | undefined) | undefined;
}

/**
 * An OpenAI Agents SDK `Session` stored in a Fluxibly State thread: one item per message, in `seq` order, scoped to
 * the state manager's `{ orgId, userId }`. Every write is one atomic repository call, so concurrent runs on one
 * session never lose, duplicate or reorder items, and several processes can share a session.
 */
export class FluxiblySession<TContext = unknown> implements SessionHistoryTransactionAwareSession {
  /** Tells runners that pass a run context (`RunContextAwareSession`) to pass it to every call. */
  readonly acceptsRunContext = true as const;
  readonly #repository: ConversationRepository;
  readonly #defaultScope: Scope;
  readonly #scopeFromContext: ((context: TContext) => Scope | undefined) | undefined;
  readonly #wanted: string | undefined;
  #threadId: Promise<string> | undefined;

  constructor(options: FluxiblySessionOptions<TContext>) {
    if (typeof options !== 'object' || options === null) throw new ValidationError('options', 'must be an object');
    const { stateManager } = options;
    this.#repository = stateManager.repository;
    this.#defaultScope = stateManager.scope;
    this.#scopeFromContext = options.scopeFromContext;
    this.#wanted = options.threadId ?? stateManager.currentThreadId ?? undefined;
  }

  /** The thread id (created on first use when needed). */
  async getSessionId(runContext?: RunContext<TContext>): Promise<string> {
    this.#threadId ??= this.#ensureThread(this.#scope(runContext)).catch((error: unknown) => {
      this.#threadId = undefined;
      throw error;
    });
    return this.#threadId;
  }

  /**
   * The newest `limit` items (all without it), oldest first, read by `seq` in one round trip when `limit <= 1000`.
   * A tool result whose call falls outside the window is left out, so the items are always valid model input.
   */
  async getItems(limit?: number, runContext?: RunContext<TContext>): Promise<AgentInputItem[]> {
    const threadId = await this.getSessionId(runContext);
    if (limit !== undefined && limit <= 0) return [];
    const messages = await this.#readNewest(this.#scope(runContext), threadId, limit);
    const items = messages.map(messageToItem);
    return limit === undefined ? items : withoutOrphanResults(items);
  }

  /** Append the items in one atomic call (at most 1000 per call), in order. */
  async addItems(items: AgentInputItem[], runContext?: RunContext<TContext>): Promise<void> {
    if (items.length === 0) return;
    const threadId = await this.getSessionId(runContext);
    await this.#repository.appendMessages(this.#scope(runContext), {
      threadId,
      messages: items.map((item) => itemToMessage(item)),
    });
  }

  /**
   * Remove and return the newest item. The removal is a `truncateThread` guarded by `expectedLastSeq`, and it counts
   * only when it removed exactly that item: of two concurrent pops each gets a different item (or `undefined`).
   */
  async popItem(runContext?: RunContext<TContext>): Promise<AgentInputItem | undefined> {
    const threadId = await this.getSessionId(runContext);
    const scope = this.#scope(runContext);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const thread = await this.#repository.getThread(scope, threadId);
      if (thread === null) return undefined;
      const page = await this.#repository.getMessages(scope, { threadId, limit: 1 });
      const newest = page?.messages[0];
      if (newest === undefined) return undefined;
      if (newest.seq > thread.lastSeq) continue; // appended between the two reads
      try {
        const removed = await this.#repository.truncateThread(scope, {
          threadId,
          afterSeq: newest.seq - 1,
          expectedLastSeq: thread.lastSeq,
        });
        if (removed === 1) return messageToItem(newest);
      } catch (error) {
        if (!FluxiblyError.is(error, 'CONFLICT')) throw error;
      }
      await pause(attempt);
    }
    throw new ConflictError('popItem: the session kept changing; try again');
  }

  /** Remove every item (the thread and its id stay). */
  async clearSession(runContext?: RunContext<TContext>): Promise<void> {
    const threadId = await this.getSessionId(runContext);
    await this.#repository.clearThread(this.#scope(runContext), threadId);
  }

  /**
   * Replace the whole history with `items` (a compaction marker and what it keeps) in one atomic step: a reader sees
   * the old history or the new one, never a mix.
   */
  async replaceHistoryWithCompaction(items: AgentInputItem[], runContext?: RunContext<TContext>): Promise<void> {
    const threadId = await this.getSessionId(runContext);
    const scope = this.#scope(runContext);
    if (items.length === 0) {
      await this.#repository.clearThread(scope, threadId);
      return;
    }
    await this.#repository.appendMessages(scope, {
      threadId,
      replaceAfterSeq: 0,
      messages: items.map((item) => itemToMessage(item)),
    });
  }

  /**
   * Apply `append_items` or `replace_suffix` atomically and idempotently: a retry with the same `operationId` and
   * transaction is a no-op; the same `operationId` with another transaction, or an `expectedSuffix` that is not the
   * stored suffix, throws `ConflictError` and changes nothing.
   */
  async applyHistoryTransaction(args: SessionHistoryTransactionArgs, runContext?: RunContext<TContext>): Promise<void> {
    const threadId = await this.getSessionId(runContext);
    await applyTransaction(this.#repository, this.#scope(runContext), threadId, args);
  }

  /** The scope of a call: the run context's tenant when a resolver is set and gives one, else the state manager's. */
  #scope(runContext: RunContext<TContext> | undefined): Scope {
    if (runContext === undefined || this.#scopeFromContext === undefined) return this.#defaultScope;
    return this.#scopeFromContext(runContext.context) ?? this.#defaultScope;
  }

  async #ensureThread(scope: Scope): Promise<string> {
    const wanted = this.#wanted;
    if (wanted === undefined) return (await this.#repository.createThread(scope)).id;
    if ((await this.#repository.getThread(scope, wanted)) !== null) return wanted;
    try {
      return (await this.#repository.createThread(scope, { id: wanted })).id;
    } catch (error) {
      // Another process created it first: fine if it is this scope's thread.
      if (FluxiblyError.is(error, 'CONFLICT') && (await this.#repository.getThread(scope, wanted)) !== null) {
        return wanted;
      }
      throw error;
    }
  }

  /** The newest `limit` messages (every message without it), oldest first. */
  async #readNewest(scope: Scope, threadId: string, limit: number | undefined): Promise<ChatMessage[]> {
    const pages: ChatMessage[][] = [];
    let remaining = limit ?? Number.POSITIVE_INFINITY;
    let before: string | undefined;
    while (remaining > 0) {
      const size = Math.min(PAGE, remaining);
      const page = await this.#repository.getMessages(scope, {
        threadId,
        limit: size,
        ...(before ? { before } : {}),
      });
      if (page === null) break;
      pages.unshift(page.messages);
      remaining -= page.messages.length;
      if (page.olderCursor === null || page.messages.length < size) break;
      before = page.olderCursor;
    }
    return pages.flat();
  }
}

async function pause(attempt: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(20, 1 + attempt)));
}

import { BaseListChatMessageHistory } from '@langchain/core/chat_history';
import type { BaseMessage } from '@langchain/core/messages';
import { FluxiblyError, ValidationError } from '@fluxibly/core';
import type { ChatMessage, ConversationRepository, Scope, StateManager } from '@fluxibly/core';
import { fromStored, toNewMessage } from './codec.js';

const PAGE = 1000;

/** Options of {@link FluxiblyChatMessageHistory}. */
export interface FluxiblyChatMessageHistoryOptions {
  /** The user and organisation the history belongs to, and the repository it is stored in. */
  stateManager: StateManager;
  /** The thread holding the history; created with this id on first use when it does not exist yet. */
  threadId: string;
}

/**
 * A LangChain chat-message history stored in a Fluxibly State thread: one message per LangChain message, in `seq`
 * order, scoped to the state manager's `{ orgId, userId }`. `addMessages` is one atomic append; every field of every
 * message type is kept.
 */
export class FluxiblyChatMessageHistory extends BaseListChatMessageHistory {
  lc_namespace = ['fluxibly', 'langchain', 'history'];
  readonly #repository: ConversationRepository;
  readonly #scope: Scope;
  readonly #threadId: string;
  #ready: Promise<void> | undefined;

  constructor(options: FluxiblyChatMessageHistoryOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new ValidationError('options', 'must be an object');
    if (typeof options.threadId !== 'string') throw new ValidationError('threadId', 'must be a string');
    this.#repository = options.stateManager.repository;
    this.#scope = options.stateManager.scope;
    this.#threadId = options.threadId;
  }

  /** The thread id. */
  get threadId(): string {
    return this.#threadId;
  }

  /** Every message, oldest first (by `seq`, never by timestamp). */
  async getMessages(): Promise<BaseMessage[]> {
    const messages: ChatMessage[][] = [];
    let before: string | undefined;
    for (;;) {
      const page = await this.#repository.getMessages(this.#scope, {
        threadId: this.#threadId,
        limit: PAGE,
        ...(before === undefined ? {} : { before }),
      });
      if (page === null) return [];
      messages.unshift(page.messages);
      if (page.olderCursor === null || page.messages.length < PAGE) break;
      before = page.olderCursor;
    }
    return messages.flat().map(fromStored);
  }

  /** Append one message. */
  async addMessage(message: BaseMessage): Promise<void> {
    await this.addMessages([message]);
  }

  /** Append the messages in one atomic call (at most 1000), in order. */
  override async addMessages(messages: BaseMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.#ensureThread();
    await this.#repository.appendMessages(this.#scope, {
      threadId: this.#threadId,
      messages: messages.map(toNewMessage),
    });
  }

  /** Remove every message (the thread stays). */
  override async clear(): Promise<void> {
    if ((await this.#repository.getThread(this.#scope, this.#threadId)) === null) return;
    await this.#repository.clearThread(this.#scope, this.#threadId);
  }

  async #ensureThread(): Promise<void> {
    this.#ready ??= this.#create().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #create(): Promise<void> {
    if ((await this.#repository.getThread(this.#scope, this.#threadId)) !== null) return;
    try {
      await this.#repository.createThread(this.#scope, { id: this.#threadId });
    } catch (error) {
      // Created by another process meanwhile: fine when it is this scope's thread.
      const ours =
        FluxiblyError.is(error, 'CONFLICT') && (await this.#repository.getThread(this.#scope, this.#threadId)) !== null;
      if (!ours) throw error;
    }
  }
}

/**
 * The `getMessageHistory` of `RunnableWithMessageHistory`: each session id is a thread of the state manager's
 * `{ orgId, userId }`, so one user's sessions never reach another's (another tenant's id is a `ConflictError`).
 */
export function messageHistoryFactory(stateManager: StateManager): (sessionId: string) => FluxiblyChatMessageHistory {
  return (sessionId) => new FluxiblyChatMessageHistory({ stateManager, threadId: sessionId });
}

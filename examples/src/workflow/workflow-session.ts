import type { ChatMessage, StateManager } from '@fluxibly/core';
import type { Responder } from '../support/deterministic-responder.js';

/** Options shared by {@link WorkflowSession.start} and {@link WorkflowSession.resume}. */
export interface WorkflowSessionOptions {
  /** The user's StateManager: every session acts for exactly one user. */
  readonly stateManager: StateManager;
  /** Writes the assistant's turns. */
  readonly responder: Responder;
  /** How many of the newest stored messages the responder sees each turn (1–1000). Default 20. */
  readonly contextSize?: number;
}

/** What one {@link WorkflowSession.turn} stored. */
export interface TurnResult {
  /** The user's message as stored (with its `seq`). */
  readonly user: ChatMessage;
  /** The assistant's reply as stored. */
  readonly assistant: ChatMessage;
  /** How many earlier messages the responder was given. */
  readonly contextSize: number;
}

/**
 * A stateful conversation of one user that lives in the database, not in the process: every turn loads the
 * newest messages of the thread, asks the responder with them as context, and stores the question and the
 * answer. Because nothing is kept in memory between turns, a session can be dropped and resumed anywhere (another
 * process, another machine) with {@link WorkflowSession.resume} and the thread id.
 */
export class WorkflowSession {
  readonly #stateManager: StateManager;
  readonly #responder: Responder;
  readonly #contextSize: number;
  readonly #threadId: string;

  private constructor(options: WorkflowSessionOptions, threadId: string) {
    this.#stateManager = options.stateManager;
    this.#responder = options.responder;
    this.#contextSize = options.contextSize ?? 20;
    this.#threadId = threadId;
  }

  /** Start a session on a new thread named `threadName`. */
  static async start(options: WorkflowSessionOptions & { readonly threadName: string }): Promise<WorkflowSession> {
    const thread = await options.stateManager.createThread(options.threadName, {
      metadata: { kind: 'workflow-session' },
    });
    return new WorkflowSession(options, thread.id);
  }

  /** Resume a session on one of this user's threads. @throws NotFoundError when it is not this user's thread. */
  static async resume(options: WorkflowSessionOptions & { readonly threadId: string }): Promise<WorkflowSession> {
    const thread = await options.stateManager.setCurrentThread(options.threadId);
    return new WorkflowSession(options, thread.id);
  }

  /** The thread this session writes to. */
  get threadId(): string {
    return this.#threadId;
  }

  /** The user this session acts for. */
  get userId(): string {
    return this.#stateManager.userId;
  }

  /**
   * One turn: load the context, get the reply, store the question and the reply together. Both messages are
   * appended in one atomic call, so the thread never holds a question without its answer.
   */
  async turn(userText: string): Promise<TurnResult> {
    const threadId = this.#threadId;
    const context = await this.#stateManager.getMessages({ threadId, limit: this.#contextSize });
    const reply = this.#responder.respond(userText, context);
    const [user, assistant] = await this.#stateManager.addMessages(
      [
        { role: 'user', content: userText },
        { role: 'assistant', content: reply },
      ],
      { threadId },
    );
    if (user === undefined || assistant === undefined) throw new Error('the repository did not return both messages');
    return { user, assistant, contextSize: context.length };
  }

  /** The whole conversation, oldest first. */
  async transcript(): Promise<ChatMessage[]> {
    return this.#stateManager.loadConversationHistory({ threadId: this.#threadId });
  }
}

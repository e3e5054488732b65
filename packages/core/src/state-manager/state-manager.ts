import type { ConversationRepository } from '../contract/repository.js';
import type { MessagePage, ThreadPage } from '../contract/options.js';
import { ValidationError } from '../errors/errors.js';
import type { ChatMessage, MessageContent, MessageRole, NewMessage } from '../model/message.js';
import type { Scope } from '../model/scope.js';
import type { ChatThread } from '../model/thread.js';
import { validateId, validateInputObject, validateInteger, validateName } from '../validation/primitives.js';
import { asArgumentError } from './message-input.js';
import type {
  AddMessageOptions,
  AddMessagesOptions,
  CreateThreadOptions,
  EditMessageOptions,
  ForkThreadOptions,
  GetMessagesOptions,
  ListThreadsOptions,
  LoadHistoryOptions,
  SearchMessagesOptions,
  StateManagerOptions,
  ThreadTarget,
  TruncateThreadOptions,
  UpdateThreadOptions,
} from './options.js';
import { collectThreads, readWholeThread } from './paging.js';
import { readFromSummary } from './summary.js';
import { assertRepository, pick, threadNotFound } from './support.js';

const NO_CURRENT_THREAD =
  'no current thread: call createThread() or setCurrentThread() first, or pass { threadId } to this call';

/**
 * One user's conversations in one organisation, over any {@link ConversationRepository}. It keeps a *current
 * thread*: `createThread` and `setCurrentThread` set it, and every method that acts on a thread uses it unless
 * given `{ threadId }` (or a thread id argument). Without either, such a method throws `ValidationError` on field
 * `threadId`. Threads of other users or organisations behave exactly as missing ones.
 *
 * A StateManager holds no connection of its own and never closes the repository.
 */
export class StateManager {
  readonly #repository: ConversationRepository;
  readonly #scope: Scope;
  #currentThreadId: string | null;

  /** @throws ValidationError naming `repository`, `userId`, `orgId` or `threadId` when one is missing or invalid. */
  constructor(options: StateManagerOptions) {
    const input = validateInputObject(options, 'options');
    this.#repository = assertRepository(input.repository);
    this.#scope = Object.freeze({
      orgId: validateId(input.orgId, 'orgId'),
      userId: validateId(input.userId, 'userId'),
    });
    this.#currentThreadId = input.threadId === undefined ? null : validateId(input.threadId, 'threadId');
  }

  /** The repository this manager works on. */
  get repository(): ConversationRepository {
    return this.#repository;
  }

  /** The user every call acts for. */
  get userId(): string {
    return this.#scope.userId;
  }

  /** The organisation every call acts for. */
  get orgId(): string {
    return this.#scope.orgId;
  }

  /** The scope passed to every repository call. */
  get scope(): Scope {
    return this.#scope;
  }

  /** The current thread's id, or `null` when there is none. */
  get currentThreadId(): string | null {
    return this.#currentThreadId;
  }

  /** Create a thread for this user; it becomes the current thread. */
  async createThread(name?: string, options: CreateThreadOptions = {}): Promise<ChatThread> {
    validateInputObject(options, 'options');
    const validName = name === undefined ? undefined : validateName(name, 'name', { allowEmpty: true });
    const input = pick({ ...options, name: validName }, ['name', 'metadata', 'id']);
    const thread = await this.#repository.createThread(this.#scope, input);
    this.#currentThreadId = thread.id;
    return thread;
  }

  /**
   * Make `threadId` the current thread, after checking it is one of this user's threads.
   * @throws NotFoundError when it does not exist for this user (the current thread is left unchanged).
   */
  async setCurrentThread(threadId: string): Promise<ChatThread> {
    const id = validateId(threadId, 'threadId');
    const thread = await this.#repository.getThread(this.#scope, id);
    if (thread === null) throw threadNotFound(id);
    this.#currentThreadId = thread.id;
    return thread;
  }

  /** One of this user's threads, or `null` when it does not exist for this user. */
  async getThread(threadId: string): Promise<ChatThread | null> {
    return this.#repository.getThread(this.#scope, validateId(threadId, 'threadId'));
  }

  /**
   * Threads, newest activity first: this user's (default) or, with `scope: 'org'`, the whole organisation's.
   * Without `limit`, every thread (paging internally); with it, at most `limit` (any size).
   */
  async listThreads(options: ListThreadsOptions = {}): Promise<ChatThread[]> {
    validateInputObject(options, 'options');
    const { scope, cursor } = options;
    const limit =
      options.limit === undefined
        ? undefined
        : validateInteger(options.limit, 'limit', { min: 1, max: Number.MAX_SAFE_INTEGER });
    return collectThreads((size, next) => this.#listPage(scope, size, next, options.metadata), limit, cursor);
  }

  /** One page of threads (at most 1000), with the cursor of the next page. */
  async listThreadsPage(options: ListThreadsOptions = {}): Promise<ThreadPage> {
    validateInputObject(options, 'options');
    return this.#listPage(options.scope, options.limit, options.cursor, options.metadata);
  }

  /** Rename a thread (the current one by default). @throws NotFoundError when it does not exist for this user. */
  async renameThread(name: string, options: ThreadTarget = {}): Promise<ChatThread> {
    validateInputObject(options, 'options');
    return this.updateThread({ threadId: options.threadId, name });
  }

  /**
   * Rename a thread (the current one by default), replace its metadata or patch it atomically (`metadataPatch`),
   * optionally as a compare-and-set (`expectedMetadata`): see `ConversationRepository.updateThread`.
   * @throws NotFoundError when it does not exist for this user.
   * @throws ConflictError when `expectedMetadata` does not match.
   */
  async updateThread(options: UpdateThreadOptions): Promise<ChatThread> {
    validateInputObject(options, 'options');
    const threadId = this.#threadId(options.threadId);
    return this.#repository.updateThread(this.#scope, {
      threadId,
      ...pick(options, ['name', 'metadata', 'metadataPatch', 'expectedMetadata']),
    });
  }

  /**
   * Remove every message after `afterSeq` from a thread (the current one by default), atomically; returns how many
   * were removed. Seqs are never reused. @throws NotFoundError when it does not exist for this user.
   * @throws ConflictError when `expectedLastSeq` is given and the thread has moved.
   */
  async truncateThread(options: TruncateThreadOptions): Promise<number> {
    validateInputObject(options, 'options');
    const threadId = this.#threadId(options.threadId);
    return this.#repository.truncateThread(this.#scope, {
      threadId,
      afterSeq: options.afterSeq,
      ...pick(options, ['expectedLastSeq']),
    });
  }

  /**
   * Remove every message of a thread (the current one by default) and keep the thread; returns how many were
   * removed. `seq`s continue after the old ones. @throws NotFoundError when it does not exist for this user.
   */
  async clearThread(thread?: string | ThreadTarget): Promise<number> {
    return this.#repository.clearThread(this.#scope, this.#threadId(targetOf(thread)));
  }

  /**
   * Delete a thread (the current one by default) and its messages. Returns `false` when it did not exist for this
   * user. When it was the current thread, there is no current thread afterwards.
   */
  async deleteThread(thread?: string | ThreadTarget): Promise<boolean> {
    const threadId = this.#threadId(targetOf(thread));
    const deleted = await this.#repository.deleteThread(this.#scope, threadId);
    if (this.#currentThreadId === threadId) this.#currentThreadId = null;
    return deleted;
  }

  /**
   * Copy a thread (the current one by default) up to `atSeq` into a new thread of this user. The current thread
   * changes only with `makeCurrent: true`. @throws NotFoundError when the source does not exist for this user.
   */
  async forkThread(options: ForkThreadOptions = {}): Promise<ChatThread> {
    validateInputObject(options, 'options');
    const threadId = this.#threadId(options.threadId);
    const fork = await this.#repository.forkThread(this.#scope, {
      threadId,
      ...pick(options, ['atSeq', 'id', 'name', 'metadata']),
    });
    if (options.makeCurrent === true) this.#currentThreadId = fork.id;
    return fork;
  }

  /**
   * Append one message to a thread (the current one by default) and return it as stored, with its `seq`.
   * Bad arguments throw `ValidationError` naming them (`role`, `content[0].type`, `metadata.x`…).
   * @throws NotFoundError when the thread does not exist for this user.
   * @throws ConflictError when `expectedLastSeq` is given and the thread has moved.
   */
  async addMessage(role: MessageRole, content: MessageContent, options: AddMessageOptions = {}): Promise<ChatMessage> {
    validateInputObject(options, 'options');
    // The repository validates and copies the message (once per call); its errors name `messages[0].content…`,
    // which this call reports as the argument the caller wrote (`content…`, `role`, `metadata.x`).
    const message: NewMessage = {
      role,
      content,
      ...pick(options, ['metadata', 'name', 'toolCallId', 'id', 'status', 'tokenCount']),
    };
    let stored: ChatMessage | undefined;
    try {
      [stored] = await this.addMessages([message], pick(options, ['threadId', 'expectedLastSeq']));
    } catch (error) {
      throw asArgumentError(error);
    }
    if (stored === undefined) throw new Error('the repository returned no message for a one-message append');
    return stored;
  }

  /**
   * Append messages atomically, in order, to a thread (the current one by default): see
   * `ConversationRepository.appendMessages` for the ordering, idempotency and concurrency guarantees.
   */
  async addMessages(messages: readonly NewMessage[], options: AddMessagesOptions = {}): Promise<ChatMessage[]> {
    validateInputObject(options, 'options');
    const threadId = this.#threadId(options.threadId);
    return this.#repository.appendMessages(this.#scope, {
      threadId,
      messages,
      ...pick(options, ['expectedLastSeq', 'replaceAfterSeq']),
    });
  }

  /**
   * Messages of a thread (the current one by default), oldest first: the newest `limit` (default 50), or the page
   * next to a `before`/`after` cursor. @throws NotFoundError when the thread does not exist for this user.
   */
  async getMessages(options: GetMessagesOptions = {}): Promise<ChatMessage[]> {
    return (await this.getMessagesPage(options)).messages;
  }

  /** Like {@link getMessages}, with the cursors of the neighbouring pages. */
  async getMessagesPage(options: GetMessagesOptions = {}): Promise<MessagePage> {
    validateInputObject(options, 'options');
    const threadId = this.#threadId(options.threadId);
    const page = await this.#repository.getMessages(this.#scope, {
      threadId,
      ...pick(options, ['limit', 'before', 'after']),
    });
    if (page === null) throw threadNotFound(threadId);
    return page;
  }

  /**
   * The whole thread (the current one by default), oldest first, read page by page (1000 per round trip). With
   * `fromSummary`, from its newest summary: the leading system messages, the summary, and the messages after the
   * range it covers (the whole thread when it has none).
   * @throws NotFoundError when the thread does not exist for this user.
   */
  async loadConversationHistory(options: LoadHistoryOptions = {}): Promise<ChatMessage[]> {
    const threadId = this.#threadId(validateInputObject(options, 'options').threadId);
    if (options.fromSummary === true) {
      const thread = await this.getThread(threadId);
      if (thread === null) throw threadNotFound(threadId);
      const fromSummary = await readFromSummary(this, thread);
      if (fromSummary !== null) return fromSummary;
    } else if (options.fromSummary !== undefined && options.fromSummary !== false) {
      throw new ValidationError('fromSummary', 'must be a boolean');
    }
    const all = await readWholeThread((after, limit) =>
      this.#repository.getMessages(this.#scope, { threadId, after, limit }),
    );
    if (all === null) throw threadNotFound(threadId);
    return all;
  }

  /** One message of a thread (the current one by default), or `null` when it does not exist for this user. */
  async getMessage(messageId: string, options: ThreadTarget = {}): Promise<ChatMessage | null> {
    const threadId = this.#threadId(validateInputObject(options, 'options').threadId);
    return this.#repository.getMessage(this.#scope, { threadId, messageId: validateId(messageId, 'messageId') });
  }

  /**
   * Replace a message's content, metadata, status and/or token count (sets `editedAt`). With `expectedStatus`, only
   * if the message has that status now: finishing a streamed reply happens exactly once.
   * @throws NotFoundError when the thread (for this user) or the message does not exist.
   * @throws ConflictError when `expectedStatus` differs from the message's status.
   */
  async editMessage(messageId: string, options: EditMessageOptions): Promise<ChatMessage> {
    validateInputObject(options, 'options');
    const threadId = this.#threadId(options.threadId);
    return this.#repository.editMessage(this.#scope, {
      threadId,
      messageId: validateId(messageId, 'messageId'),
      ...pick(options, ['content', 'metadata', 'status', 'tokenCount', 'expectedStatus']),
    });
  }

  /** Delete one message (its `seq` is left as a gap). Returns `false` when it did not exist for this user. */
  async deleteMessage(messageId: string, options: ThreadTarget = {}): Promise<boolean> {
    const threadId = this.#threadId(validateInputObject(options, 'options').threadId);
    return this.#repository.deleteMessage(this.#scope, { threadId, messageId: validateId(messageId, 'messageId') });
  }

  /**
   * Messages of this user whose text matches `query`, best match first, across all their threads unless
   * `threadId` is given. @throws UnsupportedError when the repository has no full-text search.
   */
  async searchMessages(query: string, options: SearchMessagesOptions = {}): Promise<ChatMessage[]> {
    validateInputObject(options, 'options');
    return this.#repository.searchMessages(this.#scope, { query, ...pick(options, ['threadId', 'limit']) });
  }

  #threadId(threadId: unknown): string {
    if (threadId !== undefined) return validateId(threadId, 'threadId');
    if (this.#currentThreadId === null) throw new ValidationError('threadId', NO_CURRENT_THREAD);
    return this.#currentThreadId;
  }

  async #listPage(
    scope: unknown,
    limit: number | undefined,
    cursor: string | undefined,
    metadata: ListThreadsOptions['metadata'],
  ): Promise<ThreadPage> {
    const input = pick({ limit, cursor, metadata }, ['limit', 'cursor', 'metadata']);
    if (scope === undefined || scope === 'user') return this.#repository.listThreads(this.#scope, input);
    if (scope === 'org') return this.#repository.listOrgThreads({ orgId: this.#scope.orgId }, input);
    throw new ValidationError('scope', "must be 'user' or 'org'");
  }
}

function targetOf(thread: string | ThreadTarget | undefined): unknown {
  if (thread === undefined || typeof thread === 'string') return thread;
  return validateInputObject(thread, 'options').threadId;
}

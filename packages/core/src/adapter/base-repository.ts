import type { RepositoryCapabilities } from '../contract/capabilities.js';
import type {
  AppendMessagesInput,
  CreateThreadInput,
  EditMessageInput,
  ForkThreadInput,
  GetMessagesInput,
  ListThreadsInput,
  MessagePage,
  MessageRef,
  SearchMessagesInput,
  ThreadPage,
  UpdateThreadInput,
} from '../contract/options.js';
import type { ConversationRepository } from '../contract/repository.js';
import { UnavailableError, UnsupportedError, ValidationError } from '../errors/errors.js';
import { FluxiblyError } from '../errors/fluxibly-error.js';
import { PendingCalls } from '../kit/pending-calls.js';
import type { ChatMessage } from '../model/message.js';
import type { OrgScope, Scope } from '../model/scope.js';
import type { ChatThread } from '../model/thread.js';
import {
  validateAppend,
  validateCreateThread,
  validateEdit,
  validateFork,
  validateGetMessages,
  validateListThreads,
  validateMessageRef,
  validateSearch,
  validateUpdateThread,
} from '../validation/inputs.js';
import { validateId, validateOrgScope, validateScope } from '../validation/primitives.js';
import type { RepositoryKit, StorageOperations } from './storage-operations.js';

/**
 * The `ConversationRepository` an adapter extends: it owns what every adapter must do alike, once per call — the
 * closed check, scope and input validation (content validated and copied once), the call bound and `close()`
 * settling pending calls ({@link PendingCalls}), and error mapping — and hands validated input to the adapter's
 * {@link StorageOperations}. Order per call: closed → scope → input → operation.
 *
 * @example
 * export class SqliteConversationRepository extends BaseConversationRepository {
 *   constructor(options: SqliteOptions) {
 *     const db = openDatabase(options.path);
 *     super({ backend: 'sqlite', capabilities: { fullTextSearch: false, ttl: false } }, sqliteOperations(db));
 *   }
 * }
 */
export abstract class BaseConversationRepository implements ConversationRepository {
  readonly capabilities: RepositoryCapabilities;
  readonly #operations: StorageOperations;
  readonly #calls: PendingCalls;
  readonly #backend: string;
  readonly #mapError: RepositoryKit['mapError'];

  protected constructor(kit: RepositoryKit, operations: StorageOperations) {
    this.capabilities = Object.freeze({ ...kit.capabilities });
    this.#operations = operations;
    this.#backend = kit.backend;
    this.#mapError = kit.mapError;
    this.#calls = new PendingCalls({ backend: kit.backend, deadlineMs: kit.deadlineMs ?? 0 });
  }

  /** Whether {@link close} was called. */
  protected get closed(): boolean {
    return this.#calls.closed;
  }

  /**
   * Run an adapter-specific operation (e.g. `migrate()`) like the contract's: rejected after `close()`, bounded by
   * the deadline (or by `options.deadlineMs` for this call; `0`: no bound — `close()` still settles it), errors
   * mapped.
   */
  protected run<T>(work: () => Promise<T>, options: { deadlineMs?: number } = {}): Promise<T> {
    return this.#calls.run(async () => {
      try {
        return await work();
      } catch (error) {
        throw this.mapError(error);
      }
    }, options.deadlineMs);
  }

  /** What a call rejects with for `error`: a `FluxiblyError` as it is, anything else through the adapter's mapper. */
  protected mapError(error: unknown): Error {
    if (FluxiblyError.is(error)) return error;
    const mapped = this.#mapError?.(error);
    if (mapped !== undefined) return mapped;
    const kind = error instanceof Error ? error.name : typeof error;
    return new UnavailableError(`${this.#backend} failed (${kind})`, { cause: error });
  }

  /**
   * One contract call: validate (anything but a `FluxiblyError` thrown while reading the caller's input — a getter
   * or `Proxy` that throws — is a `ValidationError` naming `input`), then operate, bounded and mapped.
   */
  #call<V, T>(validate: () => V, operate: (valid: V) => Promise<T>): Promise<T> {
    return this.run(() => operate(validInput(validate)));
  }

  createThread(scope: Scope, input?: CreateThreadInput): Promise<ChatThread> {
    return this.#call(
      () => [validateScope(scope), validateCreateThread(input)] as const,
      ([valid, request]) => this.#operations.createThread(valid, request),
    );
  }

  getThread(scope: Scope, threadId: string): Promise<ChatThread | null> {
    return this.#call(
      () => [validateScope(scope), validateId(threadId, 'threadId')] as const,
      ([valid, request]) => this.#operations.getThread(valid, request),
    );
  }

  listThreads(scope: Scope, input?: ListThreadsInput): Promise<ThreadPage> {
    return this.#call(
      () => [validateScope(scope), validateListThreads(input)] as const,
      ([valid, request]) => this.#operations.listThreads(valid, request),
    );
  }

  listOrgThreads(scope: OrgScope, input?: ListThreadsInput): Promise<ThreadPage> {
    return this.#call(
      () => [validateOrgScope(scope), validateListThreads(input)] as const,
      ([valid, request]) => this.#operations.listOrgThreads(valid, request),
    );
  }

  updateThread(scope: Scope, input: UpdateThreadInput): Promise<ChatThread> {
    return this.#call(
      () => [validateScope(scope), validateUpdateThread(input)] as const,
      ([valid, request]) => this.#operations.updateThread(valid, request),
    );
  }

  deleteThread(scope: Scope, threadId: string): Promise<boolean> {
    return this.#call(
      () => [validateScope(scope), validateId(threadId, 'threadId')] as const,
      ([valid, request]) => this.#operations.deleteThread(valid, request),
    );
  }

  clearThread(scope: Scope, threadId: string): Promise<number> {
    return this.#call(
      () => [validateScope(scope), validateId(threadId, 'threadId')] as const,
      ([valid, request]) => this.#operations.clearThread(valid, request),
    );
  }

  appendMessages(scope: Scope, input: AppendMessagesInput): Promise<ChatMessage[]> {
    return this.#call(
      () => [validateScope(scope), validateAppend(input)] as const,
      ([valid, request]) => this.#operations.appendMessages(valid, request),
    );
  }

  getMessages(scope: Scope, input: GetMessagesInput): Promise<MessagePage | null> {
    return this.#call(
      () => [validateScope(scope), validateGetMessages(input)] as const,
      ([valid, request]) => this.#operations.getMessages(valid, request),
    );
  }

  getMessage(scope: Scope, input: MessageRef): Promise<ChatMessage | null> {
    return this.#call(
      () => [validateScope(scope), validateMessageRef(input)] as const,
      ([valid, request]) => this.#operations.getMessage(valid, request),
    );
  }

  editMessage(scope: Scope, input: EditMessageInput): Promise<ChatMessage> {
    return this.#call(
      () => [validateScope(scope), validateEdit(input)] as const,
      ([valid, request]) => this.#operations.editMessage(valid, request),
    );
  }

  deleteMessage(scope: Scope, input: MessageRef): Promise<boolean> {
    return this.#call(
      () => [validateScope(scope), validateMessageRef(input)] as const,
      ([valid, request]) => this.#operations.deleteMessage(valid, request),
    );
  }

  forkThread(scope: Scope, input: ForkThreadInput): Promise<ChatThread> {
    return this.#call(
      () => [validateScope(scope), validateFork(input)] as const,
      ([valid, request]) => this.#operations.forkThread(valid, request),
    );
  }

  searchMessages(scope: Scope, input: SearchMessagesInput): Promise<ChatMessage[]> {
    return this.#call(
      () => {
        const valid = validateScope(scope);
        if (!this.capabilities.fullTextSearch || this.#operations.searchMessages === undefined) {
          throw new UnsupportedError(`full-text search is not offered by the ${this.#backend} repository`);
        }
        return [valid, validateSearch(input)] as const;
      },
      ([valid, request]) => (this.#operations as Required<StorageOperations>).searchMessages(valid, request),
    );
  }

  /** Settle every pending call (`UnavailableError('repository is closed')`), then release what the adapter opened. Idempotent. */
  async close(): Promise<void> {
    if (this.#calls.closed) return;
    this.#calls.close();
    await this.#operations.close();
  }
}

function validInput<T>(validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (FluxiblyError.is(error)) throw error;
    const kind = error instanceof Error ? error.name : typeof error;
    throw new ValidationError('input', `could not be read (${kind})`, { cause: error });
  }
}

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
  TruncateThreadInput,
  UpdateThreadInput,
} from '../contract/options.js';
import type { ConversationRepository } from '../contract/repository.js';
import type {
  EraseResult,
  ImportMessagesInput,
  ImportThreadInput,
  PruneResult,
  PruneScope,
  PruneThreadsInput,
  TransferThreadInput,
} from '../contract/lifecycle.js';
import {
  validateImportMessages,
  validateImportThread,
  validatePrune,
  validatePruneScope,
  validateTransfer,
} from '../validation/lifecycle.js';
import { LIMITS } from '../validation/limits.js';
import { UnavailableError, UnsupportedError, ValidationError } from '../errors/errors.js';
import { FluxiblyError } from '../errors/fluxibly-error.js';
import { PendingCalls } from '../kit/pending-calls.js';
import { repositoryClosed } from './standard-errors.js';
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
  validateTruncate,
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
  #closing: Promise<void> | undefined;
  /** Runs one call: through {@link PendingCalls}, or, for an in-process store, directly (see `inProcess`). */
  readonly #run: <T>(work: () => Promise<T>) => Promise<T>;
  readonly #backend: string;
  readonly #mapError: RepositoryKit['mapError'];
  readonly #searchUnsupportedReason: string | undefined;

  protected constructor(kit: RepositoryKit, operations: StorageOperations) {
    this.capabilities = Object.freeze({ ...kit.capabilities });
    this.#operations = operations;
    this.#backend = kit.backend;
    this.#mapError = kit.mapError;
    this.#searchUnsupportedReason = kit.searchUnsupportedReason;
    this.#calls = new PendingCalls({
      backend: kit.backend,
      deadlineMs: kit.deadlineMs ?? 0,
      mapError: (error) => this.mapError(error),
    });
    this.#run = kit.inProcess === true ? (work) => this.#runInProcess(work) : (work) => this.#calls.run(work);
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
    return this.#calls.run(work, options.deadlineMs);
  }

  #runInProcess<T>(work: () => Promise<T>): Promise<T> {
    if (this.#calls.closed) return Promise.reject(repositoryClosed());
    try {
      return work().then(undefined, (error: unknown) => Promise.reject(this.mapError(error)));
    } catch (error) {
      return Promise.reject(this.mapError(error));
    }
  }

  /** What a call rejects with for `error`: a `FluxiblyError` as it is, anything else through the adapter's mapper. */
  protected mapError(error: unknown): Error {
    if (FluxiblyError.is(error)) return error;
    const mapped = this.#mapError?.(error);
    if (mapped !== undefined) return mapped;
    const kind = error instanceof Error ? error.name : typeof error;
    return new UnavailableError(`${this.#backend} failed (${kind})`, { cause: error });
  }

  createThread(scope: Scope, input?: CreateThreadInput): Promise<ChatThread> {
    return this.#run(() =>
      this.#operations.createThread(valid(validateScope, scope), valid(validateCreateThread, input)),
    );
  }

  getThread(scope: Scope, threadId: string): Promise<ChatThread | null> {
    return this.#run(() => this.#operations.getThread(valid(validateScope, scope), valid(validateThreadId, threadId)));
  }

  listThreads(scope: Scope, input?: ListThreadsInput): Promise<ThreadPage> {
    return this.#run(() =>
      this.#operations.listThreads(valid(validateScope, scope), valid(validateListThreads, input)),
    );
  }

  listOrgThreads(scope: OrgScope, input?: ListThreadsInput): Promise<ThreadPage> {
    return this.#run(() =>
      this.#operations.listOrgThreads(valid(validateOrgScope, scope), valid(validateListThreads, input)),
    );
  }

  updateThread(scope: Scope, input: UpdateThreadInput): Promise<ChatThread> {
    return this.#run(() =>
      this.#operations.updateThread(valid(validateScope, scope), valid(validateUpdateThread, input)),
    );
  }

  deleteThread(scope: Scope, threadId: string): Promise<boolean> {
    return this.#run(() =>
      this.#operations.deleteThread(valid(validateScope, scope), valid(validateThreadId, threadId)),
    );
  }

  clearThread(scope: Scope, threadId: string): Promise<number> {
    return this.#run(() =>
      this.#operations.clearThread(valid(validateScope, scope), valid(validateThreadId, threadId)),
    );
  }

  truncateThread(scope: Scope, input: TruncateThreadInput): Promise<number> {
    return this.#run(() =>
      this.#operations.truncateThread(valid(validateScope, scope), valid(validateTruncate, input)),
    );
  }

  appendMessages(scope: Scope, input: AppendMessagesInput): Promise<ChatMessage[]> {
    return this.#run(() => this.#operations.appendMessages(valid(validateScope, scope), valid(validateAppend, input)));
  }

  getMessages(scope: Scope, input: GetMessagesInput): Promise<MessagePage | null> {
    return this.#run(() =>
      this.#operations.getMessages(valid(validateScope, scope), valid(validateGetMessages, input)),
    );
  }

  getMessage(scope: Scope, input: MessageRef): Promise<ChatMessage | null> {
    return this.#run(() => this.#operations.getMessage(valid(validateScope, scope), valid(validateMessageRef, input)));
  }

  editMessage(scope: Scope, input: EditMessageInput): Promise<ChatMessage> {
    return this.#run(() => this.#operations.editMessage(valid(validateScope, scope), valid(validateEdit, input)));
  }

  deleteMessage(scope: Scope, input: MessageRef): Promise<boolean> {
    return this.#run(() =>
      this.#operations.deleteMessage(valid(validateScope, scope), valid(validateMessageRef, input)),
    );
  }

  forkThread(scope: Scope, input: ForkThreadInput): Promise<ChatThread> {
    return this.#run(() => this.#operations.forkThread(valid(validateScope, scope), valid(validateFork, input)));
  }

  searchMessages(scope: Scope, input: SearchMessagesInput): Promise<ChatMessage[]> {
    return this.#run(() => {
      const owner = valid(validateScope, scope);
      const operations = this.#operations;
      if (!this.capabilities.fullTextSearch || operations.searchMessages === undefined) {
        throw new UnsupportedError(
          `full-text search is not offered by the ${this.#backend} repository` +
            (this.#searchUnsupportedReason === undefined ? '' : ` (${this.#searchUnsupportedReason})`),
        );
      }
      return operations.searchMessages(owner, valid(validateSearch, input));
    });
  }

  eraseUser(scope: Scope): Promise<EraseResult> {
    return this.#erase(() => valid(validateScope, scope));
  }

  eraseOrg(scope: OrgScope): Promise<EraseResult> {
    return this.#erase(() => ({ orgId: valid(validateOrgScope, scope).orgId }));
  }

  /** Erase batch by batch, each a bounded call, until a batch deletes nothing. */
  async #erase(scopeOf: () => { orgId: string; userId?: string }): Promise<EraseResult> {
    const scope = await this.#run(async () => scopeOf());
    const total: EraseResult = { threads: 0, messages: 0 };
    for (;;) {
      const batch = await this.#run(() => this.#operations.eraseThreads(scope, LIMITS.eraseBatch));
      total.threads += batch.threads;
      total.messages += batch.messages;
      if (batch.threads === 0) return total;
    }
  }

  transferThread(scope: Scope, input: TransferThreadInput): Promise<ChatThread> {
    return this.#run(() =>
      this.#operations.transferThread(valid(validateScope, scope), valid(validateTransfer, input)),
    );
  }

  async pruneThreads(scope: PruneScope, input: PruneThreadsInput): Promise<PruneResult> {
    const [where, prune] = await this.#run(
      async () => [valid(validatePruneScope, scope), valid(validatePrune, input)] as const,
    );
    const total: PruneResult = { deleted: 0, messages: 0, more: true };
    // A full batch that deleted nothing (every thread in it was written to meanwhile) may be met again by the next:
    // after a few in a row the call returns, `more` still true, rather than spinning; the caller calls again later.
    let idle = 0;
    while (total.more && total.deleted < prune.limit && idle < IDLE_BATCHES) {
      const limit = Math.min(LIMITS.eraseBatch, prune.limit - total.deleted);
      const batch = await this.#run(() => this.#operations.pruneThreads(where, { ...prune, limit }));
      total.deleted += batch.deleted;
      total.messages += batch.messages;
      total.more = batch.more;
      idle = batch.deleted === 0 ? idle + 1 : 0;
    }
    return total;
  }

  importThread(scope: Scope, input: ImportThreadInput): Promise<boolean> {
    return this.#run(() =>
      this.#operations.importThread(valid(validateScope, scope), valid(validateImportThread, input)),
    );
  }

  importMessages(scope: Scope, input: ImportMessagesInput): Promise<number> {
    return this.#run(() =>
      this.#operations.importMessages(valid(validateScope, scope), valid(validateImportMessages, input)),
    );
  }

  /**
   * Settle every pending call (`UnavailableError('repository is closed')`), then release what the adapter opened
   * (its error mapped like any call's). Idempotent: concurrent and later calls share the same close.
   */
  close(): Promise<void> {
    this.#closing ??= this.#closeOnce();
    return this.#closing;
  }

  async #closeOnce(): Promise<void> {
    this.#calls.close();
    try {
      await this.#operations.close();
    } catch (error) {
      throw this.mapError(error);
    }
  }
}

/** Consecutive prune batches that delete nothing before a `pruneThreads` call returns (with `more: true`). */
const IDLE_BATCHES = 3;

/**
 * `validate(value)`; anything but a `FluxiblyError` it throws — a getter or `Proxy` in the caller's input that throws
 * while it is read — is a `ValidationError` naming `input`, so no untyped error escapes before anything is sent.
 */
function valid<V, T>(validate: (value: V) => T, value: V): T {
  try {
    return validate(value);
  } catch (error) {
    if (FluxiblyError.is(error)) throw error;
    const kind = error instanceof Error ? error.name : typeof error;
    throw new ValidationError('input', `could not be read (${kind})`, { cause: error });
  }
}

function validateThreadId(value: unknown): string {
  return validateId(value, 'threadId');
}

import type {
  AppendMessagesInput,
  ChatMessage,
  ChatThread,
  ConversationRepository,
  CreateThreadInput,
  EditMessageInput,
  ForkThreadInput,
  GetMessagesInput,
  ListThreadsInput,
  MessagePage,
  MessageRef,
  OrgScope,
  RepositoryCapabilities,
  Scope,
  SearchMessagesInput,
  ThreadPage,
  UpdateThreadInput,
} from '@fluxibly/core';
import {
  PendingCalls,
  validateAppend,
  validateCreateThread,
  validateEdit,
  validateFork,
  validateGetMessages,
  validateId,
  validateListThreads,
  validateMessageRef,
  validateOrgScope,
  validateScope,
  validateSearch,
  validateUpdateThread,
} from '@fluxibly/core';
import type { MongoClient } from 'mongodb';
import * as append from './append.js';
import { toChatThread } from './codec.js';
import { Connection } from './connection.js';
import type { Collections } from './documents.js';
import { toFluxiblyError } from './errors.js';
import * as messages from './message-ops.js';
import type { MongoRepositoryOptions } from './options.js';
import type { MongoStore } from './store.js';
import { ownedThread } from './store.js';
import * as threads from './thread-ops.js';

const CAPABILITIES: RepositoryCapabilities = Object.freeze({ fullTextSearch: true, ttl: false });

/**
 * A {@link ConversationRepository} on MongoDB, through the official `mongodb` driver: one document per thread,
 * one document per message.
 *
 * - **Atomic.** Every write that touches more than one document runs in a multi-document transaction, so the
 *   server needs them: a replica set (one node is enough), a sharded cluster or Atlas. A standalone server is
 *   refused with `UnsupportedError` at the first call (see `transactions.ts`). Racing appenders to one thread — any
 *   connection, any process — write the same thread document, so the server commits exactly one per `seq` range
 *   and the loser re-runs on the new `lastSeq`: `seq`s are unique and gapless at append time. Retries follow
 *   MongoDB's rules (`transactions.ts`): a transient error re-runs the whole transaction, an unknown commit result
 *   retries only the commit, so no work is applied twice; at most 30 s, then `UnavailableError`.
 * - **Indexes** come from {@link migrate} (idempotent), or from `migrate: true` at start-up.
 * - **Injection-proof.** Every id is validated as a string by `@fluxibly/core` before it reaches a filter, and
 *   content and metadata are stored as JSON text, so no input is ever read as a query operator.
 * - **Search.** `fullTextSearch` is declared, with the memory adapter's semantics (every query word as a
 *   case-insensitive substring), scoped to the caller's own messages by index. See `search.ts`.
 * - **Errors.** Only `FluxiblyError`s escape; a driver failure is an `UnavailableError` whose `cause` is a
 *   printable copy of the driver's error (core's `safeCause`) and whose message names no host or password.
 * - **Closing.** {@link close} settles every call under way at once with `UnavailableError('repository is closed')`
 *   (what such a call sent may still be applied by the server, as after any timeout: a retried append is safe, by
 *   message id), then closes the client only when this repository created it from a URL; after it, every method
 *   rejects with `UnavailableError('repository is closed')`, before validating its input.
 */
export class MongoConversationRepository implements ConversationRepository {
  /** `{ fullTextSearch: true, ttl: false }`. */
  readonly capabilities: RepositoryCapabilities = CAPABILITIES;
  readonly #connection: Connection;
  /** The calls under way, so that `close()` settles them (see `PendingCalls` in `@fluxibly/core`). */
  readonly #calls = new PendingCalls({ backend: 'MongoDB' });

  /** @throws ValidationError when the options are malformed (never for an unreachable server: calls fail later). */
  constructor(options: MongoRepositoryOptions) {
    this.#connection = new Connection(options);
  }

  /** The two collections this repository reads and writes (for inspection and operator scripts). */
  get collections(): Collections {
    return this.#connection.collections;
  }

  /** The driver client in use (the caller's, or the one this repository created). */
  get client(): MongoClient {
    return this.#connection.client;
  }

  /**
   * Create every index the adapter relies on and return the ones this call added (`collection.index` names; `[]`
   * when all existed). Idempotent: safe to run on every deploy. Run it once before the first use (or pass
   * `migrate: true`).
   */
  async migrate(): Promise<string[]> {
    return this.#run(() => this.#connection.migrate());
  }

  /** Create an empty thread: one insert. @throws ConflictError when the id is used by any thread. */
  async createThread(scope: Scope, input?: CreateThreadInput): Promise<ChatThread> {
    this.#calls.ensureOpen();
    const valid = validateScope(scope);
    const create = validateCreateThread(input);
    return this.#run(async (store) => threads.createThread(store, valid, create));
  }

  /** The thread, or `null` when it does not exist for this scope: one query by `_id`. */
  async getThread(scope: Scope, threadId: string): Promise<ChatThread | null> {
    this.#calls.ensureOpen();
    const valid = validateScope(scope);
    const id = validateId(threadId, 'threadId');
    return this.#run(async (store) => {
      const doc = await ownedThread(store, valid, id);
      return doc === null ? null : toChatThread(doc);
    });
  }

  /** This user's threads, newest activity first: one query on the `(orgId, userId, updatedAt, _id)` index. */
  async listThreads(scope: Scope, input?: ListThreadsInput): Promise<ThreadPage> {
    this.#calls.ensureOpen();
    const valid = validateScope(scope);
    const page = validateListThreads(input);
    return this.#run((store) => threads.threadPage(store, { orgId: valid.orgId, userId: valid.userId }, page));
  }

  /** Every thread of an organisation, newest activity first: one query on the `(orgId, updatedAt, _id)` index. */
  async listOrgThreads(scope: OrgScope, input?: ListThreadsInput): Promise<ThreadPage> {
    this.#calls.ensureOpen();
    const valid = validateOrgScope(scope);
    const page = validateListThreads(input);
    return this.#run((store) => threads.threadPage(store, { orgId: valid.orgId }, page));
  }

  /** Rename a thread and/or replace its metadata, in a transaction. @throws NotFoundError. */
  async updateThread(scope: Scope, input: UpdateThreadInput): Promise<ChatThread> {
    this.#calls.ensureOpen();
    const valid = validateScope(scope);
    const update = validateUpdateThread(input);
    return this.#run((store) => threads.updateThread(store, valid, update));
  }

  /** Delete a thread and its messages in one transaction; `false` when it does not exist for this scope. */
  async deleteThread(scope: Scope, threadId: string): Promise<boolean> {
    this.#calls.ensureOpen();
    const valid = validateScope(scope);
    const id = validateId(threadId, 'threadId');
    return this.#run((store) => threads.deleteThread(store, valid, id));
  }

  /** Remove every message, keep the thread and its `lastSeq`, in one transaction. @throws NotFoundError. */
  async clearThread(scope: Scope, threadId: string): Promise<number> {
    this.#calls.ensureOpen();
    const valid = validateScope(scope);
    const id = validateId(threadId, 'threadId');
    return this.#run((store) => threads.clearThread(store, valid, id));
  }

  /**
   * Append messages atomically, in one transaction (usually two commands and the commit; see `append.ts`).
   * Exactly one of two racing appends — on any connection or process — gets each `seq`; `seq`s stay gapless.
   * When every message's id already exists, nothing is written and `expectedLastSeq` is not checked.
   * @throws NotFoundError when the thread does not exist for this scope.
   * @throws ConflictError when `expectedLastSeq` is not the thread's `lastSeq` (and a message is new).
   */
  async appendMessages(scope: Scope, input: AppendMessagesInput): Promise<ChatMessage[]> {
    this.#calls.ensureOpen();
    const valid = validateScope(scope);
    const batch = validateAppend(input);
    return this.#run((store) => append.appendMessages(store, valid, batch));
  }

  /** A page of messages by `seq`; the newest N is one query of N + 1 documents on `(threadId, seq)`. */
  async getMessages(scope: Scope, input: GetMessagesInput): Promise<MessagePage | null> {
    this.#calls.ensureOpen();
    const valid = validateScope(scope);
    const request = validateGetMessages(input);
    return this.#run((store) => messages.messagePage(store, valid, request));
  }

  /** One message, or `null`: one query on `(threadId, id)`. */
  async getMessage(scope: Scope, input: MessageRef): Promise<ChatMessage | null> {
    this.#calls.ensureOpen();
    const valid = validateScope(scope);
    const ref = validateMessageRef(input);
    return this.#run((store) => messages.getMessage(store, valid, ref));
  }

  /** Replace content and/or metadata and set `editedAt`, in one transaction. @throws NotFoundError. */
  async editMessage(scope: Scope, input: EditMessageInput): Promise<ChatMessage> {
    this.#calls.ensureOpen();
    const valid = validateScope(scope);
    const edit = validateEdit(input);
    return this.#run((store) => messages.editMessage(store, valid, edit));
  }

  /** Delete one message (its `seq` stays a gap), in one transaction; `false` when it does not exist. */
  async deleteMessage(scope: Scope, input: MessageRef): Promise<boolean> {
    this.#calls.ensureOpen();
    const valid = validateScope(scope);
    const ref = validateMessageRef(input);
    return this.#run((store) => messages.deleteMessage(store, valid, ref));
  }

  /**
   * Copy a thread's messages up to `atSeq` into a new thread of the same scope, in one transaction.
   * @throws NotFoundError, then ValidationError (`atSeq` beyond `lastSeq`), then ConflictError (id used).
   */
  async forkThread(scope: Scope, input: ForkThreadInput): Promise<ChatThread> {
    this.#calls.ensureOpen();
    const valid = validateScope(scope);
    const fork = validateFork(input);
    return this.#run((store) => threads.forkThread(store, valid, fork));
  }

  /** The caller's messages containing every query word, newest first (see `search.ts`). */
  async searchMessages(scope: Scope, input: SearchMessagesInput): Promise<ChatMessage[]> {
    this.#calls.ensureOpen();
    const valid = validateScope(scope);
    const search = validateSearch(input);
    return this.#run((store) => messages.searchMessages(store, valid, search));
  }

  /**
   * Settle every call under way with `UnavailableError('repository is closed')`, then close the client if this
   * repository created it (never a caller's client). Idempotent.
   */
  async close(): Promise<void> {
    this.#calls.close();
    try {
      await this.#connection.close();
    } catch (error) {
      throw toFluxiblyError(error);
    }
  }

  /** Run `operation` once connected, as a call `close()` settles; any failure becomes a `FluxiblyError`. */
  #run<T>(operation: (store: MongoStore) => Promise<T>): Promise<T> {
    return this.#calls.run(async () => {
      try {
        return await operation(await this.#connection.ready());
      } catch (error) {
        throw toFluxiblyError(error);
      }
    });
  }
}

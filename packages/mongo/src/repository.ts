import type { RepositoryCapabilities } from '@fluxibly/core';
import type { StorageOperations } from '@fluxibly/core/adapter';
import { BaseConversationRepository } from '@fluxibly/core/adapter';
import type { MongoClient } from 'mongodb';
import { DEFAULT_TIMEOUTS } from './client-options.js';
import { toChatThread } from './codec.js';
import type { Collections } from './codec.js';
import type { ReadyConnection } from './connection.js';
import { Connection } from './connection.js';
import { toFluxiblyError } from './errors.js';
import * as lifecycle from './lifecycle-ops.js';
import * as messages from './message-ops.js';
import type { MongoRepositoryOptions } from './options.js';
import * as threads from './thread-ops.js';
import { updateThread } from './thread-update.js';
import type { TransactionRunner } from './transactions.js';
import { DEFAULT_RETRY_POLICY, inTransaction } from './transactions.js';

const CAPABILITIES: RepositoryCapabilities = Object.freeze({ fullTextSearch: true, ttl: false });
const BACKEND = 'MongoDB';

/**
 * The most one call may take: the transactions' retry budget (no new attempt starts after it), plus one last
 * attempt bounded by the default client timeouts (server selection, connecting, waiting for an answer). A client
 * with the default timeouts never reaches it; it bounds a caller's client configured to wait longer.
 */
const DEADLINE_MS =
  DEFAULT_RETRY_POLICY.timeLimitMs +
  DEFAULT_TIMEOUTS.serverSelectionTimeoutMS +
  DEFAULT_TIMEOUTS.connectTimeoutMS +
  DEFAULT_TIMEOUTS.socketTimeoutMS;

/**
 * A {@link ConversationRepository} on MongoDB, through the official `mongodb` driver: one document per thread,
 * one document per message. Built on `@fluxibly/core/adapter` (closed check, validation once per call, the call
 * bound, error mapping); the storage operations are in `thread-ops.ts` and `message-ops.ts`.
 *
 * - **Atomic.** Every write that touches more than one document runs in a multi-document transaction, so the
 *   server needs them: a replica set (one node is enough), a sharded cluster or Atlas. A standalone server is
 *   refused with `UnsupportedError` at the first call (see `transactions.ts`). Racing appenders to one thread — any
 *   connection, any process — write the same thread document, so the server commits exactly one per `seq` range
 *   and the loser re-runs on the new `lastSeq`: `seq`s are unique and gapless at append time. Retries follow
 *   MongoDB's rules (`transactions.ts`): a transient error re-runs the whole transaction, an unknown commit result
 *   retries only the commit, so no work is applied twice; at most 30 s, then `UnavailableError`.
 * - **Append** (`message-ops.ts`): usually two commands and the commit. Exactly one of two racing appends gets each
 *   `seq`; when every message's id already exists, nothing is written and `expectedLastSeq` is not checked, so
 *   concurrent identical retries both succeed with the same messages.
 * - **Indexes** come from {@link migrate} (idempotent), or from `migrate: true` at start-up.
 * - **Injection-proof.** Every id is validated as a string by `@fluxibly/core` before it reaches a filter, and
 *   content and metadata are stored as JSON text, so no input is ever read as a query operator.
 * - **Search.** `fullTextSearch` is declared, with the memory adapter's semantics (every query word as a
 *   case-insensitive substring), scoped to the caller's own messages by index. See `search.ts`.
 * - **Errors.** Only `FluxiblyError`s escape; a driver failure is an `UnavailableError` whose `cause` is a
 *   printable copy of the driver's error (core's `safeCause`) and whose message names no host or password.
 * - **Bounded.** Every call settles within 75 s (`UnavailableError`), whatever a caller's client waits for;
 *   `migrate()` is not bounded (an index build may take minutes), but `close()` settles it too.
 * - **Closing.** {@link close} settles every call under way at once with `UnavailableError('repository is closed')`
 *   (what such a call sent may still be applied by the server, as after any timeout: a retried append is safe, by
 *   message id), then closes the client only when this repository created it from a URL; after it, every method
 *   rejects with `UnavailableError('repository is closed')`, before validating its input.
 */
export class MongoConversationRepository extends BaseConversationRepository {
  readonly #connection: Connection;

  /** @throws ValidationError when the options are malformed (never for an unreachable server: calls fail later). */
  constructor(options: MongoRepositoryOptions);
  /** @internal Tests only, through `src/internal.ts`: run transactions with `runTransaction`. */
  constructor(options: MongoRepositoryOptions, runTransaction: TransactionRunner);
  constructor(options: MongoRepositoryOptions, runTransaction: TransactionRunner = inTransaction) {
    const connection = new Connection(options, runTransaction);
    super(
      { backend: BACKEND, capabilities: CAPABILITIES, deadlineMs: DEADLINE_MS, mapError: toFluxiblyError },
      mongoOperations(connection),
    );
    this.#connection = connection;
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
    // No call bound (an index build may take minutes); close() settles it like every call.
    return this.run(() => this.#connection.migrate(), { deadlineMs: 0 });
  }
}

/** The storage operations over `connection`: each awaits the connection's readiness, then does its reads/writes. */
function mongoOperations(connection: Connection): StorageOperations {
  const ready = (): Promise<ReadyConnection> => connection.ready();
  return {
    createThread: async (scope, input) => threads.createThread(await ready(), scope, input),
    getThread: async (scope, threadId) => {
      const doc = await threads.ownedThread(await ready(), scope, threadId);
      return doc === null ? null : toChatThread(doc);
    },
    listThreads: async (scope, input) =>
      threads.threadPage(await ready(), { orgId: scope.orgId, userId: scope.userId }, input),
    listOrgThreads: async (scope, input) => threads.threadPage(await ready(), { orgId: scope.orgId }, input),
    updateThread: async (scope, input) => updateThread(await ready(), scope, input),
    deleteThread: async (scope, threadId) => threads.deleteThread(await ready(), scope, threadId),
    clearThread: async (scope, threadId) => threads.clearThread(await ready(), scope, threadId),
    truncateThread: async (scope, input) => threads.truncateThread(await ready(), scope, input),
    appendMessages: async (scope, input) => messages.appendMessages(await ready(), scope, input),
    getMessages: async (scope, input) => messages.messagePage(await ready(), scope, input),
    getMessage: async (scope, input) => messages.getMessage(await ready(), scope, input),
    editMessage: async (scope, input) => messages.editMessage(await ready(), scope, input),
    deleteMessage: async (scope, input) => messages.deleteMessage(await ready(), scope, input),
    forkThread: async (scope, input) => threads.forkThread(await ready(), scope, input),
    searchMessages: async (scope, input) => messages.searchMessages(await ready(), scope, input),
    eraseThreads: async (scope, limit) => lifecycle.eraseThreads(await ready(), scope, limit),
    transferThread: async (scope, input) => lifecycle.transferThread(await ready(), scope, input),
    pruneThreads: async (scope, input) => lifecycle.pruneThreads(await ready(), scope, input),
    importThread: async (scope, input) => lifecycle.importThread(await ready(), scope, input),
    importMessages: async (scope, input) => lifecycle.importMessages(await ready(), scope, input),
    // Closes the client only when this repository created it; the kit settles pending calls first and maps errors.
    close: () => connection.close(),
  };
}

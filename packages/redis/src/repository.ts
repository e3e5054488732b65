import type { RepositoryCapabilities } from '@fluxibly/core';
import { ValidationError } from '@fluxibly/core';
import type { StorageOperations } from '@fluxibly/core/adapter';
import { BaseConversationRepository } from '@fluxibly/core/adapter';
import { clientSecrets, closeClient, openClient } from './client.js';
import type { OpContext } from './context.js';
import { redisErrorMapper } from './errors.js';
import { KeySpace } from './keys.js';
import { listPage } from './listing.js';
import * as lifecycle from './lifecycle-ops.js';
import * as messages from './message-ops.js';
import type { RedisRepositoryOptions } from './options.js';
import { callDeadlineMs, readOptions } from './options.js';
import type { RedisClient } from './scripts/run.js';
import * as threads from './thread-ops.js';

/** Set by the class's static block: the one reader of its private state (see `internal.ts`). */
let readInternals: (repository: RedisConversationRepository) => { client: RedisClient; context: OpContext };

/**
 * A `ConversationRepository` on Redis (standalone or Redis Cluster) through ioredis, built on core's
 * `BaseConversationRepository` (closed check, validation once per call, call deadline, error mapping).
 *
 * - **One round trip per operation** on a thread: every thread operation is one Lua script (EVALSHA, EVAL on
 *   NOSCRIPT) over the thread's keys, which share one hash tag, so it is single-slot and atomic on a cluster.
 *   Redis runs one script at a time: exactly one of two racing appends — from any connection or process — gets
 *   each `seq`, and a batch is stored whole or not at all, even if the connection drops mid-call. Ids already in
 *   the thread are returned as stored, not written again (when all are, `expectedLastSeq` is not checked), so
 *   retrying an append that timed out is safe.
 * - **Forks** read a consistent snapshot of the source in one script and create the new thread with every copy
 *   in one script, so a fork appears whole or not at all (errors: NotFound, then `atSeq`, then Conflict).
 * - **Listings** per user and per organisation are sorted sets (score `updatedAt`, member the id), verified
 *   against the threads on every read, never a scan; see `listing.ts`.
 * - **Time** is the client's clock in epoch ms; `updatedAt` is `max(now, previous)`, so it never goes back.
 * - **Errors**: connection loss, timeouts and server errors are `UnavailableError` with (a printable copy of) the
 *   ioredis error as `cause`. After {@link close}, every call rejects with `UnavailableError('repository is closed')`.
 * - **Every call settles**: within `commandTimeoutMs` (default 30 s) once a command is sent on a client it opened,
 *   and within `connectTimeoutMs + commandTimeoutMs` whatever the client (a caller's, or a cluster with no
 *   reachable master that queues commands); {@link close} settles every pending call at once. A call that timed
 *   out may still complete on the server, so retry an append with the same message ids (idempotent).
 * - **Search** is not offered (`fullTextSearch: false`): `searchMessages` throws `UnsupportedError`.
 */
export class RedisConversationRepository extends BaseConversationRepository {
  /** The key layout. */
  readonly keys: KeySpace;
  /**
   * The ioredis client (the caller's, or the one this repository opened). Private: its options hold the password,
   * so it must not show in `console.log`, `util.inspect` or `JSON.stringify` of the repository.
   */
  readonly #client: RedisClient;
  readonly #context: OpContext;

  static {
    readInternals = (repository) => ({ client: repository.#client, context: repository.#context });
  }

  /**
   * Open (or adopt) a client and check every option. `capabilities` is `{ fullTextSearch: false, ttl }`, `ttl`
   * true exactly when `ttlSeconds` is set.
   * @throws ValidationError naming the bad option (see {@link RedisRepositoryOptions}).
   */
  constructor(options: RedisRepositoryOptions) {
    const settings = readOptions(options);
    const keys = new KeySpace(settings.keyPrefix);
    // Decide everything that can fail before a client is opened: a Cluster this repository opens reconnects for ever.
    const target = settings.target;
    const cluster =
      'cluster' in target || ('client' in target && (target.client as { isCluster?: boolean }).isCluster === true);
    const inline = settings.indexWrites === undefined ? !cluster : settings.indexWrites === 'inline';
    if (inline && cluster) throw new ValidationError('indexWrites', "must be 'separate' on a Cluster");
    const { client, owned } = openClient(target, settings.timeouts);
    const context: OpContext = { client, keys, ttlMs: settings.ttlMs, inline, crash: undefined };
    const capabilities: RepositoryCapabilities = { fullTextSearch: false, ttl: settings.ttlMs > 0 };
    super(
      {
        backend: 'redis',
        capabilities,
        deadlineMs: callDeadlineMs(settings.timeouts),
        mapError: redisErrorMapper(clientSecrets(client)),
      },
      redisOperations(context, owned),
    );
    this.keys = keys;
    this.#client = client;
    this.#context = context;
  }
}

/**
 * The storage operations over one client. Every thread operation is one script (one round trip; in separate
 * index mode, plus the listing-index writes); listings are two round trips; the newest message page is one plain
 * `ZRANGE`. `close` quits the client only when the repository opened it (never a caller's client).
 */
function redisOperations(context: OpContext, owned: boolean): StorageOperations {
  const { keys } = context;
  return {
    createThread: (scope, input) => threads.createThread(context, scope, input),
    getThread: (scope, threadId) => threads.getThread(context, scope, threadId),
    listThreads: ({ orgId, userId }, input) =>
      listPage(context, { index: keys.userIndex(orgId, userId), orgId, userId }, input),
    listOrgThreads: ({ orgId }, input) => listPage(context, { index: keys.orgIndex(orgId), orgId }, input),
    updateThread: (scope, input) => threads.updateThread(context, scope, input),
    deleteThread: (scope, threadId) => threads.deleteThread(context, scope, threadId),
    clearThread: (scope, threadId) => threads.clearThread(context, scope, threadId),
    truncateThread: (scope, input) => messages.truncateThread(context, scope, input),
    appendMessages: (scope, input) => messages.appendMessages(context, scope, input),
    getMessages: (scope, input) => messages.getMessages(context, scope, input),
    getMessage: (scope, input) => messages.getMessage(context, scope, input),
    editMessage: (scope, input) => messages.editMessage(context, scope, input),
    deleteMessage: (scope, input) => messages.deleteMessage(context, scope, input),
    forkThread: (scope, input) => threads.forkThread(context, scope, input),
    eraseThreads: (scope, limit) => lifecycle.eraseThreads(context, scope, limit),
    transferThread: (scope, input) => lifecycle.transferThread(context, scope, input),
    pruneThreads: (scope, input) => lifecycle.pruneThreads(context, scope, input),
    importThread: (scope, input) => lifecycle.importThread(context, scope, input),
    importMessages: (scope, input) => lifecycle.importMessages(context, scope, input),
    close: () => (owned ? closeClient(context.client) : Promise.resolve()),
  };
}

/** Internal (reached through `src/internal.ts` only): the ioredis client a repository uses. */
export function clientOf(repository: RedisConversationRepository): RedisClient {
  return readInternals(repository).client;
}

/** Internal (reached through `src/internal.ts` only): the operation context of a repository. */
export function contextOf(repository: RedisConversationRepository): OpContext {
  return readInternals(repository).context;
}

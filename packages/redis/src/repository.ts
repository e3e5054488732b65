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
  UnsupportedError,
  ValidationError,
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
  validateUpdateThread,
} from '@fluxibly/core';
import type { ConnectionTarget } from './client.js';
import { clientSecrets, closeClient, openClient } from './client.js';
import type { CrashHookOption } from './crash-hook.js';
import { CRASH_HOOK } from './crash-hook.js';
import type { OpContext } from './context.js';
import { mapErrors, validInput } from './errors.js';
import { KeySpace, validateKeyPrefix } from './keys.js';
import { listPage } from './listing.js';
import { callDeadlineMs, validateTimeouts } from './timeouts.js';
import * as messages from './message-ops.js';
import type { RedisClient } from './scripts/run.js';
import * as threads from './thread-ops.js';

/** Options of {@link RedisConversationRepository}. */
export type RedisRepositoryOptions = ConnectionTarget & {
  /** Prefix of every key, so several applications share one Redis. Default `fluxibly:`. No `{` or `}`. */
  keyPrefix?: string;
  /**
   * Retention: every key of a thread expires this many seconds after the thread's last write (every write renews
   * it; reads do not). Declares `capabilities.ttl`. Default: no expiry.
   */
  ttlSeconds?: number;
  /**
   * Where listing-index writes happen. `inline` (default for a standalone `Redis`): inside the thread's script,
   * atomically. `separate` (always for a `Cluster`, whose indexes live in other slots): as their own commands,
   * ordered so a crash can only leave entries readers detect and repair (see the README).
   */
  indexWrites?: 'inline' | 'separate';
  /**
   * Most one Redis command may take, in ms, before the call fails with `UnavailableError` (a frozen or overloaded
   * server). Applied as ioredis `commandTimeout` to clients the repository opens. Default 30 000.
   */
  commandTimeoutMs?: number;
  /** Most a connection attempt may take, in ms (ioredis `connectTimeout` of clients it opens). Default 10 000. */
  connectTimeoutMs?: number;
};

/** Set by the class's static block: the one reader of its private client (see {@link clientOf}). */
let readClient: (repository: RedisConversationRepository) => RedisClient;

/**
 * A {@link ConversationRepository} on Redis (standalone or Redis Cluster) through ioredis.
 *
 * - **One round trip per operation** on a thread: every thread operation is one Lua script (EVALSHA, EVAL on
 *   NOSCRIPT) over the thread's keys, which share one hash tag, so it is single-slot and atomic on a cluster.
 *   Redis runs one script at a time: exactly one of two racing appends gets each `seq`, and a batch is stored
 *   whole or not at all, even if the connection drops mid-call.
 * - **Listings** per user and per organisation are sorted sets (score `updatedAt`, member the id), verified
 *   against the threads on every read; see `listing.ts`.
 * - **Time** is the client's clock in epoch ms; `updatedAt` is `max(now, previous)`, so it never goes back.
 * - **Errors**: connection loss, timeouts and server errors are `UnavailableError` with (a printable copy of) the
 *   ioredis error as `cause`. After {@link close}, every call rejects with `UnavailableError('repository is closed')`.
 * - **Every call settles**: within `commandTimeoutMs` (default 30 s) once a command is sent on a client it opened,
 *   and within `connectTimeoutMs + commandTimeoutMs` whatever the client (a caller's, or a cluster with no
 *   reachable master that queues commands); {@link close} settles every pending call at once. A call that timed
 *   out may still complete on the server, so retry an append with the same message ids (idempotent).
 * - **Search** is not offered (`fullTextSearch: false`): `searchMessages` throws `UnsupportedError`.
 */
export class RedisConversationRepository implements ConversationRepository {
  /** `{ fullTextSearch: false, ttl }`, `ttl` true exactly when `ttlSeconds` is set. */
  readonly capabilities: RepositoryCapabilities;
  /** The key layout. */
  readonly keys: KeySpace;
  /**
   * The ioredis client (the caller's, or the one this repository opened). Private: its options hold the password,
   * so it must not show in `console.log`, `util.inspect` or `JSON.stringify` of the repository.
   */
  readonly #client: RedisClient;
  readonly #owned: boolean;
  readonly #context: OpContext;
  /** The connection's passwords, scrubbed from every error's printable `cause`. */
  readonly #secrets: readonly string[];
  /** Every call under way: settled by `connectTimeoutMs + commandTimeoutMs` at the latest, and by close(). */
  readonly #calls: PendingCalls;

  static {
    readClient = (repository) => repository.#client;
  }

  constructor(options: RedisRepositoryOptions) {
    const keys = new KeySpace(validateKeyPrefix(options.keyPrefix));
    const ttlMs = ttlOf(options.ttlSeconds);
    const timeouts = validateTimeouts(options);
    const { client, owned } = openClient(options, timeouts);
    const inline = options.indexWrites === undefined ? !isCluster(client) : options.indexWrites === 'inline';
    if (inline && isCluster(client)) throw new ValidationError('indexWrites', "must be 'separate' on a Cluster");
    this.#client = client;
    this.keys = keys;
    this.#owned = owned;
    this.#secrets = clientSecrets(client);
    this.#calls = new PendingCalls({ backend: 'redis', deadlineMs: callDeadlineMs(timeouts) });
    this.#context = { client, keys, ttlMs, inline, crash: (options as CrashHookOption)[CRASH_HOOK] };
    this.capabilities = Object.freeze({ fullTextSearch: false, ttl: ttlMs > 0 });
  }

  /** Create an empty thread. One round trip (three in separate mode). @throws ConflictError when the id is used. */
  async createThread(scope: Scope, input?: CreateThreadInput): Promise<ChatThread> {
    const valid = this.#open(scope);
    const create = validInput(() => validateCreateThread(input));
    return this.#run(() => threads.createThread(this.#context, valid, create));
  }

  /** The thread, or `null` when it does not exist for this scope. One round trip. */
  async getThread(scope: Scope, threadId: string): Promise<ChatThread | null> {
    const valid = this.#open(scope);
    const id = validateId(threadId, 'threadId');
    return this.#run(() => threads.getThread(this.#context, valid, id));
  }

  /** This user's threads, newest activity first, from the user's own index. Two round trips, never a scan. */
  async listThreads(scope: Scope, input?: ListThreadsInput): Promise<ThreadPage> {
    const valid = this.#open(scope);
    const list = validInput(() => validateListThreads(input));
    const owner = { index: this.keys.userIndex(valid.orgId, valid.userId), orgId: valid.orgId, userId: valid.userId };
    return this.#run(() => listPage(this.#context, owner, list));
  }

  /** Every thread of an organisation, newest activity first, from the organisation's index. Two round trips. */
  async listOrgThreads(scope: OrgScope, input?: ListThreadsInput): Promise<ThreadPage> {
    this.#ensureOpen();
    const valid = validInput(() => validateOrgScope(scope));
    const list = validInput(() => validateListThreads(input));
    const owner = { index: this.keys.orgIndex(valid.orgId), orgId: valid.orgId };
    return this.#run(() => listPage(this.#context, owner, list));
  }

  /** Rename and/or replace metadata; moves `updatedAt`. One round trip. @throws NotFoundError. */
  async updateThread(scope: Scope, input: UpdateThreadInput): Promise<ChatThread> {
    const valid = this.#open(scope);
    const update = validInput(() => validateUpdateThread(input));
    return this.#run(() => threads.updateThread(this.#context, valid, update));
  }

  /** Delete a thread and its messages (all its keys at once); `false` when it does not exist for this scope. */
  async deleteThread(scope: Scope, threadId: string): Promise<boolean> {
    const valid = this.#open(scope);
    const id = validateId(threadId, 'threadId');
    return this.#run(() => threads.deleteThread(this.#context, valid, id));
  }

  /** Remove every message, keep the thread and its `lastSeq`. One round trip. @throws NotFoundError. */
  async clearThread(scope: Scope, threadId: string): Promise<number> {
    const valid = this.#open(scope);
    const id = validateId(threadId, 'threadId');
    return this.#run(() => threads.clearThread(this.#context, valid, id));
  }

  /**
   * Append a batch atomically in one round trip (one Lua script): exactly one of two racing appends — from any
   * connection or process — gets each `seq`; ids already in the thread are returned as stored, not written again
   * (when all are, `expectedLastSeq` is not checked), so retrying a call that timed out is safe.
   * @throws NotFoundError, ConflictError (`expectedLastSeq`).
   */
  async appendMessages(scope: Scope, input: AppendMessagesInput): Promise<ChatMessage[]> {
    const valid = this.#open(scope);
    const append = validInput(() => validateAppend(input));
    return this.#run(() => messages.appendMessages(this.#context, valid, append));
  }

  /** A page of messages by `seq`; `null` for no thread. One round trip, O(log n + limit). */
  async getMessages(scope: Scope, input: GetMessagesInput): Promise<MessagePage | null> {
    const valid = this.#open(scope);
    const request = validInput(() => validateGetMessages(input));
    return this.#run(() => messages.getMessages(this.#context, valid, request));
  }

  /** One message, or `null`. One round trip. */
  async getMessage(scope: Scope, input: MessageRef): Promise<ChatMessage | null> {
    const valid = this.#open(scope);
    const ref = validInput(() => validateMessageRef(input));
    return this.#run(() => messages.getMessage(this.#context, valid, ref));
  }

  /** Replace content and/or metadata; sets `editedAt`. One round trip. @throws NotFoundError. */
  async editMessage(scope: Scope, input: EditMessageInput): Promise<ChatMessage> {
    const valid = this.#open(scope);
    const edit = validInput(() => validateEdit(input));
    return this.#run(() => messages.editMessage(this.#context, valid, edit));
  }

  /** Delete one message (its `seq` stays a gap); `false` when it or its thread does not exist. */
  async deleteMessage(scope: Scope, input: MessageRef): Promise<boolean> {
    const valid = this.#open(scope);
    const ref = validInput(() => validateMessageRef(input));
    return this.#run(() => messages.deleteMessage(this.#context, valid, ref));
  }

  /**
   * Copy a thread's messages up to `atSeq` into a new thread: one script reads a consistent snapshot, one script
   * creates the new thread with every copy, so the fork appears whole or not at all.
   * @throws NotFoundError, then ValidationError (`atSeq`), then ConflictError (id used).
   */
  async forkThread(scope: Scope, input: ForkThreadInput): Promise<ChatThread> {
    const valid = this.#open(scope);
    const fork = validInput(() => validateFork(input));
    return this.#run(() => threads.forkThread(this.#context, valid, fork));
  }

  /** Not offered on Redis. @throws UnsupportedError. */
  async searchMessages(scope: Scope, _input: SearchMessagesInput): Promise<ChatMessage[]> {
    this.#open(scope);
    throw new UnsupportedError('full-text search is not offered by @fluxibly/redis');
  }

  /**
   * Settle every pending call with `UnavailableError('repository is closed')`, then close the client if this
   * repository opened it (never a caller's client). Later calls reject the same way. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#calls.closed) return;
    this.#calls.close();
    if (this.#owned) await closeClient(this.#client);
  }

  /**
   * Run one storage operation: mapped to a `FluxiblyError` whose cause holds no secret, and settled within the
   * call deadline or at close() with `UnavailableError`, whatever the client does.
   */
  #run<T>(operation: () => Promise<T>): Promise<T> {
    return this.#calls.run(() => mapErrors(operation, this.#secrets));
  }

  #ensureOpen(): void {
    this.#calls.ensureOpen();
  }

  #open(scope: Scope): Scope {
    this.#ensureOpen();
    return validInput(() => validateScope(scope));
  }
}

/**
 * Internal (not exported by the package; tests and debugging reach it through `src/internal.ts`): the ioredis
 * client a repository uses.
 */
export function clientOf(repository: RedisConversationRepository): RedisClient {
  return readClient(repository);
}

function isCluster(client: RedisClient): boolean {
  return (client as { isCluster?: boolean }).isCluster === true;
}

function ttlOf(ttlSeconds: unknown): number {
  if (ttlSeconds === undefined) return 0;
  if (typeof ttlSeconds !== 'number' || !Number.isFinite(ttlSeconds) || ttlSeconds < 0.001) {
    throw new ValidationError('ttlSeconds', 'must be a positive number of seconds');
  }
  return Math.round(ttlSeconds * 1000);
}

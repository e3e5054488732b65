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
import { PendingCalls, validateAppend, validateScope } from '@fluxibly/core';
import type { DataSource } from 'typeorm';
import { appendMessages } from './append.js';
import { AppendCoalescer } from './coalesce.js';
import { Connection, createDataSource, secretsOf } from './connection.js';
import { runMigrations } from './migrate.js';
import type { Context } from './operations/context.js';
import * as messages from './operations/messages.js';
import * as threads from './operations/threads.js';
import type { PostgresRepositoryOptions } from './options.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS, validateTimeout } from './options.js';
import type { QualifiedTables } from './schema.js';
import { DEFAULT_SCHEMA, qualifiedTables, validateSchemaName } from './schema.js';
import { buildStatements } from './sql/index.js';

const CAPABILITIES: RepositoryCapabilities = Object.freeze({ fullTextSearch: true, ttl: false });

/**
 * A {@link ConversationRepository} on PostgreSQL, through TypeORM 1.x.
 *
 * TypeORM is the connection and migration layer (a `DataSource` you pass, or one made from a URL or connection
 * fields); the hot paths are hand-written SQL on the DataSource's pg pool, each call one statement — one round
 * trip — except `deleteThread` (a short transaction).
 *
 * - **Append** is one data-modifying statement that row-locks and bumps the thread (`UPDATE … RETURNING`, the
 *   serialization point for `seq`), checks scope, `expectedLastSeq` and idempotency (the unique message key)
 *   and inserts the new rows: concurrent appenders from any connection or process never share or lose a `seq`.
 * - **Newest N** is an index range scan of `(thread_id, seq)` backwards: its cost does not grow with the thread.
 * - **Time.** Timestamps are the server's `now()` truncated to milliseconds; `updatedAt` is
 *   `greatest(now, previous)`. Messages appended together share one `createdAt`: the thread's new `updatedAt`.
 * - **Search.** `fullTextSearch` is declared: a generated `tsvector` ('simple' configuration: no stemming or stop
 *   words, language-neutral) in one GIN index with the tenant keys, queried with `websearch_to_tsquery`; whole
 *   words, best `ts_rank` first, then newest; its cost is bounded by the searching user's own data.
 * - **Pooler-safe.** No session state; every table name is schema-qualified. `preparedStatements: false` for
 *   poolers that cannot carry named prepared statements.
 * - **Every call settles** within `statementTimeoutMs` (default 30 s) with `UnavailableError` on a dead or frozen
 *   server. After {@link close}, every pending call and every later one rejects with
 *   `UnavailableError('repository is closed')`.
 * - **No secret is printable**: the connection (and its password) is private; `util.inspect`, `JSON.stringify`
 *   and `String` show the schema and capabilities only, and errors carry no password (message or `cause`).
 *
 * Tables must exist: run {@link migrate} once (or pass `migrate: true`). A missing table is an
 * `UnavailableError` telling you so.
 */
export class PostgresConversationRepository implements ConversationRepository {
  /** `{ fullTextSearch: true, ttl: false }`. */
  readonly capabilities: RepositoryCapabilities = CAPABILITIES;
  /** The schema holding the tables. */
  readonly schema: string;
  /** The qualified, quoted table names. */
  readonly tables: QualifiedTables;
  readonly #connection: Connection;
  readonly #context: Context;
  readonly #ownsDataSource: boolean;
  readonly #appends: AppendCoalescer;
  readonly #calls: PendingCalls;
  /** `migrate()` calls: no deadline (an index build may take minutes), but `close()` settles them too. */
  readonly #migrations = new PendingCalls({ backend: 'PostgreSQL' });
  readonly #statementTimeoutMs: number;

  /** @throws ValidationError naming `schema`, `statementTimeoutMs` or `connectTimeoutMs` when one is invalid. */
  constructor(options: PostgresRepositoryOptions = {}) {
    this.schema = validateSchemaName(options.schema ?? DEFAULT_SCHEMA);
    this.tables = qualifiedTables(this.schema);
    const statementTimeoutMs = validateTimeout(
      options.statementTimeoutMs,
      'statementTimeoutMs',
      DEFAULT_STATEMENT_TIMEOUT_MS,
    );
    const connectTimeoutMs = validateTimeout(options.connectTimeoutMs, 'connectTimeoutMs', DEFAULT_CONNECT_TIMEOUT_MS);
    this.#statementTimeoutMs = statementTimeoutMs;
    this.#calls = new PendingCalls({ backend: 'PostgreSQL', deadlineMs: statementTimeoutMs });
    this.#ownsDataSource = options.dataSource === undefined;
    const dataSource =
      options.dataSource ??
      createDataSource({ ...options, connectTimeoutMs }, this.schema, { queryTimeoutMs: statementTimeoutMs });
    this.#connection = new Connection({
      dataSource,
      preparedStatements: options.preparedStatements ?? true,
      secrets: secretsOf(options),
      schema: this.schema,
      ...(options.migrate === true ? { beforeFirstUse: async () => void (await this.#migrate()) } : {}),
    });
    this.#context = { connection: this.#connection, statements: buildStatements(this.tables) };
    this.#appends = new AppendCoalescer((scope, input) =>
      appendMessages(this.#connection, this.#context.statements, scope, input),
    );
  }

  /**
   * The TypeORM `DataSource` in use: yours, or the one the adapter made. Either way what you get back is yours to
   * guard: its options hold the connection's credentials (the repository itself never prints them).
   */
  get dataSource(): DataSource {
    return this.#connection.dataSource;
  }

  /**
   * Apply the shipped migrations this schema lacks; returns their names (`[]` when up to date). Safe to run from
   * several processes at once (an advisory lock serialises them) and a no-op when repeated. Creates the schema
   * if needed. Never `synchronize`. Not bounded by `statementTimeoutMs` (an index build on a large table may take
   * minutes); `close()` settles it.
   */
  migrate(): Promise<string[]> {
    return this.#migrations.run(() => this.#migrate());
  }

  async #migrate(): Promise<string[]> {
    const dataSource = await this.#connection.initialised();
    try {
      return await runMigrations(dataSource, this.schema);
    } catch (error) {
      throw this.#connection.error(error);
    }
  }

  /** Run one call: within the deadline, settled by `close()` (see the class comment). */
  #run<T>(scope: Scope, work: (context: Context, scope: Scope) => Promise<T>): Promise<T> {
    return this.#calls.run(() => work(this.#context, validateScope(scope)));
  }

  /** Create an empty thread. One statement. @throws ConflictError when the id is used by any thread. */
  createThread(scope: Scope, input?: CreateThreadInput): Promise<ChatThread> {
    return this.#run(scope, (c, s) => threads.createThread(c, s, input));
  }

  /** The thread, or `null` when it does not exist for this scope. One statement, by primary key. */
  getThread(scope: Scope, threadId: string): Promise<ChatThread | null> {
    return this.#run(scope, (c, s) => threads.getThread(c, s, threadId));
  }

  /** This user's threads, newest activity first. One statement on the `(org_id, user_id, updated_at, id)` index. */
  listThreads(scope: Scope, input?: ListThreadsInput): Promise<ThreadPage> {
    return this.#run(scope, (c, s) => threads.listThreads(c, s, input));
  }

  /** Every thread of an organisation, newest activity first. One statement on the `(org_id, updated_at, id)` index. */
  listOrgThreads(scope: OrgScope, input?: ListThreadsInput): Promise<ThreadPage> {
    return this.#calls.run(() => threads.listOrgThreads(this.#context, scope, input));
  }

  /** Rename and/or replace metadata; moves `updatedAt`. One statement. @throws NotFoundError. */
  updateThread(scope: Scope, input: UpdateThreadInput): Promise<ChatThread> {
    return this.#run(scope, (c, s) => threads.updateThread(c, s, input));
  }

  /**
   * Delete a thread and its messages; `false` when it does not exist for this scope. A transaction of two
   * statements: deleting the thread row first waits for any append in flight, and the message delete that follows
   * sees its rows, so nothing is left behind and the id is free for a new, empty thread.
   */
  deleteThread(scope: Scope, threadId: string): Promise<boolean> {
    return this.#run(scope, (c, s) => threads.deleteThread(c, s, threadId));
  }

  /** Remove every message, keep the thread and its `lastSeq`; returns how many were removed. One statement. */
  clearThread(scope: Scope, threadId: string): Promise<number> {
    return this.#run(scope, (c, s) => threads.clearThread(c, s, threadId));
  }

  /**
   * Append messages atomically in ONE statement (one round trip) and return them as stored, in input order.
   * Exactly one of two racing appends gets each `seq` (the thread row lock orders them); an all-existing batch
   * writes nothing and ignores `expectedLastSeq`; concurrent identical retries all get the same stored messages.
   * See `append.ts`. Concurrent appends to one thread through this repository (without `expectedLastSeq`) are
   * merged into one statement while another is in flight (see `coalesce.ts`); each caller gets its own messages.
   * @throws NotFoundError when the thread does not exist for this scope.
   * @throws ConflictError when `expectedLastSeq` is not the thread's `lastSeq` (and a message is new).
   */
  appendMessages(scope: Scope, input: AppendMessagesInput): Promise<ChatMessage[]> {
    return this.#run(scope, (_, s) => this.#appends.append(s, validateAppend(input)));
  }

  /**
   * A page of messages by `seq`; `null` when the thread does not exist for this scope. One statement: the scope
   * check plus an index range scan of `(thread_id, seq)`, the page as one JSON array; the newest N cost the same
   * whatever the thread's length.
   */
  getMessages(scope: Scope, input: GetMessagesInput): Promise<MessagePage | null> {
    return this.#run(scope, (c, s) => messages.getMessages(c, s, input));
  }

  /** One message, or `null`. One statement on the unique message key. */
  getMessage(scope: Scope, input: MessageRef): Promise<ChatMessage | null> {
    return this.#run(scope, (c, s) => messages.getMessage(c, s, input));
  }

  /**
   * Replace content and/or metadata; sets `editedAt` to the thread's new `updatedAt`. One statement.
   * @throws NotFoundError when the thread (for this scope) or the message does not exist.
   */
  editMessage(scope: Scope, input: EditMessageInput): Promise<ChatMessage> {
    return this.#run(scope, (c, s) => messages.editMessage(c, s, input));
  }

  /** Delete one message (its `seq` stays a gap); `false` when it or its thread does not exist. One statement. */
  deleteMessage(scope: Scope, input: MessageRef): Promise<boolean> {
    return this.#run(scope, (c, s) => messages.deleteMessage(c, s, input));
  }

  /**
   * Copy a thread's messages up to `atSeq` into a new thread, atomically, in one statement (one snapshot).
   * @throws NotFoundError when the source does not exist for this scope (checked first).
   * @throws ValidationError when `atSeq` is beyond the source's `lastSeq` (checked next).
   * @throws ConflictError when the new id is used by any thread (checked last).
   */
  forkThread(scope: Scope, input: ForkThreadInput): Promise<ChatThread> {
    return this.#run(scope, (c, s) => threads.forkThread(c, s, input));
  }

  /**
   * Messages of this scope matching `query` (whole words, `websearch_to_tsquery` syntax: `"a phrase"`, `or`,
   * `-word`), best `ts_rank` first, then newest. A missing or foreign `threadId` finds nothing. One statement on
   * the tenant search index: its cost is bounded by this user's own messages, whatever other tenants hold.
   */
  searchMessages(scope: Scope, input: SearchMessagesInput): Promise<ChatMessage[]> {
    return this.#run(scope, (c, s) => messages.searchMessages(c, s, input));
  }

  /**
   * Close this repository: every pending call rejects at once with `UnavailableError('repository is closed')`, as
   * does every later call; then the DataSource is destroyed if the adapter made it (a DataSource you passed stays
   * open). Idempotent. Resolves within `statementTimeoutMs` even on a frozen server (the pool finishes closing in
   * the background).
   */
  async close(): Promise<void> {
    if (this.#calls.closed) return;
    this.#calls.close();
    this.#migrations.close();
    if (this.#ownsDataSource && this.#connection.dataSource.isInitialized) {
      const closing = new PendingCalls({ backend: 'PostgreSQL', deadlineMs: this.#statementTimeoutMs });
      await closing.run(() => this.#connection.dataSource.destroy()).catch(() => undefined);
    }
  }

  /** What `util.inspect` prints: the schema and capabilities, never the connection. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `PostgresConversationRepository { schema: ${JSON.stringify(this.schema)} }`;
  }

  /** What `JSON.stringify` prints: the schema and capabilities, never the connection. */
  toJSON(): { type: string; schema: string; capabilities: RepositoryCapabilities } {
    return { type: 'PostgresConversationRepository', schema: this.schema, capabilities: this.capabilities };
  }
}

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
  ConflictError,
  NotFoundError,
  UnavailableError,
  forkPointError,
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
import type { DataSource } from 'typeorm';
import { appendMessages } from './append.js';
import { AppendCoalescer } from './coalesce.js';
import { Connection, createDataSource, secretsOf } from './connection.js';
import { runMigrations } from './migrate.js';
import type { PostgresRepositoryOptions } from './options.js';
import type { PageRow } from './pages.js';
import { messagePage, threadPage } from './pages.js';
import type { MessageRow, ThreadRow } from './rows.js';
import { toChatMessage, toChatThread } from './rows.js';
import type { QualifiedTables } from './schema.js';
import { DEFAULT_SCHEMA, qualifiedTables, validateSchemaName } from './schema.js';
import type { Statements } from './sql/index.js';
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
 *   serialization point for `seq`), checks scope, `expectedLastSeq` and idempotency (unique `(thread_id, id)`)
 *   and inserts the new rows: concurrent appenders from any connection or process never share or lose a `seq`.
 * - **Newest N** is an index range scan of `(thread_id, seq)` backwards: its cost does not grow with the thread.
 * - **Time.** Timestamps are the server's `now()` truncated to milliseconds; `updatedAt` is
 *   `greatest(now, previous)`. Messages appended together share one `createdAt`: the thread's new `updatedAt`.
 * - **Search.** `fullTextSearch` is declared: a generated `tsvector` ('simple' configuration: no stemming or stop
 *   words, language-neutral) with a GIN index, queried with `websearch_to_tsquery`; whole words, best
 *   `ts_rank` first, then newest.
 * - **Pooler-safe.** No session state; every table name is schema-qualified. `preparedStatements: false` for
 *   poolers that cannot carry named prepared statements.
 * - **Closed.** After {@link close}, every method rejects with `UnavailableError('repository is closed')`.
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
  readonly #ownsDataSource: boolean;
  readonly #statements: Statements;
  readonly #appends: AppendCoalescer;
  #closed = false;

  constructor(options: PostgresRepositoryOptions = {}) {
    this.schema = validateSchemaName(options.schema ?? DEFAULT_SCHEMA);
    this.tables = qualifiedTables(this.schema);
    this.#statements = buildStatements(this.tables);
    this.#appends = new AppendCoalescer((scope, input) =>
      appendMessages(this.#connection, this.#statements, scope, input),
    );
    this.#ownsDataSource = options.dataSource === undefined;
    const dataSource = options.dataSource ?? createDataSource(options, this.schema);
    this.#connection = new Connection({
      dataSource,
      preparedStatements: options.preparedStatements ?? true,
      secrets: secretsOf(options),
      schema: this.schema,
      ...(options.migrate === true ? { beforeFirstUse: async () => void (await this.#migrate()) } : {}),
    });
  }

  /** The TypeORM `DataSource` in use (yours, or the one the adapter made). */
  get dataSource(): DataSource {
    return this.#connection.dataSource;
  }

  /**
   * Apply the shipped migrations this schema lacks; returns their names (`[]` when up to date). Safe to run from
   * several processes at once (an advisory lock serialises them) and a no-op when repeated. Creates the schema
   * if needed. Never `synchronize`.
   */
  async migrate(): Promise<string[]> {
    this.#ensureOpen();
    return this.#migrate();
  }

  async #migrate(): Promise<string[]> {
    const dataSource = await this.#connection.initialised();
    try {
      return await runMigrations(dataSource, this.schema);
    } catch (error) {
      throw this.#connection.error(error);
    }
  }

  /** Create an empty thread. One statement. @throws ConflictError when the id is used by any thread. */
  async createThread(scope: Scope, input?: CreateThreadInput): Promise<ChatThread> {
    this.#ensureOpen();
    const s = validateScope(scope);
    const valid = validateCreateThread(input);
    const { rows } = await this.#connection.query<ThreadRow>(this.#statements.threads.create, [
      valid.id,
      s.orgId,
      s.userId,
      valid.name,
      JSON.stringify(valid.metadata),
    ]);
    const row = rows[0];
    if (row === undefined) throw new ConflictError('thread id is already used');
    return toChatThread(row);
  }

  /** The thread, or `null` when it does not exist for this scope. One statement, by primary key. */
  async getThread(scope: Scope, threadId: string): Promise<ChatThread | null> {
    this.#ensureOpen();
    const s = validateScope(scope);
    const id = validateId(threadId, 'threadId');
    const { rows } = await this.#connection.query<ThreadRow>(this.#statements.threads.get, [id, s.orgId, s.userId]);
    return rows[0] === undefined ? null : toChatThread(rows[0]);
  }

  /** This user's threads, newest activity first. One statement on the `(org_id, user_id, updated_at, id)` index. */
  async listThreads(scope: Scope, input?: ListThreadsInput): Promise<ThreadPage> {
    this.#ensureOpen();
    const s = validateScope(scope);
    const valid = validateListThreads(input);
    const statements = this.#statements.threads;
    const { rows } =
      valid.cursor === undefined
        ? await this.#connection.query<ThreadRow>(statements.listUser(valid.limit + 1), [s.orgId, s.userId])
        : await this.#connection.query<ThreadRow>(statements.listUserAfter(valid.limit + 1), [
            s.orgId,
            s.userId,
            valid.cursor.updatedAt,
            valid.cursor.id,
          ]);
    return threadPage(rows, valid.limit);
  }

  /** Every thread of an organisation, newest activity first. One statement on the `(org_id, updated_at, id)` index. */
  async listOrgThreads(scope: OrgScope, input?: ListThreadsInput): Promise<ThreadPage> {
    this.#ensureOpen();
    const s = validateOrgScope(scope);
    const valid = validateListThreads(input);
    const statements = this.#statements.threads;
    const { rows } =
      valid.cursor === undefined
        ? await this.#connection.query<ThreadRow>(statements.listOrg(valid.limit + 1), [s.orgId])
        : await this.#connection.query<ThreadRow>(statements.listOrgAfter(valid.limit + 1), [
            s.orgId,
            valid.cursor.updatedAt,
            valid.cursor.id,
          ]);
    return threadPage(rows, valid.limit);
  }

  /** Rename and/or replace metadata; moves `updatedAt`. One statement. @throws NotFoundError. */
  async updateThread(scope: Scope, input: UpdateThreadInput): Promise<ChatThread> {
    this.#ensureOpen();
    const s = validateScope(scope);
    const valid = validateUpdateThread(input);
    const { rows } = await this.#connection.query<ThreadRow>(this.#statements.threads.update, [
      valid.threadId,
      s.orgId,
      s.userId,
      valid.name ?? null,
      valid.metadata === undefined ? null : JSON.stringify(valid.metadata),
    ]);
    if (rows[0] === undefined) throw new NotFoundError('thread not found');
    return toChatThread(rows[0]);
  }

  /**
   * Delete a thread and its messages; `false` when it does not exist for this scope. A transaction of two
   * statements: deleting the thread row first waits for any append in flight, and the message delete that follows
   * sees its rows, so nothing is left behind and the id is free for a new, empty thread.
   */
  async deleteThread(scope: Scope, threadId: string): Promise<boolean> {
    this.#ensureOpen();
    const s = validateScope(scope);
    const id = validateId(threadId, 'threadId');
    const statements = this.#statements.threads;
    return this.#connection.transaction(async (client) => {
      const deleted = await this.#connection.query(statements.deleteThread, [id, s.orgId, s.userId], client);
      if (deleted.rowCount === 0) return false;
      await this.#connection.query(statements.deleteMessages, [id], client);
      return true;
    });
  }

  /** Remove every message, keep the thread and its `lastSeq`; returns how many were removed. One statement. */
  async clearThread(scope: Scope, threadId: string): Promise<number> {
    this.#ensureOpen();
    const s = validateScope(scope);
    const id = validateId(threadId, 'threadId');
    const { rows } = await this.#connection.query<{ removed: string }>(this.#statements.threads.clear, [
      id,
      s.orgId,
      s.userId,
    ]);
    if (rows[0] === undefined) throw new NotFoundError('thread not found');
    return Number(rows[0].removed);
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
  async appendMessages(scope: Scope, input: AppendMessagesInput): Promise<ChatMessage[]> {
    this.#ensureOpen();
    const s = validateScope(scope);
    return this.#appends.append(s, validateAppend(input));
  }

  /**
   * A page of messages by `seq`; `null` when the thread does not exist for this scope. One statement: the scope
   * check plus an index range scan of `(thread_id, seq)`, the page as one JSON array; the newest N cost the same whatever the thread's length.
   */
  async getMessages(scope: Scope, input: GetMessagesInput): Promise<MessagePage | null> {
    this.#ensureOpen();
    const s = validateScope(scope);
    const request = validateGetMessages(input);
    const m = this.#statements.messages;
    const base = [request.threadId, s.orgId, s.userId];
    let result: { rows: PageRow[] };
    if (request.afterSeq === undefined) {
      result =
        request.beforeSeq === undefined
          ? await this.#connection.query<PageRow>(m.newest(request.limit + 1), base)
          : await this.#connection.query<PageRow>(m.newestBefore(request.limit + 1), [...base, request.beforeSeq]);
    } else {
      result =
        request.beforeSeq === undefined
          ? await this.#connection.query<PageRow>(m.after(request.limit), [...base, request.afterSeq])
          : await this.#connection.query<PageRow>(m.afterBefore(request.limit), [
              ...base,
              request.afterSeq,
              request.beforeSeq,
            ]);
    }
    return messagePage(result.rows[0], request);
  }

  /** One message, or `null`. One statement on the unique `(thread_id, id)` index. */
  async getMessage(scope: Scope, input: MessageRef): Promise<ChatMessage | null> {
    this.#ensureOpen();
    const s = validateScope(scope);
    const ref = validateMessageRef(input);
    const { rows } = await this.#connection.query<MessageRow>(this.#statements.messages.get, [
      ref.threadId,
      ref.messageId,
      s.orgId,
      s.userId,
    ]);
    return rows[0] === undefined ? null : toChatMessage(rows[0]);
  }

  /**
   * Replace content and/or metadata; sets `editedAt` to the thread's new `updatedAt`. One statement.
   * @throws NotFoundError when the thread (for this scope) or the message does not exist.
   */
  async editMessage(scope: Scope, input: EditMessageInput): Promise<ChatMessage> {
    this.#ensureOpen();
    const s = validateScope(scope);
    const valid = validateEdit(input);
    const { rows } = await this.#connection.query<MessageRow>(this.#statements.messages.edit, [
      valid.threadId,
      valid.messageId,
      s.orgId,
      s.userId,
      valid.content === undefined ? null : JSON.stringify(valid.content),
      valid.metadata === undefined ? null : JSON.stringify(valid.metadata),
    ]);
    if (rows[0] === undefined) throw new NotFoundError('message not found');
    return toChatMessage(rows[0]);
  }

  /** Delete one message (its `seq` stays a gap); `false` when it or its thread does not exist. One statement. */
  async deleteMessage(scope: Scope, input: MessageRef): Promise<boolean> {
    this.#ensureOpen();
    const s = validateScope(scope);
    const ref = validateMessageRef(input);
    const { rows } = await this.#connection.query(this.#statements.messages.remove, [
      ref.threadId,
      ref.messageId,
      s.orgId,
      s.userId,
    ]);
    return rows.length > 0;
  }

  /**
   * Copy a thread's messages up to `atSeq` into a new thread, atomically, in one statement (one snapshot).
   * @throws NotFoundError when the source does not exist for this scope (checked first).
   * @throws ValidationError when `atSeq` is beyond the source's `lastSeq` (checked next).
   * @throws ConflictError when the new id is used by any thread (checked last).
   */
  async forkThread(scope: Scope, input: ForkThreadInput): Promise<ChatThread> {
    this.#ensureOpen();
    const s = validateScope(scope);
    const valid = validateFork(input);
    const { rows } = await this.#connection.query<
      ThreadRow & { source_last_seq: string; at_seq: string; id: string | null }
    >(this.#statements.threads.fork, [
      valid.threadId,
      s.orgId,
      s.userId,
      valid.atSeq ?? null,
      valid.id,
      valid.name ?? null,
      valid.metadata === undefined ? null : JSON.stringify(valid.metadata),
    ]);
    const row = rows[0];
    if (row === undefined) throw new NotFoundError('thread not found');
    const lastSeq = Number(row.source_last_seq);
    const atSeq = Number(row.at_seq);
    if (atSeq > lastSeq) throw forkPointError(atSeq, lastSeq);
    if (row.id === null) throw new ConflictError('thread id is already used');
    return toChatThread(row);
  }

  /**
   * Messages of this scope matching `query` (whole words, `websearch_to_tsquery` syntax: `"a phrase"`, `or`,
   * `-word`), best `ts_rank` first, then newest. A missing or foreign `threadId` finds nothing. One statement,
   * using the GIN index.
   */
  async searchMessages(scope: Scope, input: SearchMessagesInput): Promise<ChatMessage[]> {
    this.#ensureOpen();
    const s = validateScope(scope);
    const search = validateSearch(input);
    const m = this.#statements.messages;
    const { rows } =
      search.threadId === undefined
        ? await this.#connection.query<MessageRow>(m.search(search.limit), [s.orgId, s.userId, search.query])
        : await this.#connection.query<MessageRow>(m.searchThread(search.limit), [
            s.orgId,
            s.userId,
            search.query,
            search.threadId,
          ]);
    return rows.map(toChatMessage);
  }

  /**
   * Close this repository: destroys the DataSource only if the adapter made it (a DataSource you passed stays
   * open). Idempotent; later calls reject with `UnavailableError`.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDataSource && this.#connection.dataSource.isInitialized) {
      await this.#connection.dataSource.destroy().catch(() => undefined);
    }
  }

  #ensureOpen(): void {
    if (this.#closed) throw new UnavailableError('repository is closed');
  }
}

import type { RepositoryCapabilities } from '@fluxibly/core';
import type { StorageOperations } from '@fluxibly/core/adapter';
import { BaseConversationRepository, PendingCalls } from '@fluxibly/core/adapter';
import type { DataSource } from 'typeorm';
import { appendMessages } from './append.js';
import { AppendCoalescer } from './coalesce.js';
import { Connection, createDataSource, secretsOf } from './connection.js';
import type { Context } from './context.js';
import { errorMapper } from './errors.js';
import * as lifecycle from './lifecycle-ops.js';
import * as messages from './message-ops.js';
import { runMigrations } from './migrate.js';
import type { PostgresRepositoryOptions } from './options.js';
import { readOptions } from './options.js';
import type { QualifiedTables } from './schema.js';
import { qualifiedTables } from './schema.js';
import { buildStatements } from './sql/index.js';
import * as threads from './thread-ops.js';

/** Names the backend in core's messages: `PostgreSQL did not answer within 30000 ms`. */
const BACKEND = 'PostgreSQL';

/**
 * A `ConversationRepository` on PostgreSQL, through TypeORM 1.x, built on core's adapter kit
 * (`BaseConversationRepository`: closed check, validation once per call, the call bound, error mapping).
 *
 * TypeORM is the connection and migration layer (a `DataSource` you pass, or one made from a URL or connection
 * fields); the hot paths are hand-written SQL on the DataSource's pg pool (`sql/`), each call one statement — one
 * round trip — except `deleteThread` (a short transaction). Each operation's promises are in `thread-ops.ts`,
 * `message-ops.ts`, `append.ts` and `lifecycle-ops.ts`.
 *
 * - **Append** is one data-modifying statement that row-locks and bumps the thread (`UPDATE … RETURNING`, the
 *   serialization point for `seq`), checks scope, `expectedLastSeq`, `expectedMessageCount` and idempotency (the
 *   unique message key) and inserts the new rows: concurrent appenders from any connection or process never share
 *   or lose a `seq`. Concurrent appends to one thread through this repository (without a guard) are merged into one
 *   statement while another is in flight (`coalesce.ts`); each caller gets its own messages.
 * - **Erase and prune** work in batches of one statement each, on an index (`fluxibly_threads_by_user`,
 *   `fluxibly_threads_by_org`, and `fluxibly_threads_by_activity` for a prune of every organisation); each thread
 *   is deleted atomically against appends, and a prune re-checks inactivity on the locked row. **Transfer** and
 *   **import** are one statement each (`lifecycle-ops.ts`).
 * - **Newest N** is an index range scan of `(thread_id, seq)` backwards: its cost does not grow with the thread.
 * - **Time.** Timestamps are the server's `now()` truncated to milliseconds; `updatedAt` is
 *   `greatest(now, previous)`. Messages appended together share one `createdAt`: the thread's new `updatedAt`.
 * - **Search.** `fullTextSearch` is declared (unless the option turns it off): a generated `tsvector` ('simple'
 *   configuration: no stemming or stop words, language-neutral) in one GIN index with the tenant keys, queried
 *   with `websearch_to_tsquery`; whole words, best `ts_rank` first, then newest; its cost is bounded by the
 *   searching user's own data. With `fullTextSearch: false`, `migrate()` drops both and appends are cheaper.
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
export class PostgresConversationRepository extends BaseConversationRepository {
  /** The schema holding the tables. */
  readonly schema: string;
  /** The qualified, quoted table names. */
  readonly tables: QualifiedTables;
  readonly #connection: Connection;
  readonly #fullTextSearch: boolean | undefined;

  /**
   * @throws ValidationError naming the option (`schema`, `statementTimeoutMs`, `connectTimeoutMs`, `poolSize`,
   *   `dataSource`, …) when one is invalid.
   */
  constructor(options: PostgresRepositoryOptions = {}) {
    const resolved = readOptions(options);
    const { schema, statementTimeoutMs, fullTextSearch } = resolved;
    const ownsDataSource = resolved.dataSource === undefined;
    const dataSource =
      resolved.dataSource ?? createDataSource(resolved.connection, schema, { queryTimeoutMs: statementTimeoutMs });
    const connection = new Connection({
      dataSource,
      preparedStatements: resolved.preparedStatements,
      ...(resolved.migrate
        ? {
            beforeFirstUse: async (c: Connection) =>
              void (await runMigrations(
                await c.initialised(),
                schema,
                undefined,
                fullTextSearch === undefined ? {} : { fullTextSearch },
              )),
          }
        : {}),
    });
    const tables = qualifiedTables(schema);
    const mapError = errorMapper(secretsOf(resolved.connection), schema);
    const context: Context = { connection, statements: buildStatements(tables) };
    super(
      {
        backend: BACKEND,
        capabilities: Object.freeze({ fullTextSearch: fullTextSearch !== false, ttl: false }),
        searchUnsupportedReason:
          'it was created with fullTextSearch: false, whose migrate() drops the search index; ' +
          'create it with fullTextSearch: true and run migrate() to search again',
        deadlineMs: statementTimeoutMs,
        mapError,
      },
      postgresOperations(context, async () => {
        if (!ownsDataSource || !dataSource.isInitialized) return;
        // Bounded: resolves within statementTimeoutMs on a frozen server (the pool finishes closing meanwhile).
        const closing = new PendingCalls({ backend: BACKEND, deadlineMs: statementTimeoutMs });
        await closing.run(() => dataSource.destroy()).catch(() => undefined);
      }),
    );
    this.schema = schema;
    this.tables = tables;
    this.#fullTextSearch = fullTextSearch;
    this.#connection = connection;
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
   * minutes), so it runs without the call bound; `close()` settles it all the same. With the `fullTextSearch`
   * option given, it then makes the search column match it (dropped for `false`; rebuilt, a table rewrite, for
   * `true` after a `false`) and lists that step too (`FluxiblySearchIndexDropped` / `FluxiblySearchIndexRebuilt`).
   */
  migrate(): Promise<string[]> {
    const options = this.#fullTextSearch === undefined ? {} : { fullTextSearch: this.#fullTextSearch };
    return this.run(async () => runMigrations(await this.#connection.initialised(), this.schema, undefined, options), {
      deadlineMs: 0,
    });
  }

  /** What `util.inspect` prints: the schema, never the connection. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `PostgresConversationRepository { schema: ${JSON.stringify(this.schema)} }`;
  }

  /** What `JSON.stringify` prints: the schema and capabilities, never the connection. */
  toJSON(): { type: string; schema: string; capabilities: RepositoryCapabilities } {
    return { type: 'PostgresConversationRepository', schema: this.schema, capabilities: this.capabilities };
  }
}

/** The storage operations over `c` (see `thread-ops.ts`, `message-ops.ts`, `append.ts`, `lifecycle-ops.ts`). */
function postgresOperations(c: Context, close: () => Promise<void>): StorageOperations {
  const on =
    <S, I, R>(operation: (context: Context, scope: S, input: I) => Promise<R>) =>
    (scope: S, input: I): Promise<R> =>
      operation(c, scope, input);
  const appends = new AppendCoalescer((scope, input) => appendMessages(c, scope, input));
  return {
    createThread: on(threads.createThread),
    getThread: on(threads.getThread),
    listThreads: on(threads.listThreads),
    listOrgThreads: on(threads.listOrgThreads),
    updateThread: on(threads.updateThread),
    deleteThread: on(threads.deleteThread),
    clearThread: on(threads.clearThread),
    truncateThread: on(threads.truncateThread),
    forkThread: on(threads.forkThread),
    appendMessages: (scope, input) => appends.append(scope, input),
    getMessages: on(messages.getMessages),
    getMessage: on(messages.getMessage),
    editMessage: on(messages.editMessage),
    deleteMessage: on(messages.deleteMessage),
    searchMessages: on(messages.searchMessages),
    eraseThreads: on(lifecycle.eraseThreads),
    transferThread: on(lifecycle.transferThread),
    pruneThreads: on(lifecycle.pruneThreads),
    importThread: on(lifecycle.importThread),
    importMessages: on(lifecycle.importMessages),
    close,
  };
}

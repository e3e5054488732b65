import type { RepositoryCapabilities } from '@fluxibly/core';
import type { StorageOperations } from '@fluxibly/core/adapter';
import { BaseConversationRepository } from '@fluxibly/core/adapter';
import type { DataSource } from 'typeorm';
import { appendMessages } from './append.js';
import { Connection, createDataSource } from './connection.js';
import type { Context } from './context.js';
import { errorMapper } from './errors.js';
import * as lifecycle from './lifecycle-ops.js';
import * as messages from './message-ops.js';
import { runMigrations } from './migrate.js';
import type { SqliteRepositoryOptions } from './options.js';
import { readOptions } from './options.js';
import * as threads from './thread-ops.js';

const CAPABILITIES: RepositoryCapabilities = Object.freeze({ fullTextSearch: true, ttl: false });

/** Names the backend in core's messages. */
const BACKEND = 'SQLite';

/** Added to the busy timeout for the call bound: a call may wait that long for the write lock, then work. */
const DEADLINE_MARGIN_MS = 30_000;

/**
 * A `ConversationRepository` in one SQLite file, through TypeORM 1.x and better-sqlite3, built on core's adapter kit
 * (`BaseConversationRepository`: closed check, validation once per call, error mapping). No server: the file is the
 * database, and several processes may use it at once.
 *
 * TypeORM is the connection and migration layer (a `DataSource` you pass, or one made for `path`); the hot paths
 * are hand-written SQL prepared once on its better-sqlite3 connection (`sql/`).
 *
 * - **Across processes.** WAL mode, a busy timeout, and every write in one `BEGIN IMMEDIATE` transaction (see
 *   `connection.ts`): processes appending to one thread never share or lose a `seq`, and a process killed mid-batch
 *   leaves no partial batch. Each operation's promises are in `thread-ops.ts`, `message-ops.ts` and `append.ts`.
 * - **Newest N** is an index range scan of `(thread_id, seq)` backwards: its cost does not grow with the thread.
 * - **Time.** Epoch milliseconds of this machine's clock; `updatedAt` is `max(now, previous)`. Messages appended
 *   together share one `createdAt`: the thread's new `updatedAt`.
 * - **Search.** `fullTextSearch` is declared: FTS5 over tenant-keyed terms (`search-terms.ts`): whole words, every
 *   word required, newest first; its cost is bounded by the searching user's own data.
 * - **Copying the file.** After `checkpointIdleMs` without writes the log is checkpointed into the file, so a copy
 *   of the `.db` file taken while idle holds everything committed.
 * - **Synchronous driver.** better-sqlite3 runs each statement on the calling thread: a call blocks the event loop
 *   while it runs (microseconds for the usual call) or waits for another process's write lock (at most
 *   `busyTimeoutMs`). After {@link close}, every later call rejects with `UnavailableError('repository is closed')`.
 * - **No path printed**: the file's path stays private (it may name a user): `util.inspect`, `JSON.stringify`,
 *   `String` and errors do not show it.
 *
 * Tables must exist: run {@link migrate} once (or pass `migrate: true`). A missing table is an `UnavailableError`
 * telling you so.
 */
export class SqliteConversationRepository extends BaseConversationRepository {
  readonly #connection: Connection;
  readonly #path: string;

  /** @throws ValidationError naming the option (`path`, `busyTimeoutMs`, `dataSource`, …) when one is invalid. */
  constructor(options: SqliteRepositoryOptions = {}) {
    const resolved = readOptions(options);
    const ownsDataSource = resolved.dataSource === undefined;
    const dataSource = resolved.dataSource ?? createDataSource(resolved.path, resolved.busyTimeoutMs);
    const connection = new Connection({
      dataSource,
      settings: resolved,
      ...(resolved.migrate
        ? { beforeFirstUse: async (c: Connection) => void runMigrations(await c.rawDatabase()) }
        : {}),
    });
    const context: Context = { connection };
    const secrets = ownsDataSource && resolved.path !== ':memory:' ? [resolved.path] : [];
    super(
      {
        backend: BACKEND,
        capabilities: CAPABILITIES,
        deadlineMs: resolved.busyTimeoutMs + DEADLINE_MARGIN_MS,
        mapError: errorMapper(secrets),
      },
      sqliteOperations(context, async () => {
        connection.release();
        if (ownsDataSource && dataSource.isInitialized) await dataSource.destroy();
      }),
    );
    this.#connection = connection;
    this.#path = ownsDataSource ? resolved.path : '';
  }

  /**
   * The TypeORM `DataSource` in use: yours, or the one the adapter made (its options hold the file's path).
   */
  get dataSource(): DataSource {
    return this.#connection.dataSource;
  }

  /** The database file's path as given (`''` with a caller's `dataSource`). Never printed by the repository. */
  get path(): string {
    return this.#path;
  }

  /**
   * Apply the shipped migrations the file lacks; returns their names (`[]` when up to date). Safe to run from several
   * processes at once (one `BEGIN IMMEDIATE` transaction each: they run one after the other) and a no-op when
   * repeated. Never `synchronize`.
   */
  migrate(): Promise<string[]> {
    return this.run(async () => runMigrations(await this.#connection.rawDatabase()), { deadlineMs: 0 });
  }

  /** What `util.inspect` prints: the capabilities, never the path. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'SqliteConversationRepository { fullTextSearch: true }';
  }

  /** What `JSON.stringify` prints: the type and capabilities, never the path. */
  toJSON(): { type: string; capabilities: RepositoryCapabilities } {
    return { type: 'SqliteConversationRepository', capabilities: this.capabilities };
  }
}

/** The storage operations over `c` (see `thread-ops.ts`, `message-ops.ts`, `append.ts`). */
function sqliteOperations(c: Context, close: () => Promise<void>): StorageOperations {
  const on =
    <S, I, R>(operation: (context: Context, scope: S, input: I) => Promise<R>) =>
    (scope: S, input: I): Promise<R> =>
      operation(c, scope, input);
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
    appendMessages: on(appendMessages),
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

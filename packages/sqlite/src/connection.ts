import type { Database, Statement } from 'better-sqlite3';
import { SharedAttempt } from '@fluxibly/core/adapter';
import { DataSource } from 'typeorm';
import { TABLES } from './schema.js';

/** One step of FTS5 index maintenance: merge at most this many pages of small segments (a few ms of work). */
const MERGE_PAGES = 256;
const MERGE = `INSERT INTO ${TABLES.search} (${TABLES.search}, rank) VALUES ('merge', ${MERGE_PAGES})`;

/** How the adapter sets up each connection (see `SqliteRepositoryOptions`). */
export interface ConnectionSettings {
  readonly busyTimeoutMs: number;
  readonly checkpointIdleMs: number;
  readonly synchronous: 'normal' | 'full';
}

/**
 * A new TypeORM `DataSource` (type `better-sqlite3`) for the file at `path`, not yet initialised. Never
 * `synchronize`; TypeORM creates the file's folder when missing.
 */
export function createDataSource(path: string, busyTimeoutMs: number): DataSource {
  return new DataSource({
    type: 'better-sqlite3',
    database: path,
    timeout: busyTimeoutMs,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    entities: [],
  });
}

/**
 * The adapter's way to SQLite: a TypeORM `DataSource` (made here, or the caller's), initialised on first use, whose
 * better-sqlite3 connection runs the hand-written statements directly, prepared once and cached.
 *
 * On first use each connection gets WAL mode (readers never block the writer, nor it them), SQLite's busy timeout
 * (a writer waits for another process's write transaction instead of failing at once) and `synchronous`. Every
 * write runs in a `BEGIN IMMEDIATE` transaction ({@link write}): the write lock is taken at the start, so two
 * processes never both read a thread and then race to write it, and a busy database is waited for, never a
 * `SQLITE_BUSY` halfway through. better-sqlite3 is synchronous: a transaction runs to its end without yielding to
 * the event loop, so calls of one process never interleave inside one.
 */
export class Connection {
  readonly dataSource: DataSource;
  readonly #settings: ConnectionSettings;
  readonly #beforeFirstUse: ((connection: Connection) => Promise<void>) | undefined;
  readonly #statements = new Map<string, Statement>();
  readonly #initialising: SharedAttempt<DataSource>;
  readonly #ready: SharedAttempt<Database>;
  #db: Database | undefined;
  #immediate: ((work: () => unknown) => unknown) | undefined;
  #savepoint: ((work: () => unknown) => unknown) | undefined;
  readonly #group: Array<{ work: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }> =
    [];
  #checkpoint: NodeJS.Timeout | undefined;

  constructor(options: {
    dataSource: DataSource;
    settings: ConnectionSettings;
    beforeFirstUse?: (connection: Connection) => Promise<void>;
  }) {
    this.dataSource = options.dataSource;
    this.#settings = options.settings;
    this.#beforeFirstUse = options.beforeFirstUse;
    this.#initialising = new SharedAttempt(() => this.dataSource.initialize());
    this.#ready = new SharedAttempt(() => this.#open());
  }

  /**
   * The DataSource, initialised (yours may be already). Concurrent callers share one attempt; a failed attempt is
   * forgotten, so the next call tries again (core's `SharedAttempt`).
   */
  initialised(): Promise<DataSource> {
    if (this.dataSource.isInitialized) return Promise.resolve(this.dataSource);
    return this.#initialising.run();
  }

  /** The better-sqlite3 connection, set up (see the class comment), after the start-up hook (migrations) ran. */
  database(): Promise<Database> {
    return this.#ready.run();
  }

  /** The set-up connection without the start-up hook (for `migrate()` itself). */
  async rawDatabase(): Promise<Database> {
    if (this.#db !== undefined) return this.#db;
    const dataSource = await this.initialised();
    const db = (dataSource.driver as unknown as { databaseConnection?: Database }).databaseConnection;
    if (db?.prepare === undefined)
      throw new Error('the DataSource has no better-sqlite3 connection (is its type better-sqlite3?)');
    db.pragma(`busy_timeout = ${this.#settings.busyTimeoutMs}`);
    if (!db.memory) db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${this.#settings.synchronous.toUpperCase()}`);
    const transaction = db.transaction((work: () => unknown) => work());
    this.#immediate = (work) => transaction.immediate(work);
    // Called inside a transaction, a better-sqlite3 transaction function is a SAVEPOINT: see `grouped`.
    this.#savepoint = (work) => transaction(work);
    this.#db = db;
    return db;
  }

  async #open(): Promise<Database> {
    const db = await this.rawDatabase();
    await this.#beforeFirstUse?.(this);
    return db;
  }

  /** The prepared statement for `sql` on the open connection (prepared on first use, then reused). */
  statement(sql: string): Statement {
    let found = this.#statements.get(sql);
    if (found === undefined) {
      if (this.#db === undefined) throw new Error('the connection is not open');
      found = this.#db.prepare(sql);
      this.#statements.set(sql, found);
    }
    return found;
  }

  /**
   * Run `work` in one `BEGIN IMMEDIATE` transaction (committed when it returns, rolled back when it throws), then
   * schedule the idle checkpoint. Call after {@link database} resolved.
   */
  write<T>(work: () => T): T {
    if (this.#immediate === undefined) throw new Error('the connection is not open');
    if (this.#db?.inTransaction === true) {
      // Only a caller's DataSource can be mid-transaction here (a TypeORM transaction held across an await): a write
      // would become part of it, no longer atomic on its own.
      throw new Error("the DataSource's connection is inside a transaction; the repository's writes need it idle");
    }
    const result = this.#immediate(work) as T;
    this.#scheduleCheckpoint();
    return result;
  }

  /**
   * {@link write}, group-committed: the calls made while this process's other calls are being handled (32 concurrent
   * appends, say) run in ONE `BEGIN IMMEDIATE` transaction, each in its own savepoint, so one commit serves them
   * all. Each call is still all-or-nothing on its own — one that throws rolls back to its savepoint and rejects
   * with its error, the others go on — and every promise settles after the commit (all reject if it fails).
   */
  grouped<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#group.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.#group.length === 1) queueMicrotask(() => this.#commitGroup());
    });
  }

  #commitGroup(): void {
    const calls = this.#group.splice(0);
    const savepoint = this.#savepoint;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      if (savepoint === undefined) throw new Error('the connection is not open');
      this.write(() => {
        for (const call of calls) {
          try {
            outcomes.push({ ok: true, value: calls.length === 1 ? call.work() : savepoint(call.work) });
          } catch (error) {
            if (calls.length === 1) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const call of calls) call.reject(error);
      return;
    }
    calls.forEach((call, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok === true) call.resolve(outcome.value);
      else call.reject(outcome?.error);
    });
  }

  /** Whether the start-up (opening, migrations) already succeeded: calls may then skip awaiting it. */
  get open(): boolean {
    return this.#db !== undefined;
  }

  /**
   * After `checkpointIdleMs` without writes: one short step of full-text index maintenance, then a passive
   * checkpoint. The step (`'merge'`, at most {@link MERGE_PAGES} pages, in its own `BEGIN IMMEDIATE` transaction)
   * merges the small FTS5 segments each write transaction leaves, so a search looks up its terms in few segments
   * (see the README's Search); while steps find work, another is scheduled for the next idle period.
   */
  #scheduleCheckpoint(): void {
    const idleMs = this.#settings.checkpointIdleMs;
    if (idleMs === 0 || this.#db?.memory !== false) return;
    if (this.#checkpoint !== undefined) {
      this.#checkpoint.refresh();
      return;
    }
    this.#checkpoint = setTimeout(() => {
      this.#checkpoint = undefined;
      if (this.#idleWork()) this.#scheduleCheckpoint();
    }, idleMs);
    this.#checkpoint.unref();
  }

  /** The idle work (see {@link #scheduleCheckpoint}); whether the merge step found work to do. */
  #idleWork(): boolean {
    const db = this.#db;
    const immediate = this.#immediate;
    if (db === undefined || immediate === undefined || db.inTransaction) return false;
    let merged = false;
    try {
      const changes = this.statement('SELECT total_changes() AS n').pluck();
      const before = changes.get() as number;
      immediate(() => this.statement(MERGE).run());
      // FTS5 reports a merge that did work as two or more changes.
      merged = (changes.get() as number) - before >= 2;
    } catch {
      // Busy, not migrated, or closed meanwhile: the next idle period tries again.
    }
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Closed meanwhile, or busy: SQLite checkpoints on its own later, and on close.
    }
    return merged;
  }

  /** Stop the idle checkpoint and forget the statements (before the connection closes). */
  release(): void {
    if (this.#checkpoint !== undefined) clearTimeout(this.#checkpoint);
    this.#checkpoint = undefined;
    this.#statements.clear();
    this.#immediate = undefined;
    this.#savepoint = undefined;
    this.#db = undefined;
  }
}

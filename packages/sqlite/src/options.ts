import { ValidationError } from '@fluxibly/core';
import { OptionReader } from '@fluxibly/core/adapter';
import type { DataSource } from 'typeorm';

/** Default {@link SqliteRepositoryOptions.path}. */
export const DEFAULT_PATH = './fluxibly.db';
/** Default {@link SqliteRepositoryOptions.busyTimeoutMs}: 5 s. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** Default {@link SqliteRepositoryOptions.checkpointIdleMs}: 1 s. */
export const DEFAULT_CHECKPOINT_IDLE_MS = 1_000;
/** The longest timeout Node's timers take (about 24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Options of {@link SqliteConversationRepository}. */
export interface SqliteRepositoryOptions {
  /**
   * The database file, created (with its folder) when missing; `:memory:` for a private in-memory database (gone
   * with the repository, not shared with any other). Default `./fluxibly.db`. Ignored with `dataSource`. Treated
   * as private: never printed by the repository or its errors (a path may name a user).
   */
  path?: string;
  /**
   * A TypeORM `DataSource` (type `better-sqlite3`) you own. The adapter runs its statements on its connection
   * (setting WAL mode and the busy timeout on it) and never closes it. It is initialised on first use if it is not yet.
   */
  dataSource?: DataSource;
  /**
   * Run the shipped migrations (see `migrate()`) before the first call. Default `false`: run `migrate()` once as a
   * deploy step (or pass `true` for a laptop or a test).
   */
  migrate?: boolean;
  /**
   * How long a write waits for another connection's (or process's) write transaction to finish before failing with
   * `UnavailableError` (SQLite's busy timeout). The wait blocks this process's event loop, as every better-sqlite3
   * call does. A whole number of ms, 0 or more. Default 5 000.
   */
  busyTimeoutMs?: number;
  /**
   * After this many ms without a write, the repository copies the write-ahead log into the database file (a
   * passive checkpoint), so a copy of the file alone, taken while idle, holds every committed message. `0` turns it
   * off (SQLite still checkpoints every 1000 pages, and on close). A whole number of ms. Default 1 000.
   */
  checkpointIdleMs?: number;
  /**
   * SQLite's `synchronous` setting. `'normal'` (default, with WAL): a committed write survives the process being
   * killed; a power loss may lose the last commits, never corrupt the file. `'full'`: commits also survive a power loss,
   * at the cost of an fsync per write.
   */
  synchronous?: 'normal' | 'full';
}

/** {@link SqliteRepositoryOptions} read and checked, defaults applied. */
export interface ResolvedOptions {
  readonly path: string;
  readonly dataSource: DataSource | undefined;
  readonly migrate: boolean;
  readonly busyTimeoutMs: number;
  readonly checkpointIdleMs: number;
  readonly synchronous: 'normal' | 'full';
}

/**
 * Read the repository's options with core's `OptionReader`: every one is type- and range-checked, and a bad one is
 * a `ValidationError` naming it.
 */
export function readOptions(options: SqliteRepositoryOptions): ResolvedOptions {
  const read = new OptionReader(options);
  return {
    path: read.string('path') ?? DEFAULT_PATH,
    dataSource: dataSourceOption(read.raw('dataSource')),
    migrate: read.boolean('migrate', false),
    busyTimeoutMs: read.integer('busyTimeoutMs', { min: 0, max: MAX_TIMEOUT_MS, fallback: DEFAULT_BUSY_TIMEOUT_MS }),
    checkpointIdleMs: read.integer('checkpointIdleMs', {
      min: 0,
      max: MAX_TIMEOUT_MS,
      fallback: DEFAULT_CHECKPOINT_IDLE_MS,
    }),
    synchronous: read.oneOf('synchronous', ['normal', 'full'], 'normal'),
  };
}

/** The `dataSource` option: a TypeORM DataSource (anything with a `driver`), or absent. */
function dataSourceOption(value: unknown): DataSource | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || !('driver' in value)) {
    throw new ValidationError('dataSource', 'must be a TypeORM DataSource');
  }
  return value as DataSource;
}

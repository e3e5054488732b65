import { ValidationError } from '@fluxibly/core';
import { OptionReader, URL_SCHEMES, validateConnectionUrl } from '@fluxibly/core/adapter';
import type { DataSource } from 'typeorm';
import { DEFAULT_SCHEMA, validateSchemaName } from './schema.js';

/** Default {@link PostgresRepositoryOptions.statementTimeoutMs}: 30 s. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
/** Default {@link PostgresConnectionOptions.connectTimeoutMs}: 10 s. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** The longest timeout Node's timers take (about 24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Where to connect, when the adapter makes its own TypeORM `DataSource`. */
export interface PostgresConnectionOptions {
  /** A `postgres://` or `postgresql://` URL. When set, the host/port/database/user/password fields are ignored. */
  url?: string;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default `5432`. */
  port?: number;
  /** Default `postgres`. */
  database?: string;
  /** Default `postgres`. */
  user?: string;
  password?: string;
  /** Most connections the pool opens. Default 10 (pg's default). */
  poolSize?: number;
  /** `application_name` of the connections, visible in `pg_stat_activity`. Default `fluxibly`. */
  applicationName?: string;
  /**
   * How long to wait for a connection (a new one, or a free one of the pool) before failing with
   * `UnavailableError`. A whole number of ms, 1 or more. Default 10 000.
   */
  connectTimeoutMs?: number;
}

/** Options of {@link PostgresConversationRepository}. */
export interface PostgresRepositoryOptions extends PostgresConnectionOptions {
  /**
   * A TypeORM `DataSource` (type `postgres`) you own. The adapter uses its pool and never closes it
   * (`close()` leaves it open); it is initialised on first use if it is not yet. The connection fields above are
   * then ignored.
   */
  dataSource?: DataSource;
  /**
   * The PostgreSQL schema holding the tables (and the migrations table). Default `public`. Every statement
   * names it explicitly; nothing relies on `search_path`.
   */
  schema?: string;
  /**
   * Run the shipped migrations (see `migrate()`) before the first call. Default `false`: run `migrate()` once
   * as a deploy step instead.
   */
  migrate?: boolean;
  /**
   * Use named prepared statements for the hot statements (parsed and planned once per connection). Default
   * `true`. Set `false` behind a transaction-mode pooler that cannot track them (PgBouncer before 1.21).
   */
  preparedStatements?: boolean;
  /**
   * The longest any call may take, connecting included: past it the call rejects with `UnavailableError` (the
   * statement may still complete on the server, as with any timeout; every write is safe to retry). On a pool the
   * adapter makes, each query also gets pg's client-side `query_timeout` of the same length, and a connection whose
   * query timed out is discarded. Applied on the client, so it works through any pooler (no startup parameter, no
   * `SET`). A whole number of ms, 1 or more. Default 30 000.
   */
  statementTimeoutMs?: number;
  /**
   * Whether the schema keeps a full-text search index of message content (`capabilities.fullTextSearch`).
   * - `false`, for a deployment that never calls `searchMessages`: `migrate()` drops the search column and its
   *   index (instant, no table rewrite) and every append stops computing a `tsvector` and writing the index
   *   (a 100-message batch about twice as fast, 40–65 % less WAL per message: see the README's bench).
   *   `searchMessages` rejects with `UnsupportedError`.
   * - `true`: `migrate()` rebuilds the column and index when an earlier `false` dropped them — a table rewrite
   *   (every stored message's column is computed) under a lock that blocks reads and writes for its duration.
   * - Unset (the default): search is declared, and `migrate()` leaves the column as it finds it (a new schema
   *   gets it), so a process started without the option never rewrites a table by accident; on a schema migrated
   *   with `false`, its searches reject with an `UnsupportedError` saying so.
   * The choice belongs to the schema: give every repository on it the same value.
   */
  fullTextSearch?: boolean;
}

/** {@link PostgresRepositoryOptions} read and checked, defaults applied. */
export interface ResolvedOptions {
  readonly schema: string;
  readonly statementTimeoutMs: number;
  readonly migrate: boolean;
  readonly preparedStatements: boolean;
  /** `undefined`: not given (search declared; `migrate()` leaves the search column as it is). */
  readonly fullTextSearch: boolean | undefined;
  /** The caller's DataSource, when given (the connection fields are then ignored). */
  readonly dataSource: DataSource | undefined;
  /** Where to connect when the adapter makes its own DataSource. */
  readonly connection: PostgresConnectionOptions & { connectTimeoutMs: number };
}

/**
 * Read the repository's options with core's `OptionReader`: every one is type- and range-checked, and a bad one
 * is a `ValidationError` naming it (a value is described by its type, never quoted: no password is shown).
 */
export function readOptions(options: PostgresRepositoryOptions): ResolvedOptions {
  const read = new OptionReader(options);
  const timeout = (name: string, fallback: number): number =>
    read.integer(name, { min: 1, max: MAX_TIMEOUT_MS, fallback });
  const connection: PostgresConnectionOptions & { connectTimeoutMs: number } = {
    port: read.integer('port', { min: 1, max: 65_535, fallback: 5432 }),
    poolSize: read.integer('poolSize', { min: 1, max: 10_000, fallback: 10 }),
    connectTimeoutMs: timeout('connectTimeoutMs', DEFAULT_CONNECT_TIMEOUT_MS),
  };
  for (const name of ['host', 'database', 'user', 'applicationName'] as const) {
    const value = read.string(name);
    if (value !== undefined) connection[name] = value;
  }
  const url = read.raw('url');
  if (url !== undefined) connection.url = validateConnectionUrl(url, 'url', URL_SCHEMES.postgresql ?? []);
  const password = read.string('password', { allowEmpty: true });
  if (password !== undefined) connection.password = password;
  return {
    schema: validateSchemaName(read.string('schema') ?? DEFAULT_SCHEMA),
    statementTimeoutMs: timeout('statementTimeoutMs', DEFAULT_STATEMENT_TIMEOUT_MS),
    migrate: read.boolean('migrate', false),
    preparedStatements: read.boolean('preparedStatements', true),
    fullTextSearch: read.raw('fullTextSearch') === undefined ? undefined : read.boolean('fullTextSearch', true),
    dataSource: dataSourceOption(read.raw('dataSource')),
    connection,
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

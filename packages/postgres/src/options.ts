import { ValidationError, describe } from '@fluxibly/core';
import type { DataSource } from 'typeorm';

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
}

/**
 * A timeout option, or its default: a whole number of milliseconds from 1 to 2,147,483,647.
 * @throws ValidationError naming the option.
 */
export function validateTimeout(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw new ValidationError(
      option,
      `must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${describe(value)}`,
    );
  }
  return value;
}

import type { DataSource } from 'typeorm';

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
  /** How long to wait for a connection before failing with `UnavailableError`. Default 10 000 ms. */
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
}

/** An environment: `process.env` or any map of variable names to strings. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The storage backends built in: each has its adapter package (`@fluxibly/memory`, …) and its variables. */
export type DatabaseBackend = 'memory' | 'sqlite' | 'postgresql' | 'redis' | 'mongodb';

/** Every built-in {@link DatabaseBackend}, in a stable order. */
export const DATABASE_BACKENDS: readonly DatabaseBackend[] = ['memory', 'sqlite', 'postgresql', 'redis', 'mongodb'];

/** What every database config may carry besides its backend's own fields. */
export interface DatabaseConfigBase {
  /**
   * The environment the config was read from (`StateConfig.fromEnv(env)` sets it; `undefined` on a config built by
   * hand unless you set it), so an adapter can read its own variables: `config.env?.SQLITE_FILE`. On a protected
   * config (every config `StateConfig` holds or `createRepository` hands an adapter) it is a frozen snapshot and a
   * non-enumerable property that no printout of the config shows: `JSON.stringify`, `String` and `util.inspect`
   * leave it out, and printing the snapshot itself shows only how many variables it holds. An adapter must not
   * print the values it reads from it either: they may be secrets.
   */
  readonly env?: Environment | undefined;
}

/** In-process storage (`@fluxibly/memory`): for tests and demos; nothing survives the process. */
export interface MemoryDatabaseConfig extends DatabaseConfigBase {
  readonly backend: 'memory';
}

/**
 * SQLite (`@fluxibly/sqlite`): one database file, no server; several processes may share it (`SQLITE_PATH`).
 */
export interface SqliteDatabaseConfig extends DatabaseConfigBase {
  readonly backend: 'sqlite';
  /** The database file (created when missing), or `:memory:` for a private in-memory database. */
  readonly path: string;
}

/**
 * PostgreSQL (`@fluxibly/postgres`): either connection fields ({@link PostgresFieldsConfig}) or a URL
 * ({@link PostgresUrlConfig}); with a URL, the fields are ignored, and a protected config does not show them.
 *
 * Secrets: on a config made by `StateConfig` or {@link protectDatabaseConfig}, `password` and `url` are
 * non-enumerable (read them directly; spreading the object drops them) and every printout redacts them.
 */
export type PostgresDatabaseConfig = PostgresFieldsConfig | PostgresUrlConfig;

/** PostgreSQL by connection fields (`DB_HOST`, `DB_PORT`, `DB_NAME`, `DB_USER`, `DB_PASSWORD`). */
export interface PostgresFieldsConfig extends DatabaseConfigBase {
  readonly backend: 'postgresql';
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password?: string;
  readonly url?: undefined;
}

/**
 * PostgreSQL by URL (`DATABASE_URL`): host, port, database, user and password all come from the URL (a
 * password in it must be percent-encoded). The connection fields are optional here and ignored by adapters;
 * {@link protectDatabaseConfig} (so `StateConfig` and `createRepository`) drops them, so they never show.
 */
export interface PostgresUrlConfig extends DatabaseConfigBase {
  readonly backend: 'postgresql';
  /** A `postgres://` or `postgresql://` URL. */
  readonly url: string;
  /** Ignored: the URL names the host. */
  readonly host?: string;
  /** Ignored. */
  readonly port?: number;
  /** Ignored. */
  readonly database?: string;
  /** Ignored. */
  readonly user?: string;
  /** Ignored: a password goes in the URL. */
  readonly password?: string;
}

/** Redis (`@fluxibly/redis`). `url` is a secret (see {@link PostgresDatabaseConfig}). */
export interface RedisDatabaseConfig extends DatabaseConfigBase {
  readonly backend: 'redis';
  /** A `redis://` or `rediss://` URL. */
  readonly url: string;
}

/** MongoDB (`@fluxibly/mongo`). `url` is a secret (see {@link PostgresDatabaseConfig}). */
export interface MongoDatabaseConfig extends DatabaseConfigBase {
  readonly backend: 'mongodb';
  /** A `mongodb://` or `mongodb+srv://` URL. */
  readonly url: string;
  /** The database name. */
  readonly database: string;
}

/** A built-in backend's config: one variant per backend, told apart by `backend`. */
export type BuiltInDatabaseConfig =
  MemoryDatabaseConfig | SqliteDatabaseConfig | PostgresDatabaseConfig | RedisDatabaseConfig | MongoDatabaseConfig;

/**
 * A backend served by an adapter package that is not built in (`DB_BACKEND=@acme/fluxibly-sqlite`), or by an
 * adapter registered with `createRepository(config, { adapters })`. `createRepository` hands the whole config,
 * with {@link DatabaseConfigBase.env}, to that adapter's `createRepositoryFromConfig`, which reads what it needs.
 *
 * Secrets: on a protected config, `url` and every field whose name mentions a secret (`password`, `apiKey`,
 * `authToken`, `secret`, `credentials`…) are non-enumerable and printed as `***`, as for the built-ins.
 */
export interface ExternalDatabaseConfig extends DatabaseConfigBase {
  /**
   * The adapter's npm package name (`@acme/fluxibly-sqlite`), or a name registered through
   * `createRepository(config, { adapters })`.
   */
  readonly backend: string;
  /** The adapter's own settings. */
  readonly [setting: string]: unknown;
}

/**
 * Where conversations are stored: a built-in backend ({@link BuiltInDatabaseConfig}) or another adapter
 * ({@link ExternalDatabaseConfig}). Because an adapter's `backend` may be any string, comparing `backend` with a
 * built-in name does not narrow this union on its own: narrow with {@link isBuiltInConfig} first, then
 * `switch (config.backend)` narrows to each built-in variant as before.
 */
export type DatabaseConfig = BuiltInDatabaseConfig | ExternalDatabaseConfig;

/**
 * Whether `config` selects a built-in backend, by its canonical name (`postgresql`, not `postgres`: a protected
 * config, such as `StateConfig.database`, always holds the canonical name).
 */
export function isBuiltInConfig(config: DatabaseConfig): config is BuiltInDatabaseConfig {
  return (DATABASE_BACKENDS as readonly string[]).includes(config.backend);
}

/** The built-in storage backends: each is served by one of our adapter packages. */
export type DatabaseBackend = 'memory' | 'postgresql' | 'redis' | 'mongodb';

/** Every {@link DatabaseBackend}, in a stable order. */
export const DATABASE_BACKENDS: readonly DatabaseBackend[] = ['memory', 'postgresql', 'redis', 'mongodb'];

/**
 * An npm package name (`@acme/fluxibly-sqlite`, `fluxibly-dynamo`), by npm's rules: lower case, at most 214
 * characters, a scope optional. A backend that is not built in is the name of the package that serves it (or a
 * name registered with `createRepository(config, { adapters })`).
 */
export const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** In-process storage (`@fluxibly/memory`): for tests and demos; nothing survives the process. */
export interface MemoryDatabaseConfig {
  readonly backend: 'memory';
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
export interface PostgresFieldsConfig {
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
export interface PostgresUrlConfig {
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
export interface RedisDatabaseConfig {
  readonly backend: 'redis';
  /** A `redis://` or `rediss://` URL. */
  readonly url: string;
}

/** MongoDB (`@fluxibly/mongo`). `url` is a secret (see {@link PostgresDatabaseConfig}). */
export interface MongoDatabaseConfig {
  readonly backend: 'mongodb';
  /** A `mongodb://` or `mongodb+srv://` URL. */
  readonly url: string;
  /** The database name. */
  readonly database: string;
}

/**
 * A backend served by another adapter package (a third party's): `backend` is that package's npm name, or a
 * name registered with `createRepository(config, { adapters })`. The package reads whatever it needs from `env`
 * (its own variables) or from fields you add.
 */
export interface ExternalDatabaseConfig {
  readonly backend: string;
  /**
   * The environment `StateConfig.fromEnv` read the config from, so the adapter can read its own variables
   * (`ACME_SQLITE_PATH`…). It may hold secrets: on a protected config it is non-enumerable and never printed.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly [field: string]: unknown;
}

/** A built-in backend's config: one variant per backend, told apart by `backend`. */
export type BuiltInDatabaseConfig =
  MemoryDatabaseConfig | PostgresDatabaseConfig | RedisDatabaseConfig | MongoDatabaseConfig;

/** Where conversations are stored: a built-in backend's config, or another adapter package's. */
export type DatabaseConfig = BuiltInDatabaseConfig | ExternalDatabaseConfig;

/** Whether `config` is a built-in backend's (so `switch (config.backend)` narrows to its variant). */
export function isBuiltInConfig(config: DatabaseConfig): config is BuiltInDatabaseConfig {
  return (DATABASE_BACKENDS as readonly string[]).includes(config.backend);
}

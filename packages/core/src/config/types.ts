/** The storage backends `createRepository` knows. */
export type DatabaseBackend = 'memory' | 'postgresql' | 'redis' | 'mongodb';

/** Every {@link DatabaseBackend}, in a stable order. */
export const DATABASE_BACKENDS: readonly DatabaseBackend[] = ['memory', 'postgresql', 'redis', 'mongodb'];

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

/** Where conversations are stored: one variant per backend, told apart by `backend`. */
export type DatabaseConfig = MemoryDatabaseConfig | PostgresDatabaseConfig | RedisDatabaseConfig | MongoDatabaseConfig;

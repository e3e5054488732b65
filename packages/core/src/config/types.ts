/** The storage backends `createRepository` knows. */
export type DatabaseBackend = 'memory' | 'postgresql' | 'redis' | 'mongodb';

/** Every {@link DatabaseBackend}, in a stable order. */
export const DATABASE_BACKENDS: readonly DatabaseBackend[] = ['memory', 'postgresql', 'redis', 'mongodb'];

/** In-process storage (`@fluxibly/memory`): for tests and demos; nothing survives the process. */
export interface MemoryDatabaseConfig {
  readonly backend: 'memory';
}

/**
 * PostgreSQL (`@fluxibly/postgres`). When `url` is set, adapters connect with it and ignore the other fields.
 *
 * Secrets: on a config made by `StateConfig` or {@link protectDatabaseConfig}, `password` and `url` are
 * non-enumerable (read them directly; spreading the object drops them) and every printout redacts them.
 */
export interface PostgresDatabaseConfig {
  readonly backend: 'postgresql';
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password?: string;
  /** A `postgres://` or `postgresql://` URL (`DATABASE_URL`). */
  readonly url?: string;
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

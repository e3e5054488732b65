import type { EnvReader } from './env.js';
import type { DatabaseConfig } from './types.js';

/** Defaults of the connection variables. */
export const ENV_DEFAULTS = {
  DB_BACKEND: 'memory',
  SQLITE_PATH: './fluxibly.db',
  DB_HOST: 'localhost',
  DB_PORT: 5432,
  DB_NAME: 'fluxibly',
  DB_USER: 'postgres',
  REDIS_URL: 'redis://127.0.0.1:6379',
  MONGODB_URL: 'mongodb://127.0.0.1:27017',
  MONGODB_DB: 'fluxibly',
  ENABLE_DB_PERSISTENCE: true,
  DEFAULT_USER_ID: 'default_user',
  DEFAULT_ORG_ID: 'default_org',
} as const;

/**
 * The database config the environment selects (unprotected, and without `env`: the caller adds and protects
 * them). Only the variables the chosen backend uses are read and checked; the others are ignored. A backend that is
 * not built in is an adapter package, which reads its own variables from the config's `env`.
 */
export function databaseConfigFromEnv(env: EnvReader): DatabaseConfig {
  const backend = env.backend('DB_BACKEND', ENV_DEFAULTS.DB_BACKEND);
  switch (backend) {
    case 'memory':
      return { backend };
    case 'sqlite':
      return { backend, path: env.path('SQLITE_PATH', ENV_DEFAULTS.SQLITE_PATH) };
    case 'postgresql': {
      // With DATABASE_URL, the DB_* variables are ignored (not read, not checked, not shown).
      const url = env.url('DATABASE_URL', ['postgres:', 'postgresql:']);
      if (url !== undefined) return { backend, url };
      const password = env.secret('DB_PASSWORD');
      return {
        backend,
        host: env.word('DB_HOST', ENV_DEFAULTS.DB_HOST),
        port: env.port('DB_PORT', ENV_DEFAULTS.DB_PORT),
        database: env.word('DB_NAME', ENV_DEFAULTS.DB_NAME),
        user: env.word('DB_USER', ENV_DEFAULTS.DB_USER),
        ...(password === undefined ? {} : { password }),
      };
    }
    case 'redis':
      return { backend, url: env.url('REDIS_URL', ['redis:', 'rediss:'], ENV_DEFAULTS.REDIS_URL) };
    case 'mongodb':
      return {
        backend,
        url: env.url('MONGODB_URL', ['mongodb:', 'mongodb+srv:'], ENV_DEFAULTS.MONGODB_URL),
        database: env.word('MONGODB_DB', ENV_DEFAULTS.MONGODB_DB),
      };
    default:
      return { backend };
  }
}

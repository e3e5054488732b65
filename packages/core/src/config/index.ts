export type {
  ExternalDatabaseConfig,
  BuiltInDatabaseConfig,
  DatabaseBackend,
  DatabaseConfig,
  DatabaseConfigBase,
  MemoryDatabaseConfig,
  MongoDatabaseConfig,
  PostgresDatabaseConfig,
  PostgresFieldsConfig,
  PostgresUrlConfig,
  RedisDatabaseConfig,
  SqliteDatabaseConfig,
} from './types.js';
export { DATABASE_BACKENDS, isBuiltInConfig } from './types.js';
export type { Environment } from './env.js';
export { ENV_DEFAULTS } from './database-from-env.js';
export { protectDatabaseConfig } from './protect.js';
export { REDACTED, redactUrl } from './redact.js';
export type { StateConfigInit } from './state-config.js';
export { StateConfig } from './state-config.js';

import type { AdapterModule, DatabaseConfig, PostgresDatabaseConfig } from '@fluxibly/core';
import { ValidationError, describe } from '@fluxibly/core';
import type { DataSource } from 'typeorm';
import type { PostgresRepositoryOptions } from './options.js';
import { PostgresConversationRepository } from './repository.js';

/** Check one `adapterOptions` entry's type. */
function option<T>(
  options: Readonly<Record<string, unknown>>,
  key: string,
  type: 'string' | 'boolean' | 'number',
): T | undefined {
  const value = options[key];
  if (value === undefined) return undefined;
  if (typeof value !== type) throw new ValidationError(key, `must be a ${type}, got ${describe(value)}`);
  return value as T;
}

/**
 * The adapter-module entry `createRepository` (from `@fluxibly/core`) calls for `DB_BACKEND=postgresql` (or
 * `postgres`). Connects with `config.url` when set, else `host`/`port`/`database`/`user`/`password`.
 * `options` (from `createRepository(config, { adapterOptions })`) may hold `dataSource` (use yours instead),
 * `schema`, `migrate` (`true` runs the migrations before the first call), `preparedStatements`, `poolSize`,
 * `applicationName`, `connectTimeoutMs` and `statementTimeoutMs` — see `PostgresRepositoryOptions`.
 *
 * @throws ValidationError naming `backend` when the config is not a PostgreSQL config.
 */
export async function createRepositoryFromConfig(
  config: DatabaseConfig,
  options: Readonly<Record<string, unknown>> = {},
): Promise<PostgresConversationRepository> {
  const backend = typeof config === 'object' && config !== null ? (config as { backend?: unknown }).backend : undefined;
  if (backend !== 'postgresql') {
    throw new ValidationError(
      'backend',
      `must be 'postgresql' for @fluxibly/postgres, got ${typeof backend === 'string' ? JSON.stringify(backend) : describe(backend)}`,
    );
  }
  const pg = config as PostgresDatabaseConfig;
  const out: PostgresRepositoryOptions = {};
  // Read url and password directly: on a protected config they are non-enumerable.
  if (pg.url !== undefined) out.url = pg.url;
  else {
    out.host = pg.host;
    out.port = pg.port;
    out.database = pg.database;
    out.user = pg.user;
    if (pg.password !== undefined) out.password = pg.password;
  }
  const schema = option<string>(options, 'schema', 'string');
  if (schema !== undefined) out.schema = schema;
  const migrate = option<boolean>(options, 'migrate', 'boolean');
  if (migrate !== undefined) out.migrate = migrate;
  const prepared = option<boolean>(options, 'preparedStatements', 'boolean');
  if (prepared !== undefined) out.preparedStatements = prepared;
  const poolSize = option<number>(options, 'poolSize', 'number');
  if (poolSize !== undefined) out.poolSize = poolSize;
  const applicationName = option<string>(options, 'applicationName', 'string');
  if (applicationName !== undefined) out.applicationName = applicationName;
  const connectTimeoutMs = option<number>(options, 'connectTimeoutMs', 'number');
  if (connectTimeoutMs !== undefined) out.connectTimeoutMs = connectTimeoutMs;
  const statementTimeoutMs = option<number>(options, 'statementTimeoutMs', 'number');
  if (statementTimeoutMs !== undefined) out.statementTimeoutMs = statementTimeoutMs;
  const { dataSource } = options;
  if (dataSource !== undefined) {
    if (typeof dataSource !== 'object' || dataSource === null || !('driver' in dataSource)) {
      throw new ValidationError('dataSource', `must be a TypeORM DataSource, got ${describe(dataSource)}`);
    }
    out.dataSource = dataSource as DataSource;
  }
  return new PostgresConversationRepository(out);
}

/** Compile-time check that this module is an `AdapterModule` for `createRepository`. */
createRepositoryFromConfig satisfies AdapterModule['createRepositoryFromConfig'];

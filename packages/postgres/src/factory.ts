import type { AdapterModule, DatabaseConfig, PostgresDatabaseConfig } from '@fluxibly/core';
import { OptionReader, expectBackend } from '@fluxibly/core/adapter';
import { PostgresConversationRepository } from './repository.js';

/** The `adapterOptions` a repository takes (see {@link createRepositoryFromConfig}); others are ignored. */
const ADAPTER_OPTIONS = [
  'dataSource',
  'schema',
  'migrate',
  'preparedStatements',
  'poolSize',
  'applicationName',
  'connectTimeoutMs',
  'statementTimeoutMs',
  'fullTextSearch',
] as const;

/**
 * The adapter-module entry `createRepository` (from `@fluxibly/core`) calls for `DB_BACKEND=postgresql` (or
 * `postgres`). Connects with `config.url` when set, else `host`/`port`/`database`/`user`/`password`.
 * `options` (from `createRepository(config, { adapterOptions })`) may hold `dataSource` (use yours instead),
 * `schema`, `migrate` (`true` runs the migrations before the first call), `preparedStatements`, `poolSize`,
 * `applicationName`, `connectTimeoutMs`, `statementTimeoutMs` and `fullTextSearch` — see `PostgresRepositoryOptions`.
 *
 * @throws ValidationError naming `backend` when the config is not a PostgreSQL config, or naming the option when
 *   one of `options` is invalid.
 */
export async function createRepositoryFromConfig(
  config: DatabaseConfig,
  options: Readonly<Record<string, unknown>> = {},
): Promise<PostgresConversationRepository> {
  expectBackend(config, ['postgresql'], '@fluxibly/postgres');
  const pg = config as PostgresDatabaseConfig;
  const adapterOptions = new OptionReader(options, 'adapterOptions');
  // The repository's constructor checks each option (OptionReader: a ValidationError names it).
  const out: Record<string, unknown> = {};
  for (const name of ADAPTER_OPTIONS) {
    const value = adapterOptions.raw(name);
    if (value !== undefined) out[name] = value;
  }
  // Read url and password directly: on a protected config they are non-enumerable.
  if (pg.url !== undefined) out.url = pg.url;
  else {
    out.host = pg.host;
    out.port = pg.port;
    out.database = pg.database;
    out.user = pg.user;
    if (pg.password !== undefined) out.password = pg.password;
  }
  return new PostgresConversationRepository(out);
}

/** Compile-time check that this module is an `AdapterModule` for `createRepository`. */
createRepositoryFromConfig satisfies AdapterModule['createRepositoryFromConfig'];

import type { AdapterModule, DatabaseConfig, SqliteDatabaseConfig } from '@fluxibly/core';
import { OptionReader, expectBackend } from '@fluxibly/core/adapter';
import { SqliteConversationRepository } from './repository.js';

/** The `adapterOptions` a repository takes (see {@link createRepositoryFromConfig}); others are ignored. */
const ADAPTER_OPTIONS = ['dataSource', 'migrate', 'busyTimeoutMs', 'checkpointIdleMs', 'synchronous'] as const;

/**
 * The adapter-module entry `createRepository` (from `@fluxibly/core`) calls for `DB_BACKEND=sqlite`: a repository on
 * the file `config.path` (`SQLITE_PATH`, default `./fluxibly.db`). `options` (from `createRepository(config,
 * { adapterOptions })`) may hold `dataSource` (use yours instead), `migrate` (`true` runs the migrations before the
 * first call), `busyTimeoutMs`, `checkpointIdleMs` and `synchronous` — see `SqliteRepositoryOptions`.
 *
 * @throws ValidationError naming `backend` when the config is not a SQLite config, or naming the option when one of
 *   `options` is invalid.
 */
export async function createRepositoryFromConfig(
  config: DatabaseConfig,
  options: Readonly<Record<string, unknown>> = {},
): Promise<SqliteConversationRepository> {
  expectBackend(config, ['sqlite'], '@fluxibly/sqlite');
  const adapterOptions = new OptionReader(options, 'adapterOptions');
  const out: Record<string, unknown> = { path: (config as SqliteDatabaseConfig).path };
  for (const name of ADAPTER_OPTIONS) {
    const value = adapterOptions.raw(name);
    if (value !== undefined) out[name] = value;
  }
  return Promise.resolve(new SqliteConversationRepository(out));
}

/** Compile-time check that this module is an `AdapterModule` for `createRepository`. */
createRepositoryFromConfig satisfies AdapterModule['createRepositoryFromConfig'];

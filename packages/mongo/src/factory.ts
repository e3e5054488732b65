import type { AdapterModule, DatabaseConfig } from '@fluxibly/core';
import { OptionReader, expectBackend } from '@fluxibly/core/adapter';
import type { MongoUrlRepositoryOptions } from './options.js';
import { MongoConversationRepository } from './repository.js';

/**
 * The adapter-module entry `createRepository` (from `@fluxibly/core`) calls for `DB_BACKEND=mongodb` (or
 * `mongo`): a repository on `config.url` (`MONGODB_URL`) and `config.database` (`MONGODB_DB`), with a client it
 * owns. `options` (from `createRepository(config, { adapterOptions })`) may set `migrate` (boolean),
 * `collectionPrefix` (string) and `clientOptions` (for `MongoClient`).
 *
 * @throws ValidationError naming `backend` when the config is not a MongoDB config, or the bad option.
 */
export async function createRepositoryFromConfig(
  config: DatabaseConfig,
  options: Readonly<Record<string, unknown>> = {},
): Promise<MongoConversationRepository> {
  expectBackend(config, ['mongodb'], '@fluxibly/mongo');
  const mongo = config as Extract<DatabaseConfig, { backend: 'mongodb' }>;
  // `url` is non-enumerable on configs from StateConfig: read it directly, never spread the config.
  const read = new OptionReader(options, 'adapterOptions');
  // The repository checks each of them (the error names the option): only pass on what was given.
  const settings: Record<string, unknown> = { url: mongo.url, dbName: mongo.database };
  for (const name of ['migrate', 'collectionPrefix', 'clientOptions'] as const) {
    const value = read.raw(name);
    if (value !== undefined) settings[name] = value;
  }
  return new MongoConversationRepository(settings as unknown as MongoUrlRepositoryOptions);
}

/** Compile-time check that this module is an `AdapterModule` for `createRepository`. */
createRepositoryFromConfig satisfies AdapterModule['createRepositoryFromConfig'];

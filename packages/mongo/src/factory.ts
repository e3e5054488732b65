import type { AdapterModule, DatabaseConfig } from '@fluxibly/core';
import { ValidationError, describeValue } from '@fluxibly/core';
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
  const backend = typeof config === 'object' && config !== null ? (config as { backend?: unknown }).backend : undefined;
  if (backend !== 'mongodb') {
    throw new ValidationError(
      'backend',
      `must be 'mongodb' for @fluxibly/mongo, got ${typeof backend === 'string' ? JSON.stringify(backend) : describeValue(backend)}`,
    );
  }
  const mongo = config as Extract<DatabaseConfig, { backend: 'mongodb' }>;
  // `url` is non-enumerable on configs from StateConfig: read it directly, never spread the config.
  const settings: MongoUrlRepositoryOptions = { url: mongo.url, dbName: mongo.database };
  const { migrate, collectionPrefix, clientOptions } = options;
  if (migrate !== undefined) {
    if (typeof migrate !== 'boolean')
      throw new ValidationError('migrate', `must be a boolean, got ${describeValue(migrate)}`);
    settings.migrate = migrate;
  }
  if (collectionPrefix !== undefined) {
    if (typeof collectionPrefix !== 'string') {
      throw new ValidationError('collectionPrefix', `must be a string, got ${describeValue(collectionPrefix)}`);
    }
    settings.collectionPrefix = collectionPrefix;
  }
  if (clientOptions !== undefined) {
    if (typeof clientOptions !== 'object' || clientOptions === null) {
      throw new ValidationError('clientOptions', `must be an object, got ${describeValue(clientOptions)}`);
    }
    settings.clientOptions = clientOptions;
  }
  return new MongoConversationRepository(settings);
}

/** Compile-time check that this module is an `AdapterModule` for `createRepository`. */
createRepositoryFromConfig satisfies AdapterModule['createRepositoryFromConfig'];

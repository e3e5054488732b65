import type { AdapterModule, DatabaseConfig } from '@fluxibly/core';
import { ValidationError } from '@fluxibly/core';
import { OptionReader, expectBackend } from '@fluxibly/core/adapter';
import { MemoryConversationRepository } from './repository.js';
import { MemoryStore } from './store/store.js';

/**
 * The adapter-module entry `createRepository` (from `@fluxibly/core`) calls for `DB_BACKEND=memory` (or `mock`).
 * Every call returns a new repository over a new, empty store, unless `options.store` (from
 * `createRepository(config, { adapterOptions: { store } })`) names a {@link MemoryStore} to share.
 *
 * @throws ValidationError naming `backend` when the config is not a memory config, or `store` when
 *   `options.store` is not a `MemoryStore`.
 */
export async function createRepositoryFromConfig(
  config: DatabaseConfig,
  options: Readonly<Record<string, unknown>> = {},
): Promise<MemoryConversationRepository> {
  expectBackend(config, ['memory'], '@fluxibly/memory');
  const store = new OptionReader(options, 'adapterOptions').raw('store');
  if (store !== undefined && !(store instanceof MemoryStore)) {
    throw new ValidationError('store', 'must be a MemoryStore from @fluxibly/memory');
  }
  return new MemoryConversationRepository(store === undefined ? {} : { store });
}

/** Compile-time check that this module is an `AdapterModule` for `createRepository`. */
createRepositoryFromConfig satisfies AdapterModule['createRepositoryFromConfig'];

import type { AdapterModule, DatabaseConfig } from '@fluxibly/core';
import { OptionReader, expectBackend } from '@fluxibly/core/adapter';
import type { RedisRepositoryOptions } from './options.js';
import { RedisConversationRepository } from './repository.js';

/** The adapter options passed on to the repository, which checks each (a `ValidationError` names the option). */
const PASSED_ON = ['keyPrefix', 'ttlSeconds', 'commandTimeoutMs', 'connectTimeoutMs'] as const;

/**
 * The adapter-module entry `createRepository` (from `@fluxibly/core`) calls for `DB_BACKEND=redis`. Connects to
 * `config.url` (`REDIS_URL`), or to a cluster when `options.cluster` (`{ nodes, options? }`) is given; the
 * repository owns that client and closes it. `options` (from `createRepository(config, { adapterOptions })`) may
 * also carry `keyPrefix`, `ttlSeconds`, `commandTimeoutMs` and `connectTimeoutMs`.
 *
 * @throws ValidationError naming `backend` when the config is not a redis config, or the bad option.
 */
export async function createRepositoryFromConfig(
  config: DatabaseConfig,
  options: Readonly<Record<string, unknown>> = {},
): Promise<RedisConversationRepository> {
  expectBackend(config, ['redis'], '@fluxibly/redis');
  const reader = new OptionReader(options, 'adapterOptions');
  const common: Record<string, unknown> = {};
  for (const key of PASSED_ON) {
    const value = reader.raw(key);
    if (value !== undefined) common[key] = value;
  }
  // `cluster` (`{ nodes, options? }`) is checked by the repository, like every other option.
  const cluster = reader.raw('cluster');
  if (cluster !== undefined) return new RedisConversationRepository({ ...common, cluster } as RedisRepositoryOptions);
  // `url` is non-enumerable on configs from StateConfig: read it directly, never spread the config.
  return new RedisConversationRepository({ ...common, url: (config as { url: string }).url });
}

/** Compile-time check that this module is an `AdapterModule` for `createRepository`. */
createRepositoryFromConfig satisfies AdapterModule['createRepositoryFromConfig'];

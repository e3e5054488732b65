import type { AdapterModule, DatabaseConfig } from '@fluxibly/core';
import { ValidationError, describe } from '@fluxibly/core';
import type { ClusterNode, ClusterOptions } from 'ioredis';
import type { RedisRepositoryOptions } from './repository.js';
import { RedisConversationRepository } from './repository.js';

/** The adapter options passed on to the repository as they are. */
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
  const backend = typeof config === 'object' && config !== null ? (config as { backend?: unknown }).backend : undefined;
  if (backend !== 'redis') {
    throw new ValidationError(
      'backend',
      `must be 'redis' for @fluxibly/redis, got ${typeof backend === 'string' ? JSON.stringify(backend) : describe(backend)}`,
    );
  }
  const { cluster } = options;
  const common: Omit<RedisRepositoryOptions, 'client' | 'url' | 'cluster' | 'redisOptions'> = {};
  for (const key of PASSED_ON) {
    if (options[key] !== undefined) Object.assign(common, { [key]: options[key] }); // validated by the repository
  }
  if (cluster !== undefined) {
    if (typeof cluster !== 'object' || cluster === null || !Array.isArray((cluster as { nodes?: unknown }).nodes)) {
      throw new ValidationError('cluster', `must be { nodes, options? }, got ${describe(cluster)}`);
    }
    return new RedisConversationRepository({
      cluster: cluster as { nodes: ClusterNode[]; options?: ClusterOptions },
      ...common,
    });
  }
  // `url` is non-enumerable on configs from StateConfig: read it directly, never spread the config.
  return new RedisConversationRepository({ url: (config as { url: string }).url, ...common });
}

/** Compile-time check that this module is an `AdapterModule` for `createRepository`. */
createRepositoryFromConfig satisfies AdapterModule['createRepositoryFromConfig'];

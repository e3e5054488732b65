import { randomBytes } from 'node:crypto';
import type { ConversationRepository } from '@fluxibly/core';
import { RedisConversationRepository } from '@fluxibly/redis';
import type { ClusterNode } from 'ioredis';
import { Cluster, Redis } from 'ioredis';
import { RedisFloor } from '../floors/redis-floor.js';
import type { AdapterTarget, TargetSession } from './target.js';

const DEFAULT_URL = 'redis://127.0.0.1:6379';

/** How one target reaches its server. */
interface Connection {
  readonly description: (admin: Redis | Cluster) => Promise<string>;
  readonly client: () => Redis | Cluster;
  readonly repository: (keyPrefix: string) => RedisConversationRepository;
}

/**
 * A session on one Redis deployment: every repository and floor gets its own connection and a key prefix unique
 * to this run; `cleanup()` closes them and deletes every key under the run's prefix (SCAN: cleanup only).
 */
async function session(connection: Connection): Promise<TargetSession> {
  const admin = connection.client();
  admin.on('error', () => undefined);
  let description: string;
  try {
    description = await connection.description(admin);
  } catch (error) {
    admin.disconnect();
    throw error;
  }
  const run = `fluxibly-bench:${randomBytes(4).toString('hex')}:`;
  const repositories: RedisConversationRepository[] = [];
  const floors: RedisFloor[] = [];
  let cleaned = false;
  return {
    description,
    async createRepository(): Promise<ConversationRepository> {
      const repository = connection.repository(`${run}a${repositories.length}:`);
      repositories.push(repository);
      return repository;
    },
    async createFloor() {
      const floor = new RedisFloor(connection.client(), `${run}f${floors.length}:`);
      floors.push(floor);
      return floor;
    },
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      for (const repository of repositories) await repository.close();
      for (const floor of floors) await floor.close().catch(() => undefined);
      const nodes = admin instanceof Cluster ? admin.nodes('master') : [admin];
      for (const node of nodes) {
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', `${run}*`, 'COUNT', 1000);
          cursor = next;
          await Promise.all(keys.map((key) => node.del(key)));
        } while (cursor !== '0');
      }
      await admin.quit();
    },
  };
}

async function version(client: Redis): Promise<string> {
  const info = await client.info('server');
  return /redis_version:(\S+)/u.exec(info)?.[1] ?? '?';
}

/** `@fluxibly/redis` on the standalone server `REDIS_URL` names, against raw ioredis lists and sorted sets. */
export const redisTarget: AdapterTarget = {
  name: 'redis',
  scaleCheckMessages: 100_000,
  async setup() {
    const url = process.env.REDIS_URL ?? DEFAULT_URL;
    return session({
      description: async (admin) => `redis ${await version(admin as Redis)} at ${new URL(url).host} (standalone)`,
      client: () => new Redis(url, { maxRetriesPerRequest: 1 }),
      repository: (keyPrefix) => new RedisConversationRepository({ url, keyPrefix }),
    });
  },
};

/** The cluster nodes from `REDIS_CLUSTER_NODES` (`host:port,…`). */
function clusterNodes(): ClusterNode[] {
  const value = process.env.REDIS_CLUSTER_NODES;
  if (value === undefined || value.trim() === '') throw new Error('REDIS_CLUSTER_NODES is not set');
  return value.split(',').map((entry) => {
    const [host, port] = entry.trim().split(':');
    return { host: host ?? '127.0.0.1', port: Number(port) };
  });
}

/**
 * `@fluxibly/redis` on the Redis Cluster `REDIS_CLUSTER_NODES` names (listing indexes in other slots: separate
 * index writes), against the same raw floor. Skipped when the variable is unset, unless named or `CI=true`.
 */
export const redisClusterTarget: AdapterTarget = {
  name: 'redis-cluster',
  scaleCheckMessages: 100_000,
  async setup() {
    const nodes = clusterNodes();
    return session({
      description: async (admin) => {
        await (admin as Cluster).ping();
        const masters = (admin as Cluster).nodes('master');
        return `redis cluster, ${masters.length} masters at ${process.env.REDIS_CLUSTER_NODES ?? ''}`;
      },
      client: () => new Cluster(nodes),
      repository: (keyPrefix) => new RedisConversationRepository({ cluster: { nodes }, keyPrefix }),
    });
  },
};

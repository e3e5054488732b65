import { runConformanceSuite } from '@fluxibly/conformance';
import { Cluster } from 'ioredis';
import { describe, it } from 'vitest';
import { inspectRedisStore, RedisConversationRepository } from '../src/index.js';
import { clusterNodes, IN_CI, probeCluster, removePrefix, runPrefix } from './support/redis.js';

/**
 * The whole conformance suite against a Redis Cluster (`REDIS_CLUSTER_NODES`), where listing indexes live in
 * other slots than the threads (separate index writes). Required when CI=true.
 */
const nodes = clusterNodes();
const masters = nodes === undefined ? undefined : await probeCluster(nodes);

if (nodes === undefined || masters === undefined) {
  const reason =
    nodes === undefined
      ? 'REDIS_CLUSTER_NODES is not set'
      : `the cluster at ${process.env.REDIS_CLUSTER_NODES} is not ready`;
  if (IN_CI) throw new Error(`redis cluster: ${reason} (required when CI=true)`);
  describe('redis cluster conformance', () => {
    it.skip(`skipped: ${reason}`, () => undefined);
  });
} else {
  const keyPrefix = runPrefix('cluster');
  const admin = new Cluster(nodes);
  runConformanceSuite({
    name: `redis cluster ${masters} masters at ${process.env.REDIS_CLUSTER_NODES} (separate index writes)`,
    create: async () => new RedisConversationRepository({ cluster: { nodes }, keyPrefix }),
    destroy: (repository) => repository.close(),
    capabilities: { fullTextSearch: false, ttl: false },
    inspect: (repository) => inspectRedisStore(repository.client, repository.keys),
    skip: {
      'state-manager': 'end-to-end group: runs once per adapter, in conformance.test.ts (standalone)',
      'conversation-history': 'end-to-end group: runs once per adapter, in conformance.test.ts (standalone)',
    },
    teardown: async () => {
      await removePrefix(admin, keyPrefix);
      await admin.quit();
    },
  });
}

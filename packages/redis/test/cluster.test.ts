import { runConformanceSuite } from '@fluxibly/conformance';
import { Cluster } from 'ioredis';
import { inspectRedisStore, RedisConversationRepository } from '../src/index.js';
import { clientOf } from '../src/internal.js';
import { clusterSecrets, passwordServer, SECRET } from './support/secrets-target.js';
import { clusterNodes, IN_CI, probeCluster, removePrefix, runPrefix, skipSuite } from './support/redis.js';

/**
 * The whole conformance suite against a Redis Cluster (`REDIS_CLUSTER_NODES`), where listing indexes live in
 * other slots than the threads (separate index writes). Required when CI=true. Its unavailable and secrets specs
 * use a closed port and a private `redis-server --requirepass` (see `support/secrets-target.ts`).
 */
const nodes = clusterNodes();
const masters = nodes === undefined ? undefined : await probeCluster(nodes);

if (nodes === undefined || masters === undefined) {
  const reason =
    nodes === undefined
      ? 'REDIS_CLUSTER_NODES is not set'
      : `the cluster at ${process.env.REDIS_CLUSTER_NODES} is not ready`;
  if (IN_CI) throw new Error(`redis cluster: ${reason} (required when CI=true)`);
  skipSuite(`redis cluster conformance: skipped, ${reason}`);
} else {
  const keyPrefix = runPrefix('cluster');
  const admin = new Cluster(nodes);
  const server = await passwordServer();
  runConformanceSuite({
    name: `redis cluster ${masters} masters at ${process.env.REDIS_CLUSTER_NODES} (separate index writes)`,
    create: async () => new RedisConversationRepository({ cluster: { nodes }, keyPrefix }),
    destroy: (repository) => repository.close(),
    capabilities: { fullTextSearch: false, ttl: false },
    inspect: (repository) => inspectRedisStore(clientOf(repository), repository.keys),
    unavailable: {
      create: () => clusterSecrets(undefined, keyPrefix).unreachable(),
      secret: SECRET,
      // ioredis's Cluster queues commands while no node answers: the call settles by the repository's deadline
      // (`connectTimeoutMs + commandTimeoutMs`), an UnavailableError of its own with no driver error to carry.
      driverCause: false,
    },
    secrets: clusterSecrets(server, keyPrefix),
    skip: {
      'state-manager': 'end-to-end group: runs once per adapter, in conformance.test.ts (standalone)',
      'conversation-history': 'end-to-end group: runs once per adapter, in conformance.test.ts (standalone)',
    },
    teardown: async () => {
      await server?.stop();
      await removePrefix(admin, keyPrefix);
      await admin.quit();
    },
  });
}

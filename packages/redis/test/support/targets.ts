import type { ClusterNode } from 'ioredis';
import { Cluster, Redis } from 'ioredis';
import type { RedisRepositoryOptions } from '../../src/index.js';
import { clusterNodes, IN_CI, probeCluster, probeStandalone, REDIS_URL, skipSuite } from './redis.js';

/** A server the package tests run against: how to connect to it, and an admin client for raw reads. */
export interface TestTarget {
  readonly label: string;
  /** Connection options for a repository (its own client). */
  readonly connection: RedisRepositoryOptions;
  /** A new admin client for raw reads and cleanup (the caller quits it). */
  admin(): Redis | Cluster;
}

/** The standalone server and, when `REDIS_CLUSTER_NODES` is set and ready, the cluster; with skip reasons. */
export async function testTargets(): Promise<{ targets: TestTarget[]; missing: string[] }> {
  const targets: TestTarget[] = [];
  const missing: string[] = [];
  if ((await probeStandalone()) === undefined) missing.push(`redis at ${REDIS_URL}`);
  else targets.push({ label: 'standalone', connection: { url: REDIS_URL }, admin: () => new Redis(REDIS_URL) });
  const nodes: ClusterNode[] | undefined = clusterNodes();
  if (nodes === undefined) missing.push('a redis cluster (REDIS_CLUSTER_NODES is not set)');
  else if ((await probeCluster(nodes)) === undefined)
    missing.push(`the redis cluster at ${process.env.REDIS_CLUSTER_NODES}`);
  else targets.push({ label: 'cluster', connection: { cluster: { nodes } }, admin: () => new Cluster(nodes) });
  return { targets, missing };
}

/**
 * The reachable targets for the suite `name`. Under `CI=true` an unreachable one throws (a failure, never a pass by
 * skipping); locally each one is a skipped `describe` saying why.
 */
export async function requiredTargets(name: string): Promise<TestTarget[]> {
  const { targets, missing } = await testTargets();
  if (IN_CI && missing.length > 0) throw new Error(`required when CI=true: ${missing.join('; ')}`);
  for (const reason of missing) skipSuite(`${name}: skipped, ${reason} is not reachable`);
  return targets;
}

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Cluster, Redis } from 'ioredis';
import type { ClusterNode } from 'ioredis';
import { assert, describe } from 'vitest';

/** Where the standalone Redis of the tests is (`REDIS_URL`, default the local server). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether a missing server fails the run instead of skipping. */
export const IN_CI = process.env.CI === 'true';

/** The cluster nodes from `REDIS_CLUSTER_NODES` (`host:port,…`), or `undefined` when unset. */
export function clusterNodes(): ClusterNode[] | undefined {
  const value = process.env.REDIS_CLUSTER_NODES;
  if (value === undefined || value.trim() === '') return undefined;
  return value.split(',').map((entry) => {
    const [host, port] = entry.trim().split(':');
    return { host: host ?? '127.0.0.1', port: Number(port) };
  });
}

/** A key prefix unique to this run (removed by {@link removePrefix}). */
export function runPrefix(label: string): string {
  return `fluxibly-test:${label}:${randomUUID()}:`;
}

const DEADLINE_MS = 5_000;

/**
 * Whether the standalone server answers PING within the deadline (polled, no sleep); its version when it does.
 * Uses a throw-away connection that gives up quickly.
 */
export async function probeStandalone(): Promise<string | undefined> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    const info = await client.info('server');
    return /redis_version:(\S+)/u.exec(info)?.[1] ?? 'unknown';
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

/** Whether the cluster reports `cluster_state:ok` (polled with a deadline); its master count when it does. */
export async function probeCluster(nodes: ClusterNode[]): Promise<number | undefined> {
  const cluster = new Cluster(nodes, { clusterRetryStrategy: () => null, lazyConnect: true });
  cluster.on('error', () => undefined);
  const deadline = Date.now() + DEADLINE_MS;
  try {
    await cluster.connect();
    for (;;) {
      const info = (await cluster.call('CLUSTER', ['INFO'])) as string;
      if (info.includes('cluster_state:ok')) return cluster.nodes('master').length;
      if (Date.now() > deadline) return undefined;
    }
  } catch {
    return undefined;
  } finally {
    cluster.disconnect();
  }
}

/** Delete every key under `prefix` (SCAN on every master: test cleanup only). */
export async function removePrefix(client: Redis | Cluster, prefix: string): Promise<void> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      // One DEL per key: on a cluster the keys of one node still span slots.
      await Promise.all(keys.map((key) => node.del(key)));
    } while (cursor !== '0');
  }
}

/** Count the keys under `prefix` (test checks only). */
export async function countPrefix(client: Redis | Cluster, prefix: string): Promise<number> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  let count = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
  }
  return count;
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Fail (in CI) or explain the skip (locally) for a missing server. */
export function missingServer(what: string): string {
  if (IN_CI) assert.fail(`${what} is required when CI=true`);
  return `skipped: ${what} is not reachable`;
}

/**
 * A skipped suite with its reason, printed as one line (vitest's reporter lists a skipped file without the names
 * of its tests, so the `describe` title alone is not seen).
 */
export function skipSuite(reason: string): void {
  console.warn(reason);
  describe.skip(reason, () => undefined);
}

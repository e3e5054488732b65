import { Cluster, Redis } from 'ioredis';
import type { ClusterNode, ClusterOptions, RedisOptions } from 'ioredis';
import { ValidationError } from '@fluxibly/core';
import type { RedisClient } from './scripts/run.js';
import type { RedisTimeouts } from './options.js';
import { DEFAULT_TIMEOUTS } from './options.js';

/** Where the repository connects when it opens its own client. */
export type ConnectionTarget =
  | { readonly client: RedisClient }
  | { readonly url: string; readonly redisOptions?: RedisOptions }
  | { readonly cluster: { readonly nodes: readonly ClusterNode[]; readonly options?: ClusterOptions } };

/**
 * Connection defaults for clients the adapter opens, chosen so a dead or frozen server fails fast and a call's
 * outcome is never ambiguous:
 * - `maxRetriesPerRequest: 2`: a command issued while disconnected waits for at most two reconnect attempts
 *   (about 150 ms against a closed port), then rejects (`UNAVAILABLE`) instead of queueing for ever;
 * - `commandTimeout` (the repository's `commandTimeoutMs`, default 30 s): a command a frozen server never answers
 *   rejects (`UNAVAILABLE`);
 * - `connectTimeout` (the repository's `connectTimeoutMs`, default 10 s);
 * - `autoResendUnfulfilledCommands` stays at its default (`true`): a command in flight when the connection drops
 *   is resent after the reconnect. Every script is safe to run twice: appends by message id, creates by a nonce,
 *   deletes and clears by a receipt; edits and updates write the same values again. (ioredis 6 with `false`
 *   never settles such a command at all.)
 * On a cluster, also `clusterRetryStrategy`: reconnect with a delay growing to at most 2 s, for ever (the cluster
 * comes back by itself; calls meanwhile settle by the repository's deadline).
 * Anything in `redisOptions` / `cluster.options` overrides these.
 */
export function connectionDefaults(timeouts: RedisTimeouts): RedisOptions {
  return {
    maxRetriesPerRequest: 2,
    commandTimeout: timeouts.commandTimeoutMs,
    connectTimeout: timeouts.connectTimeoutMs,
    connectionName: 'fluxibly',
  };
}

/** {@link connectionDefaults} with the default timeouts. */
export const CONNECTION_DEFAULTS: RedisOptions = Object.freeze(connectionDefaults(DEFAULT_TIMEOUTS));

/** Reconnect a cluster that lost every node after 100 ms, 200 ms, … at most 2 s apart, for ever. */
function clusterRetryStrategy(times: number): number {
  return Math.min(100 * times, 2_000);
}

/**
 * The client for a target, and whether the adapter owns it (and must close it). A client the adapter opens gets
 * an `error` listener: connection errors reach callers through the failed calls, not as unhandled events.
 */
export function openClient(
  target: ConnectionTarget,
  timeouts: RedisTimeouts = DEFAULT_TIMEOUTS,
): { client: RedisClient; owned: boolean } {
  const opened = openTarget(target, connectionDefaults(timeouts));
  if (opened.owned) opened.client.on('error', ignore);
  return opened;
}

function ignore(): void {
  // Reported through the calls that fail.
}

function openTarget(target: ConnectionTarget, defaults: RedisOptions): { client: RedisClient; owned: boolean } {
  if ('client' in target) return { client: target.client, owned: false };
  if ('url' in target) {
    if (typeof target.url !== 'string' || !/^rediss?:\/\//u.test(target.url)) {
      throw new ValidationError('url', 'must be a redis:// or rediss:// URL');
    }
    return {
      client: new Redis(target.url, { ...defaults, ...target.redisOptions } as RedisOptions & {
        replyMapping?: never;
      }),
      owned: true,
    };
  }
  const { nodes, options = {} } = target.cluster;
  if (typeof nodes !== 'object' || nodes === null || nodes.length === 0) {
    throw new ValidationError('cluster.nodes', 'must list at least one node');
  }
  const clusterOptions = {
    clusterRetryStrategy,
    ...options,
    redisOptions: { ...defaults, ...options.redisOptions },
  } as ConstructorParameters<typeof Cluster>[1];
  const client = new Cluster([...nodes], clusterOptions);
  return { client, owned: true };
}

/**
 * The passwords a client connects with (its own, its nodes' on a cluster, a sentinel's), to scrub from errors.
 * Read once from the client's options, whoever opened it.
 */
export function clientSecrets(client: RedisClient): string[] {
  const options = (client as { options?: RedisOptions & { redisOptions?: RedisOptions } }).options;
  const found = [options?.password, options?.sentinelPassword, options?.redisOptions?.password];
  return found.filter((secret): secret is string => typeof secret === 'string' && secret.length > 0);
}

/**
 * Close a client the adapter opened: a graceful QUIT when connected, otherwise drop the connection at once.
 * After a QUIT it resolves once the client has ended (status `end`).
 */
export async function closeClient(client: RedisClient): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
  await ended;
}

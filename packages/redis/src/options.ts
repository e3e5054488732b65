import { ValidationError } from '@fluxibly/core';
import { OptionReader, URL_SCHEMES, validateConnectionUrl } from '@fluxibly/core/adapter';
import type { ConnectionTarget } from './client.js';
import { validateKeyPrefix } from './keys.js';

/** Options of `RedisConversationRepository`. */
export type RedisRepositoryOptions = ConnectionTarget & {
  /** Prefix of every key, so several applications share one Redis. Default `fluxibly:`. No `{` or `}`. */
  keyPrefix?: string;
  /**
   * Retention: every key of a thread expires this many seconds after the thread's last write (every write renews
   * it; reads do not). Declares `capabilities.ttl`. Default: no expiry.
   */
  ttlSeconds?: number;
  /**
   * Where listing-index writes happen. `inline` (default for a standalone `Redis`): inside the thread's script,
   * atomically. `separate` (always for a `Cluster`, whose indexes live in other slots): as their own commands,
   * ordered so a crash can only leave entries readers detect and repair (see the README).
   */
  indexWrites?: 'inline' | 'separate';
  /**
   * Most one Redis command may take, in ms, before the call fails with `UnavailableError` (a frozen or overloaded
   * server). Applied as ioredis `commandTimeout` to clients the repository opens. Default 30 000.
   */
  commandTimeoutMs?: number;
  /** Most a connection attempt may take, in ms (ioredis `connectTimeout` of clients it opens). Default 10 000. */
  connectTimeoutMs?: number;
};

/** How long a repository waits for Redis: the bounds every call settles within. */
export interface RedisTimeouts {
  /** Most one command may take once sent (ioredis `commandTimeout`) before it fails `UNAVAILABLE`. */
  readonly commandTimeoutMs: number;
  /** Most a connection attempt may take (ioredis `connectTimeout`). */
  readonly connectTimeoutMs: number;
}

/** The defaults: a 30 s command timeout, a 10 s connect timeout. */
export const DEFAULT_TIMEOUTS: RedisTimeouts = Object.freeze({ commandTimeoutMs: 30_000, connectTimeoutMs: 10_000 });

/** The largest timeout accepted (so their sum stays a valid `setTimeout` delay). */
const MAX_TIMEOUT_MS = 1_000_000_000;

const INDEX_WRITES = ['inline', 'separate'] as const;

/** The options of a repository, checked. */
export interface RedisSettings {
  readonly target: ConnectionTarget;
  readonly keyPrefix: string;
  /** Time to live of a thread's keys in ms; 0 for none. */
  readonly ttlMs: number;
  /** `undefined`: the client's default (inline on a standalone `Redis`, separate on a `Cluster`). */
  readonly indexWrites: 'inline' | 'separate' | undefined;
  readonly timeouts: RedisTimeouts;
}

/**
 * Check every option of a repository: each one's type and range, and exactly one connection target.
 * @throws ValidationError naming the option (`keyPrefix`, `ttlSeconds`, `indexWrites`, `commandTimeoutMs`,
 *   `connectTimeoutMs`, `client`, `url`, `redisOptions`, `cluster`, `cluster.nodes`, `cluster.options`, or
 *   `options` when it is not an object).
 */
export function readOptions(options: unknown): RedisSettings {
  const reader = new OptionReader(options);
  const indexWrites = reader.raw('indexWrites');
  return {
    target: readTarget(reader),
    keyPrefix: validateKeyPrefix(reader.raw('keyPrefix')),
    ttlMs: ttlOf(reader.raw('ttlSeconds')),
    indexWrites: indexWrites === undefined ? undefined : reader.oneOf('indexWrites', INDEX_WRITES, 'inline'),
    timeouts: readTimeouts(reader),
  };
}

/**
 * The command and connect timeouts (1 ms to 10^9 ms each, so their sum stays a valid timer delay).
 * @throws ValidationError naming `commandTimeoutMs` or `connectTimeoutMs`.
 */
export function readTimeouts(reader: OptionReader): RedisTimeouts {
  return {
    commandTimeoutMs: timeout(reader, 'commandTimeoutMs', DEFAULT_TIMEOUTS.commandTimeoutMs),
    connectTimeoutMs: timeout(reader, 'connectTimeoutMs', DEFAULT_TIMEOUTS.connectTimeoutMs),
  };
}

/**
 * The most any one repository call may take, whatever the client does: a connect and a command. Past it the call
 * rejects `UNAVAILABLE` even on a caller-owned client or a cluster that queues commands while no master answers.
 */
export function callDeadlineMs(timeouts: RedisTimeouts): number {
  return timeouts.connectTimeoutMs + timeouts.commandTimeoutMs;
}

function timeout(reader: OptionReader, name: string, fallback: number): number {
  // OptionReader.durationMs caps at the longest timer (about 24.8 days); two of those would overflow the sum.
  const value = reader.raw(name);
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw new ValidationError(name, `must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  }
  return value;
}

/** A positive number of seconds (fractions allowed, at least a millisecond) as ms; 0 when absent. */
/** The longest TTL: about 31.7 years, so `PEXPIRE`'s milliseconds stay an integer Redis takes (a larger one fails
 * after a script's writes, reporting a write that happened as failed). */
const MAX_TTL_SECONDS = 1_000_000_000;

function ttlOf(ttlSeconds: unknown): number {
  if (ttlSeconds === undefined) return 0;
  if (
    typeof ttlSeconds !== 'number' ||
    !Number.isFinite(ttlSeconds) ||
    ttlSeconds < 0.001 ||
    ttlSeconds > MAX_TTL_SECONDS
  ) {
    throw new ValidationError('ttlSeconds', `must be a number of seconds from 0.001 to ${MAX_TTL_SECONDS}`);
  }
  return Math.round(ttlSeconds * 1000);
}

/**
 * The connection target, in the order the repository has always taken it: `client` (an ioredis `Redis` or
 * `Cluster`), else `url` (with optional `redisOptions`), else `cluster` (`{ nodes, options? }`). The URL's scheme
 * and the node list's length are checked where the client is opened (`client.ts`).
 */
function readTarget(reader: OptionReader): ConnectionTarget {
  const given = (['client', 'url', 'cluster'] as const).filter((name) => reader.raw(name) !== undefined);
  if (given.length > 1) {
    throw new ValidationError('options', `must give exactly one of client, url or cluster, got ${given.join(' and ')}`);
  }
  if (reader.raw('redisOptions') !== undefined && given[0] !== 'url') {
    throw new ValidationError('redisOptions', 'applies only with url (configure a client or cluster yourself)');
  }
  const client = reader.raw('client');
  if (client !== undefined) {
    if (!isClient(client)) throw new ValidationError('client', 'must be an ioredis Redis or Cluster');
    return { client };
  }
  const rawUrl = reader.raw('url');
  if (rawUrl !== undefined) {
    const url = validateConnectionUrl(rawUrl, 'url', URL_SCHEMES.redis ?? []);
    const redisOptions = reader.raw('redisOptions');
    if (redisOptions === undefined) return { url };
    if (!isObject(redisOptions)) throw new ValidationError('redisOptions', 'must be an object of ioredis options');
    return { url, redisOptions };
  }
  const cluster = reader.raw('cluster');
  if (cluster === undefined) throw new ValidationError('options', 'must give one of client, url or cluster');
  if (!isObject(cluster)) throw new ValidationError('cluster', 'must be { nodes, options? }');
  const { nodes, options } = cluster as { nodes?: unknown; options?: unknown };
  if (!Array.isArray(nodes)) throw new ValidationError('cluster.nodes', 'must list at least one node');
  if (options !== undefined && !isObject(options)) {
    throw new ValidationError('cluster.options', 'must be an object of ioredis Cluster options');
  }
  return { cluster: cluster as ClusterTarget };
}

type ClusterTarget = Extract<ConnectionTarget, { cluster: unknown }>['cluster'];

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** Duck-typed, so a client from another copy of ioredis is accepted: what the adapter calls on it. */
function isClient(value: unknown): value is Extract<ConnectionTarget, { client: unknown }>['client'] {
  return isObject(value) && typeof (value as { call?: unknown }).call === 'function';
}

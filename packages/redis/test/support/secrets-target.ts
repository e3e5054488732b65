import type { SecretsTarget } from '@fluxibly/conformance';
import type { ClusterNode } from 'ioredis';
import { RedisConversationRepository } from '../../src/index.js';
import type { PrivateServer } from './private-server.js';
import { hasRedisServer, startPrivateServer } from './private-server.js';
import { closedPort, IN_CI } from './redis.js';

/**
 * The conformance suite's `secrets` targets. The password holds characters a URL must percent-encode, so both forms
 * are looked for. Short timeouts: every call of an unreachable or refused repository settles in a fraction of a
 * second (the bound is what is tested elsewhere, not here).
 */
export const SECRET = 'p@ss/w0rd:REDIS-SECRET-7c1e';
const QUICK = { commandTimeoutMs: 300, connectTimeoutMs: 200 };
const inUrl = (port: number): string => `redis://:${encodeURIComponent(SECRET)}@127.0.0.1:${port}`;

/**
 * A private `redis-server --requirepass <another password>` for the wrong-password case (the shared server has no
 * password, and ioredis ignores a password a server does not ask for). `undefined` when `redis-server` is missing
 * locally (said in one line); under `CI=true` that is a failure.
 */
export async function passwordServer(): Promise<PrivateServer | undefined> {
  if (hasRedisServer()) return startPrivateServer(['--requirepass', `the-right-one-${Date.now()}`]);
  if (IN_CI) throw new Error('redis-server is required when CI=true (the secrets spec starts a private server)');
  console.warn('redis secrets spec: wrong-password case not run, redis-server is not installed');
  return undefined;
}

/** Standalone: the password in `REDIS_URL`-style URLs. */
export function standaloneSecrets(
  server: PrivateServer | undefined,
  keyPrefix: string,
): SecretsTarget<RedisConversationRepository> {
  return {
    secret: SECRET,
    unreachable: async () => new RedisConversationRepository({ url: inUrl(await closedPort()), keyPrefix, ...QUICK }),
    ...(server === undefined
      ? {}
      : { authFailure: async () => new RedisConversationRepository({ url: inUrl(server.port), keyPrefix, ...QUICK }) }),
  };
}

/**
 * Cluster: the password in `cluster.options.redisOptions`. The wrong-password case points the Cluster client at the
 * private password server: its AUTH fails before any cluster command, which is the Cluster client's own
 * authentication path with the password in hand.
 */
export function clusterSecrets(
  server: PrivateServer | undefined,
  keyPrefix: string,
): SecretsTarget<RedisConversationRepository> {
  const repository = (nodes: ClusterNode[]): RedisConversationRepository =>
    new RedisConversationRepository({
      cluster: { nodes, options: { redisOptions: { password: SECRET } } },
      keyPrefix,
      ...QUICK,
    });
  return {
    secret: SECRET,
    unreachable: async () => repository([{ host: '127.0.0.1', port: await closedPort() }]),
    ...(server === undefined
      ? {}
      : { authFailure: async () => repository([{ host: '127.0.0.1', port: server.port }]) }),
  };
}

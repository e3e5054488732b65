import { runConformanceSuite } from '@fluxibly/conformance';
import { Redis } from 'ioredis';
import { inspectRedisStore, RedisConversationRepository } from '../src/index.js';
import { clientOf } from '../src/internal.js';
import { passwordServer, standaloneSecrets } from './support/secrets-target.js';
import { closedPort, IN_CI, probeStandalone, REDIS_URL, removePrefix, runPrefix, skipSuite } from './support/redis.js';

/**
 * The whole conformance suite against the standalone Redis, under a key prefix unique to this run; its secrets spec
 * uses a closed port and a private `redis-server --requirepass` for the wrong password.
 */
const version = await probeStandalone();
const SECRET = 'conformance-secret-pw';

if (version === undefined) {
  if (IN_CI) throw new Error(`redis at ${REDIS_URL} is required when CI=true`);
  skipSuite(`redis conformance: skipped, redis at ${REDIS_URL} is not reachable`);
} else {
  const keyPrefix = runPrefix('conformance');
  const admin = new Redis(REDIS_URL);
  const server = await passwordServer();
  runConformanceSuite({
    name: `redis ${version} at ${REDIS_URL} (standalone, inline index writes)`,
    create: async () => new RedisConversationRepository({ url: REDIS_URL, keyPrefix }),
    destroy: (repository) => repository.close(),
    capabilities: { fullTextSearch: false, ttl: false },
    inspect: (repository) => inspectRedisStore(clientOf(repository), repository.keys),
    unavailable: {
      create: async () =>
        new RedisConversationRepository({ url: `redis://:${SECRET}@127.0.0.1:${await closedPort()}`, keyPrefix }),
      secret: SECRET,
    },
    secrets: standaloneSecrets(server, keyPrefix),
    teardown: async () => {
      await server?.stop();
      await removePrefix(admin, keyPrefix);
      await admin.quit();
    },
  });
}

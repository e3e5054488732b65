import { runConformanceSuite } from '@fluxibly/conformance';
import { inspectMongoRepository, MongoConversationRepository } from '../src/index.js';
import { STAND_IN_SKIPS } from './support/stand-in-skips.js';
import { clearPrefix, openRepository, target } from './support/repositories.js';

/** The whole conformance suite on the run's target (MONGODB_URL, or the stand-in): see `global-setup.ts`. */
const { kind, label } = target();
const prefix = 'conf_';
const secret = 's3cr3t-pa55word';

runConformanceSuite({
  name: `mongo: ${label}`,
  create: async () => openRepository(prefix),
  destroy: (repository) => repository.close(),
  capabilities: { fullTextSearch: true, ttl: false },
  inspect: inspectMongoRepository,
  unavailable: {
    // A closed loopback port (the discard port), with a password in the URL that must never surface.
    create: async () =>
      new MongoConversationRepository({
        url: `mongodb://fluxibly:${secret}@127.0.0.1:9/?serverSelectionTimeoutMS=300&connectTimeoutMS=300`,
        dbName: 'unreachable',
      }),
    secret,
  },
  teardown: () => clearPrefix(prefix),
  // Every stand-in insert costs time proportional to the collection size, so a model-based run takes seconds there;
  // 0.05 (5 runs) keeps the whole run near 3 minutes on 2 cores. Real MongoDB runs at 0.5 (50 runs).
  intensity: kind === 'stand-in' ? 0.05 : 0.5,
  skip: kind === 'stand-in' ? STAND_IN_SKIPS : [],
});

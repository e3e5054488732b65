import { runConformanceSuite } from '@fluxibly/conformance';
import type { MongoClient } from 'mongodb';
import { afterAll, beforeAll } from 'vitest';
import { inspectMongoRepository, MongoConversationRepository } from '../src/index.js';
import { STAND_IN_SKIPS } from './support/stand-in-skips.js';
import { clearCollections, clearPrefix, openRepository, rawClient, target } from './support/repositories.js';

/** The whole conformance suite on the run's target (MONGODB_URL, or the stand-in): see `global-setup.ts`. */
const { kind, label } = target();
const prefix = 'conf_';
const secret = 's3cr3t-pa55word';
/** The password of the secrets spec: characters that must be percent-encoded, so both forms are looked for. */
const password = 'p@ss/w0rd:S3CRET-9f1c';
const withPassword = (url: string): string =>
  url.replace(/^(mongodb(?:\+srv)?:\/\/)(?:[^@/]*@)?/u, `$1fluxibly-nobody:${encodeURIComponent(password)}@`);
const quickly = { serverSelectionTimeoutMS: 300, connectTimeoutMS: 300 };

// Every stand-in insert costs time proportional to its collection's size, so a suite that keeps every test's
// documents slows down as it runs (4 minutes on 2 cores). Each spec group uses fresh scopes and ids, keeps its
// fixtures to itself and needs nothing from earlier groups, so on the stand-in the collections are emptied after
// each group (the suite's `cleanup` hook; indexes stay). Tests that need other tenants' data next to theirs
// (isolation, search scoping) write it themselves. On real MongoDB the documents accumulate over the run, as in
// production.
let client: MongoClient | undefined;
if (kind === 'stand-in') {
  beforeAll(async () => {
    client = await rawClient();
  });
  afterAll(async () => {
    await client?.close();
  });
}
const emptyAfterEachGroup = async (): Promise<void> => {
  if (client !== undefined) await clearCollections(client, prefix);
};

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
  secrets: {
    secret: password,
    // The discard port: nothing answers.
    unreachable: async () =>
      new MongoConversationRepository({
        url: withPassword('mongodb://127.0.0.1:9/'),
        dbName: 'unreachable',
        clientOptions: quickly,
      }),
    // The run's server with a user and password it does not know. Real MongoDB rejects them (Authentication
    // failed); the stand-in has no authentication at all and fails the driver's handshake (`no such command:
    // saslStart`) — the driver's authentication path, with the password in hand, though not a true wrong password.
    authFailure: async () =>
      new MongoConversationRepository({
        url: withPassword(target().url),
        dbName: 'auth_failure',
        clientOptions: quickly,
      }),
  },
  ...(kind === 'stand-in' ? { cleanup: emptyAfterEachGroup } : {}),
  teardown: () => clearPrefix(prefix),
  // 0.5: 50 model-based runs; it also scales the concurrency specs, which run only on real MongoDB (see
  // stand-in-skips.ts). With the per-group clearing above, the 50 runs cost a few seconds on the stand-in.
  intensity: 0.5,
  ...(kind === 'stand-in' ? { skip: STAND_IN_SKIPS } : {}),
});

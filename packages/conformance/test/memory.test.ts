import { inspectMemoryStore, MemoryConversationRepository, MemoryStore } from '@fluxibly/memory';
import { runConformanceSuite } from '../src/index.js';

/** The whole suite against the reference adapter: every instance shares one store, as connections share a database. */
const store = new MemoryStore();

runConformanceSuite({
  name: 'memory (one shared MemoryStore)',
  create: async () => new MemoryConversationRepository({ store }),
  destroy: (repository) => repository.close(),
  capabilities: { fullTextSearch: true, ttl: false },
  inspect: () => inspectMemoryStore(store),
  // The in-process analogue of an unreachable server: a closed repository (it has no driver error to carry).
  unavailable: {
    create: async () => {
      const repository = new MemoryConversationRepository({ store });
      await repository.close();
      return repository;
    },
    driverCause: false,
  },
  // No `secrets`: an in-process store has no connection and no password, so the suite reports the secrets spec as
  // not run (one skipped test, with that reason). Its checker is tested on its own in `leaks.test.ts`.
});

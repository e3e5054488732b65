import { randomUUID } from 'node:crypto';
import { StateManager } from '@fluxibly/core';
import type { ConversationRepository } from '@fluxibly/core';
import { MemoryConversationRepository, MemoryStore } from '@fluxibly/memory';
import { RedisConversationRepository } from '@fluxibly/redis';
import { Redis } from 'ioredis';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A backend the suites run on. `open()` gives a new repository instance on the *same* data each time (a second
 * process resuming a session), `dispose()` closes them all and removes the data. Add Postgres / Mongo here.
 */
export interface Backend {
  readonly name: string;
  open(): ConversationRepository;
  dispose(): Promise<void>;
}

/** Factories of every backend the suites run on. */
export const BACKENDS: readonly { name: string; create: () => Backend }[] = [
  {
    name: 'memory',
    create: () => {
      const store = new MemoryStore();
      return {
        name: 'memory',
        open: () => new MemoryConversationRepository({ store }),
        dispose: async () => undefined,
      };
    },
  },
  {
    name: 'redis',
    create: () => {
      const keyPrefix = `fluxibly-test:openai-agents:${randomUUID()}:`;
      const opened: ConversationRepository[] = [];
      return {
        name: 'redis',
        open: () => {
          const repository = new RedisConversationRepository({ url: REDIS_URL, keyPrefix });
          opened.push(repository);
          return repository;
        },
        dispose: async () => {
          await Promise.all(opened.map((repository) => repository.close()));
          const client = new Redis(REDIS_URL);
          let cursor = '0';
          do {
            const [next, keys] = await client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
            cursor = next;
            if (keys.length > 0) await client.del(...keys);
          } while (cursor !== '0');
          client.disconnect();
        },
      };
    },
  },
];

/** A state manager for a fresh user of a fresh org on `repository`. */
export function newUser(repository: ConversationRepository, userId = `user-${randomUUID()}`): StateManager {
  return new StateManager({ repository, userId, orgId: 'org-agents-test' });
}

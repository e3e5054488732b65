import type { ConversationRepository } from '@fluxibly/core';
import { MemoryConversationRepository, MemoryStore } from '@fluxibly/memory';

/**
 * A backend the scenarios run on: `open()` gives a repository over the same stored data each time it is called (a
 * "new process" reading what the previous one wrote). Add Postgres/Redis factories here once their v2 adapters land.
 */
export interface Backend {
  name: string;
  open(): Promise<ConversationRepository>;
}

export function memoryBackend(): Backend {
  const store = new MemoryStore();
  return { name: 'memory', open: async () => new MemoryConversationRepository({ store }) };
}

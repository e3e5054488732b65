import { MemoryConversationRepository } from '@fluxibly/memory';
import { MemoryFloor } from '../floors/memory-floor.js';
import type { AdapterTarget } from './target.js';

/** `@fluxibly/memory` against plain JavaScript arrays and Maps. */
export const memoryTarget: AdapterTarget = {
  name: 'memory',
  scaleCheckMessages: 1_000_000,
  appendScaleLimit: 3,
  async setup() {
    return {
      description: 'in-process',
      createRepository: async () => new MemoryConversationRepository(),
      createFloor: async () => new MemoryFloor(),
      cleanup: async () => undefined,
    };
  },
};

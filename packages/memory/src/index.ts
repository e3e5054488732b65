export type { MemoryRepositoryOptions } from './repository.js';
export { MemoryConversationRepository, MockConversationRepository } from './repository.js';
export type { MemoryStoreOptions } from './store/store.js';
export { MemoryStore } from './store/store.js';

export { inspectMemoryStore } from './inspect.js';
export { createRepositoryFromConfig } from './factory.js';

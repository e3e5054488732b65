export type { RedisRepositoryOptions } from './options.js';
export { RedisConversationRepository } from './repository.js';
export type { ConnectionTarget } from './client.js';
export { CONNECTION_DEFAULTS } from './client.js';
export { DEFAULT_KEY_PREFIX, KeySpace, decodeKeyPart, encodeKeyPart } from './keys.js';
export type { RedisClient } from './scripts/run.js';
export type { RedisStoreInspector } from './inspect.js';
export { inspectRedisStore } from './inspect.js';
export { createRepositoryFromConfig } from './factory.js';

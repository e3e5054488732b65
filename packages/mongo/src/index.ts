export { MongoConversationRepository } from './repository.js';
export type {
  MongoClientRepositoryOptions,
  MongoRepositoryCommonOptions,
  MongoRepositoryOptions,
  MongoUrlRepositoryOptions,
} from './options.js';
export type { MongoStoreInspector } from './inspect.js';
export { inspectMongoRepository } from './inspect-repository.js';
export { MESSAGE_INDEXES, THREAD_INDEXES } from './migrate.js';
export { DEFAULT_TIMEOUTS } from './client-options.js';
export type { Collections, MessageDocument, ThreadDocument } from './documents.js';
export { createRepositoryFromConfig } from './factory.js';

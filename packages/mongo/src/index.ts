export { MongoConversationRepository } from './repository.js';
export type {
  MongoClientRepositoryOptions,
  MongoRepositoryCommonOptions,
  MongoRepositoryOptions,
  MongoUrlRepositoryOptions,
} from './options.js';
/** The conformance inspector's type, under the name this package has always exported it by. */
export type { StoreInspector as MongoStoreInspector } from '@fluxibly/core/adapter';
export { inspectMongoRepository } from './inspect.js';
export { MESSAGE_INDEXES, THREAD_INDEXES } from './migrate.js';
export { DEFAULT_TIMEOUTS } from './client-options.js';
export type { Collections, MessageDocument, ThreadDocument } from './codec.js';
export { createRepositoryFromConfig } from './factory.js';

import type { MongoStoreInspector } from './inspect.js';
import { inspectCollections } from './inspect.js';
import type { MongoConversationRepository } from './repository.js';

/**
 * An inspector reading the collections of `repository` straight from the driver, for
 * `runConformanceSuite({ …, inspect: inspectMongoRepository })` and for debugging what was really stored.
 */
export function inspectMongoRepository(repository: MongoConversationRepository): MongoStoreInspector {
  return inspectCollections(repository.collections);
}

/**
 * Test-only entry of `@fluxibly/mongo`: NOT exported by the package (`package.json` `exports` names only
 * `index.ts`), imported by this package's tests from source. It opens the seams production code keeps closed.
 */
import type { MongoRepositoryOptions } from './options.js';
import { MongoConversationRepository } from './repository.js';
import type { TransactionRunner } from './transactions.js';
import { inTransaction } from './transactions.js';

export type { TransactionRunner } from './transactions.js';
/** The runner every repository uses: one session per transaction, MongoDB's retry rules. */
export { inTransaction };

/**
 * A repository whose transactions run through `runTransaction` (which must end by calling {@link inTransaction}
 * or an equivalent), e.g. to run them one at a time on a server that does not isolate concurrent transactions.
 */
export function openMongoRepository(
  options: MongoRepositoryOptions,
  runTransaction: TransactionRunner,
): MongoConversationRepository {
  return new MongoConversationRepository(options, runTransaction);
}

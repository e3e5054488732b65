import type { TransactionRunner } from '../../src/internal.js';
import { inTransaction } from '../../src/internal.js';
import type { MongoTarget } from './target.js';

/**
 * The jongodb stand-in commits transactions but does not isolate them: two concurrent transactions that `$inc` one
 * document both commit (a lost update), even writes to different documents can be lost, and a commit violating a
 * unique index drops the connection (pinned by `stand-in-deviations.test.ts`). Production code runs transactions
 * concurrently, as real MongoDB isolates them; on the stand-in the tests give their repositories this runner,
 * which runs every transaction of this test file (one worker) one at a time, retries included. Transactions of
 * other processes are not covered: the stand-in is never shared between runs.
 */
let queue: Promise<void> = Promise.resolve();

const oneAtATime: TransactionRunner = (client, work) => {
  const turn = queue.then(() => inTransaction(client, work));
  queue = turn.then(
    () => undefined,
    () => undefined,
  );
  return turn;
};

/** The transaction runner for the run's target: {@link oneAtATime} on the stand-in, the plain one on MongoDB. */
export function transactionRunner(kind: MongoTarget['kind']): TransactionRunner {
  return kind === 'stand-in' ? oneAtATime : inTransaction;
}

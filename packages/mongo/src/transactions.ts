import { setTimeout as delay } from 'node:timers/promises';
import type { ClientSession, Db, MongoClient, TransactionOptions } from 'mongodb';
import { MongoError, MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { DUPLICATE_KEY, isTransactionsUnsupported, transactionsRequired } from './errors.js';

/**
 * Check once, at start-up, that the server runs multi-document transactions; the adapter never runs without them.
 * A replica-set member (`hello.setName`) or a mongos (`hello.msg === 'isdbgrid'`) has them. Anything else (a
 * standalone, or a wire-compatible server that does not report a replica set) must prove it: a read in a
 * transaction is committed. A real standalone refuses it ("Transaction numbers are only allowed on a replica set
 * member or mongos"), which becomes `UnsupportedError`: atomicity is never silently lost.
 */
export async function checkTransactions(client: MongoClient, db: Db, probeCollection: string): Promise<void> {
  const hello = await db.admin().command({ hello: 1 });
  if (typeof hello.setName === 'string' || hello.msg === 'isdbgrid') return;
  const session = client.startSession();
  try {
    session.startTransaction();
    await db.collection(probeCollection).findOne({}, { session });
    await session.commitTransaction();
  } catch (error) {
    if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
    if (isTransactionsUnsupported(error)) throw transactionsRequired({ cause: error });
    throw error;
  } finally {
    await session.endSession().catch(() => undefined);
  }
}

/**
 * Thrown by a transaction body to abort and re-run the whole transaction (within the retry budget): it read
 * something a concurrent writer changed before it could write (e.g. a duplicate message id that appeared after the
 * transaction's snapshot). Only ever thrown before anything is committed, so re-running is always safe.
 */
export class RetryTransaction extends Error {
  override readonly name = 'RetryTransaction';
  /** Re-run at once, without the back-off: nothing raced, the body only asks for a fresh transaction. */
  readonly immediately: boolean;

  constructor(message: string, options: { immediately?: boolean } = {}) {
    super(message);
    this.immediately = options.immediately ?? false;
  }
}

/** What {@link runTransaction} uses of a session: a `ClientSession` (a fake in unit tests). */
export type TransactionSession = Pick<
  ClientSession,
  'startTransaction' | 'commitTransaction' | 'abortTransaction' | 'inTransaction'
>;

/** How long and how often {@link runTransaction} retries. */
export interface RetryPolicy {
  /** No new attempt (of the whole transaction, or of its commit) starts once this much time has passed. */
  readonly timeLimitMs: number;
  /** Network / server-selection failures tolerated in one call before failing fast (a server that is gone). */
  readonly maxNetworkErrors: number;
  /** Monotonic-enough clock in ms. */
  readonly clock: () => number;
  /** Wait before re-running the whole transaction (`attempt` counts from 1): jittered, growing back-off. */
  readonly pause: (attempt: number) => Promise<void>;
}

/**
 * The default policy: 30 s (the driver's `withTransaction` uses 120 s; a chat request should fail sooner), at most
 * 3 network failures, and the driver's back-off (`random × min(5 ms × 1.5^attempt, 500 ms)`).
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  timeLimitMs: 30_000,
  maxNetworkErrors: 3,
  clock: () => performance.now(),
  pause: (attempt: number) => delay(Math.random() * Math.min(5 * 1.5 ** attempt, 500)).then(() => undefined),
});

const TRANSACTION_OPTIONS: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: { w: 'majority' },
};

/**
 * How the repository runs a transaction: `work` in a transaction on a session of `client`, committed, with the
 * retry rules of {@link runTransaction}. The repository uses {@link inTransaction}; tests reach this seam through
 * `src/internal.ts` (to wrap it, e.g. to run one transaction at a time on a stand-in server), never through the
 * shipped options.
 */
export type TransactionRunner = <T>(client: MongoClient, work: (session: ClientSession) => Promise<T>) => Promise<T>;

/**
 * Run `work` in a transaction (snapshot reads, majority writes) on a new session of `client`, then commit. See
 * {@link runTransaction} for the retry rules; the session is ended afterwards.
 */
export const inTransaction: TransactionRunner = async (client, work) => {
  const session = client.startSession();
  try {
    return await runTransaction(session, work, DEFAULT_RETRY_POLICY);
  } finally {
    await session.endSession().catch(() => undefined);
  }
};

/**
 * Run `work` in a transaction and commit it, following MongoDB's documented retry rules (the same as the driver's
 * `ClientSession.withTransaction`, plus this adapter's own conflict signals):
 *
 * - the body fails with a **transient** error (label `TransientTransactionError`, e.g. `WriteConflict` when two
 *   appends move one thread; a lost connection; a `WriteConflict` code or a duplicate `seq` without the label; a
 *   {@link RetryTransaction}): abort and re-run the **whole** transaction after a jittered back-off. Nothing was
 *   committed, so `work` (which decides every write afresh from what it reads) is safe to re-run;
 * - the commit fails with **`UnknownTransactionCommitResult`** (not `MaxTimeMSExpired`): the transaction may have
 *   committed, so retry **only `commitTransaction`** (the driver sends it with majority write concern; the server
 *   answers for the same transaction). Re-running the body instead could apply it twice or report `false`/`0`
 *   for work that did happen;
 * - the commit fails with a transient error (the server says it did not commit): re-run the whole transaction;
 * - anything else aborts the transaction and is rethrown as it is.
 *
 * No new attempt starts after `policy.timeLimitMs`, nor after `policy.maxNetworkErrors` network failures: the last
 * error is then rethrown (the repository maps it to `UnavailableError` with the error as `cause`).
 */
export async function runTransaction<S extends TransactionSession, T>(
  session: S,
  work: (session: S) => Promise<T>,
  policy: RetryPolicy,
): Promise<T> {
  const deadline = policy.clock() + policy.timeLimitMs;
  let networkErrors = 0;
  /** Whether another attempt may start after `error`. */
  const mayRetry = (error: unknown): boolean => {
    if (isNetwork(error)) networkErrors += 1;
    return networkErrors <= policy.maxNetworkErrors && policy.clock() < deadline;
  };
  for (let attempt = 1; ; attempt++) {
    session.startTransaction(TRANSACTION_OPTIONS);
    let result: T;
    try {
      result = await work(session);
    } catch (error) {
      if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
      if (!isTransient(error) || !mayRetry(error)) throw error;
      if (!(error instanceof RetryTransaction && error.immediately)) await policy.pause(attempt);
      continue;
    }
    if (await commit(session, mayRetry, policy.pause)) return result;
    await policy.pause(attempt);
  }
}

/** Commit, retrying only the commit on an unknown result. `true` when committed, `false` to re-run the whole. */
async function commit(
  session: TransactionSession,
  mayRetry: (error: unknown) => boolean,
  pause: RetryPolicy['pause'],
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await session.commitTransaction();
      return true;
    } catch (error) {
      if (isUnknownCommitResult(error)) {
        if (!mayRetry(error)) throw error;
        // The driver retries at once; a short back-off keeps a server that answers instantly from being hammered.
        await pause(attempt);
        continue;
      }
      if (hasLabel(error, 'TransientTransactionError') && mayRetry(error)) return false;
      throw error;
    }
  }
}

const WRITE_CONFLICT = 112;
const MAX_TIME_MS_EXPIRED = 50;

function hasLabel(error: unknown, label: string): boolean {
  return error instanceof MongoError && error.hasErrorLabel(label);
}

function isNetwork(error: unknown): boolean {
  return error instanceof MongoNetworkError || error instanceof MongoServerSelectionError;
}

/** True when the body's error means "nothing committed, re-running the whole transaction may succeed". */
export function isTransient(error: unknown): boolean {
  if (error instanceof RetryTransaction) return true;
  if (!(error instanceof MongoError)) return false;
  if (error.hasErrorLabel('TransientTransactionError') || error.code === WRITE_CONFLICT) return true;
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY && error.message.includes('threadId_seq');
}

/** True when a commit's outcome is unknown and the commit alone may be retried (the driver's rule). */
export function isUnknownCommitResult(error: unknown): boolean {
  if (!hasLabel(error, 'UnknownTransactionCommitResult')) return false;
  const server = error instanceof MongoServerError ? error : undefined;
  const writeConcernCode = (server?.writeConcernError as { code?: unknown } | undefined)?.code;
  return server?.code !== MAX_TIME_MS_EXPIRED && writeConcernCode !== MAX_TIME_MS_EXPIRED;
}

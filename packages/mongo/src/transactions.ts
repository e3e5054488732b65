import { setTimeout as delay } from 'node:timers/promises';
import type { ClientSession, Db, MongoClient } from 'mongodb';
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

const MAX_ATTEMPTS = 200;
/** A lost connection is retried at most this many times: a server that is gone should fail fast (UNAVAILABLE). */
const MAX_NETWORK_RETRIES = 2;
const WRITE_CONFLICT = 112;

/**
 * Run `work` in a transaction (snapshot reads, majority writes) and commit, retrying the whole of it when it
 * lost a race: a transient transaction error (e.g. `WriteConflict` when two appends move one thread), an
 * unknown commit result, or a duplicate `seq` (the unique `(threadId, seq)` index rejecting the loser of a race
 * on servers that detect conflicts only at commit). `work` must be safe to re-run: every write it does is decided
 * afresh from what it reads. Other errors abort the transaction and are rethrown.
 */
export async function inTransaction<T>(client: MongoClient, work: (session: ClientSession) => Promise<T>): Promise<T> {
  const session = client.startSession();
  try {
    let networkRetries = 0;
    for (let attempt = 1; ; attempt++) {
      session.startTransaction({ readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } });
      try {
        const result = await work(session);
        await session.commitTransaction();
        return result;
      } catch (error) {
        if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
        if (isNetwork(error) && ++networkRetries > MAX_NETWORK_RETRIES) throw error;
        // Jittered back-off so racing writers spread out; bounded by MAX_ATTEMPTS.
        await delay(Math.random() * Math.min(attempt, 20));
      }
    }
  } finally {
    await session.endSession().catch(() => undefined);
  }
}

function isNetwork(error: unknown): boolean {
  return error instanceof MongoNetworkError || error instanceof MongoServerSelectionError;
}

/** True when re-running the transaction may succeed. */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof MongoError)) return false;
  if (error.hasErrorLabel('TransientTransactionError') || error.hasErrorLabel('UnknownTransactionCommitResult')) {
    return true;
  }
  if (error.code === WRITE_CONFLICT) return true;
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY && error.message.includes('threadId_seq');
}

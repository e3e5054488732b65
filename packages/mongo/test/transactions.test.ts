import { NotFoundError, UnavailableError } from '@fluxibly/core';
import { MongoNetworkError, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { toFluxiblyError } from '../src/errors.js';
import type { RetryPolicy, TransactionSession } from '../src/transactions.js';
import { RetryTransaction, runTransaction } from '../src/transactions.js';

/**
 * The retry decisions of `runTransaction`, on a fake session (no server): which failures re-run the whole
 * transaction, which retry only the commit, and when it gives up.
 */

/** A session whose commits fail with the given errors, in order, then succeed. Counts every call. */
class FakeSession implements TransactionSession {
  starts = 0;
  commits = 0;
  aborts = 0;
  #active = false;
  constructor(private readonly commitFailures: Error[] = []) {}
  startTransaction(): void {
    this.starts += 1;
    this.#active = true;
  }
  inTransaction(): boolean {
    return this.#active;
  }
  async abortTransaction(): Promise<void> {
    this.aborts += 1;
    this.#active = false;
  }
  async commitTransaction(): Promise<void> {
    this.commits += 1;
    this.#active = false;
    const failure = this.commitFailures.shift();
    if (failure !== undefined) throw failure;
  }
}

/** A policy with a fake clock that advances 1 ms per reading, and no real waiting. */
function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  let now = 0;
  return { timeLimitMs: 10_000, maxNetworkErrors: 3, clock: () => (now += 1), pause: async () => {}, ...overrides };
}

function labelled<E extends MongoServerError | MongoNetworkError>(error: E, label: string): E {
  error.addErrorLabel(label);
  return error;
}

const serverError = (code: number, errmsg = 'failed'): MongoServerError => new MongoServerError({ code, errmsg });
const transient = (): MongoServerError =>
  labelled(serverError(112, 'WriteConflict error: this operation conflicted'), 'TransientTransactionError');
const unknownCommit = (): MongoNetworkError =>
  labelled(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'), 'UnknownTransactionCommitResult');

describe('runTransaction retry rules', () => {
  it('re-runs at once, without the back-off, for a RetryTransaction marked immediately (and after it, with one)', async () => {
    const session = new FakeSession();
    let pauses = 0;
    let runs = 0;
    const result = await runTransaction(
      session,
      async () => {
        runs += 1;
        if (runs === 1) throw new RetryTransaction('take the careful path', { immediately: true });
        if (runs === 2) throw new RetryTransaction('the thread moved');
        return 'done';
      },
      policy({ pause: async () => void (pauses += 1) }),
    );
    expect({ result, runs, pauses, starts: session.starts, aborts: session.aborts }).toEqual({
      result: 'done',
      runs: 3,
      pauses: 1,
      starts: 3,
      aborts: 2,
    });
  });

  it('re-runs the whole transaction when the body fails with a TransientTransactionError', async () => {
    const session = new FakeSession();
    let runs = 0;
    const result = await runTransaction(
      session,
      async () => {
        runs += 1;
        if (runs === 1) throw transient();
        return 'done';
      },
      policy(),
    );
    expect(result).toBe('done');
    expect({ runs, starts: session.starts, aborts: session.aborts, commits: session.commits }).toEqual({
      runs: 2,
      starts: 2,
      aborts: 1,
      commits: 1,
    });
  });

  it('retries only commitTransaction on UnknownTransactionCommitResult: the body runs once, its result stands', async () => {
    // A deleteThread-like body: `true` when it removed the thread. The first commit did apply, but its reply was
    // lost; re-running the body would find nothing and wrongly answer `false`.
    const stored = new Set(['t1']);
    const session = new FakeSession([unknownCommit(), unknownCommit()]);
    let runs = 0;
    const removed = await runTransaction(
      session,
      async () => {
        runs += 1;
        return stored.delete('t1');
      },
      policy(),
    );
    expect(removed).toBe(true);
    expect({ runs, starts: session.starts, commits: session.commits }).toEqual({ runs: 1, starts: 1, commits: 3 });
  });

  it('does not retry a commit that failed with MaxTimeMSExpired, even labelled unknown', async () => {
    const expired = labelled(serverError(50, 'operation exceeded time limit'), 'UnknownTransactionCommitResult');
    const session = new FakeSession([expired]);
    let runs = 0;
    await expect(runTransaction(session, async () => (runs += 1), policy())).rejects.toBe(expired);
    expect({ runs, commits: session.commits }).toEqual({ runs: 1, commits: 1 });
  });

  it('re-runs the whole transaction when the commit fails with a TransientTransactionError (it did not commit)', async () => {
    const session = new FakeSession([labelled(serverError(251, 'NoSuchTransaction'), 'TransientTransactionError')]);
    let runs = 0;
    await expect(runTransaction(session, async () => (runs += 1), policy())).resolves.toBe(2);
    expect({ runs, starts: session.starts, commits: session.commits }).toEqual({ runs: 2, starts: 2, commits: 2 });
  });

  it.each([
    ['a WriteConflict without the label', () => serverError(112, 'WriteConflict')],
    ['a duplicate seq (threadId_seq)', () => serverError(11000, 'E11000 duplicate key error index: threadId_seq')],
    ['RetryTransaction from the body', () => new RetryTransaction('an id appeared after the snapshot')],
  ])('re-runs the whole transaction on %s', async (_name, failure) => {
    const session = new FakeSession();
    let runs = 0;
    const result = await runTransaction(
      session,
      async () => {
        runs += 1;
        if (runs === 1) throw failure();
        return runs;
      },
      policy(),
    );
    expect(result).toBe(2);
  });

  it.each([
    ['a FluxiblyError', () => new NotFoundError('thread not found')],
    ['a duplicate message id (threadId_id)', () => serverError(11000, 'E11000 duplicate key error index: threadId_id')],
    ['an unlabelled server error', () => serverError(2, 'BadValue')],
    ['an UnknownTransactionCommitResult from the body', () => unknownCommit()],
  ])('aborts and rethrows %s from the body without retrying', async (_name, failure) => {
    const session = new FakeSession();
    const error = failure();
    let runs = 0;
    await expect(
      runTransaction(
        session,
        async () => {
          runs += 1;
          throw error;
        },
        policy(),
      ),
    ).rejects.toBe(error);
    expect({ runs, aborts: session.aborts, commits: session.commits }).toEqual({ runs: 1, aborts: 1, commits: 0 });
  });

  it('stops re-running once the time limit has passed and rethrows the last error', async () => {
    const session = new FakeSession();
    let runs = 0;
    const last = transient();
    await expect(
      runTransaction(
        session,
        async () => {
          runs += 1;
          throw runs < 1000 ? transient() : last;
        },
        policy({ timeLimitMs: 50 }),
      ),
    ).rejects.toBeInstanceOf(MongoServerError);
    // The fake clock moves 1 ms per reading: a handful of attempts fit in 50 ms, never an unbounded loop.
    expect(runs).toBeGreaterThan(1);
    expect(runs).toBeLessThan(60);
  });

  it('stops retrying an unknown commit after maxNetworkErrors network failures; the repository reports UNAVAILABLE', async () => {
    const failures = Array.from({ length: 10 }, unknownCommit);
    const session = new FakeSession([...failures]);
    let runs = 0;
    const caught = await runTransaction(session, async () => (runs += 1), policy({ maxNetworkErrors: 2 })).catch(
      (error: unknown) => error,
    );
    expect({ runs, commits: session.commits }).toEqual({ runs: 1, commits: 3 });
    expect(caught).toBe(failures[2]);
    const mapped = toFluxiblyError(caught);
    expect(mapped).toBeInstanceOf(UnavailableError);
    // The cause is core's printable copy of the driver error (safeCause): its name, message and error labels.
    expect(mapped.cause).toMatchObject({
      name: 'MongoNetworkError',
      message: (caught as Error).message,
      errorLabels: ['UnknownTransactionCommitResult'],
    });
    expect(mapped.message).toMatch(/commit result unknown/u);
    expect(mapped.message).not.toMatch(/127\.0\.0\.1/u);
  });

  it('stops re-running after maxNetworkErrors lost connections in the body', async () => {
    const session = new FakeSession();
    let runs = 0;
    await expect(
      runTransaction(
        session,
        async () => {
          runs += 1;
          throw labelled(new MongoNetworkError('connection closed'), 'TransientTransactionError');
        },
        policy({ maxNetworkErrors: 1 }),
      ),
    ).rejects.toBeInstanceOf(MongoNetworkError);
    expect(runs).toBe(2);
  });
});

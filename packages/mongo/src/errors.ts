import { FluxiblyError, UnavailableError, UnsupportedError } from '@fluxibly/core';
import { MongoError, MongoServerError } from 'mongodb';

/**
 * Driver errors → `FluxiblyError`s. Messages name only the error's class and code: a driver message can quote a
 * host or a connection string, so it is never copied (the driver's error stays available as `cause`).
 */

/** The server code of a duplicate-key error. */
export const DUPLICATE_KEY = 11000;

/** True for an E11000 duplicate-key error (optionally on an index whose name contains `index`). */
export function isDuplicateKey(error: unknown, index?: string): boolean {
  if (!(error instanceof MongoError) || error.code !== DUPLICATE_KEY) return false;
  if (index === undefined) return true;
  return error.message.includes(index);
}

/** True for a server's "transactions need a replica set or mongos" refusal. */
export function isTransactionsUnsupported(error: unknown): boolean {
  return (
    error instanceof MongoServerError &&
    (error.code === 20 || error.codeName === 'IllegalOperation') &&
    /transaction numbers are only allowed/iu.test(error.message)
  );
}

/**
 * The error to throw for any failure of an operation (the repository's `mapError`): a `FluxiblyError` as it is,
 * anything else mapped, with the driver's error as `cause`.
 */
export function toFluxiblyError(error: unknown): FluxiblyError {
  if (FluxiblyError.is(error)) return error;
  if (isTransactionsUnsupported(error)) return transactionsRequired({ cause: error });
  const name = error instanceof Error ? error.name : typeof error;
  const code = error instanceof MongoError && error.code !== undefined ? ` (code ${String(error.code)})` : '';
  if (error instanceof MongoError && error.hasErrorLabel('UnknownTransactionCommitResult')) {
    return new UnavailableError(
      `MongoDB commit result unknown (the write may or may not have been applied): ${name}${code}`,
      { cause: error },
    );
  }
  return new UnavailableError(`MongoDB operation failed: ${name}${code}`, { cause: error });
}

/** The refusal to run on a deployment without multi-document transactions. */
export function transactionsRequired(options: { cause?: unknown } = {}): UnsupportedError {
  return new UnsupportedError(
    '@fluxibly/mongo needs multi-document transactions (a replica set, a sharded cluster or Atlas); this server ' +
      'is a standalone. Run a one-node replica set (mongod --replSet rs0, then rs.initiate()).',
    options,
  );
}

import { repositoryClosed } from '@fluxibly/core/adapter';
import type { ClientSession } from 'mongodb';
import { MongoClient } from 'mongodb';
import { ValidationError } from '@fluxibly/core';
import { withDefaultTimeouts } from './client-options.js';
import type { Collections } from './codec.js';
import { collectionsOf } from './codec.js';
import { createIndexes } from './migrate.js';
import type { MongoRepositoryOptions } from './options.js';
import { readOptions } from './options.js';
import type { TransactionRunner } from './transactions.js';
import { checkTransactions } from './transactions.js';

/** What every operation works with once the connection is ready. */
export interface ReadyConnection {
  readonly collections: Collections;
  /** The clock (epoch ms). */
  now(): number;
  /** Run `work` in one transaction, committed, retried by MongoDB's rules (see `transactions.ts`). */
  transaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T>;
}

/**
 * The repository's link to the server: the client (owned or not), the collections, and a one-time readiness
 * step (connect, check transactions, optionally migrate) that every operation awaits. A failed readiness step is
 * forgotten, so the next call tries again (the server may be back).
 */
export class Connection {
  readonly client: MongoClient;
  readonly collections: Collections;
  readonly #owned: boolean;
  readonly #dbName: string;
  readonly #migrate: boolean;
  readonly #ready: ReadyConnection;
  #readying: Promise<ReadyConnection> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  /** @throws ValidationError naming the bad option (see `readOptions`); never connects. */
  constructor(options: MongoRepositoryOptions, runTransaction: TransactionRunner) {
    const read = readOptions(options);
    if (read.client !== undefined) {
      this.client = read.client;
      this.#owned = false;
    } else {
      const url = read.url as string;
      try {
        this.client = new MongoClient(url, withDefaultTimeouts(url, read.clientOptions));
      } catch (error) {
        // The driver's parse error may quote the URL: keep it only as the cause.
        throw new ValidationError('url', 'is not a valid MongoDB connection string (or clientOptions are invalid)', {
          cause: error,
        });
      }
      this.#owned = true;
    }
    this.#dbName = read.dbName;
    this.#migrate = read.migrate;
    this.collections = collectionsOf(this.client.db(read.dbName), read.collectionPrefix);
    const client = this.client;
    this.#ready = {
      collections: this.collections,
      now: read.now,
      transaction: (work) => runTransaction(client, work),
    };
  }

  /** Connected and checked; rejects with `UnavailableError` after `close()`. */
  async ready(): Promise<ReadyConnection> {
    if (this.#closed) throw repositoryClosed();
    this.#readying ??= this.#prepare().catch((error: unknown) => {
      this.#readying = undefined;
      throw error;
    });
    return this.#readying;
  }

  /** Create the indexes now (idempotent); returns the ones it added. */
  async migrate(): Promise<string[]> {
    if (this.#closed) throw repositoryClosed();
    if (this.#owned) await this.client.connect();
    return createIndexes(this.collections);
  }

  /**
   * Close the client if this connection created it (never a caller's client). Idempotent: every call, concurrent
   * or later, waits for the same close.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#owned ? this.client.close() : Promise.resolve();
    return this.#closing;
  }

  async #prepare(): Promise<ReadyConnection> {
    if (this.#owned) await this.client.connect();
    await checkTransactions(this.client, this.client.db(this.#dbName), this.collections.threads.collectionName);
    if (this.#migrate) await createIndexes(this.collections);
    return this.#ready;
  }
}

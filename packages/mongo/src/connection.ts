import { UnavailableError, ValidationError, describe } from '@fluxibly/core';
import { MongoClient } from 'mongodb';
import type { Collections } from './documents.js';
import { DEFAULT_PREFIX, collectionsOf } from './documents.js';
import { createIndexes } from './migrate.js';
import type { MongoRepositoryOptions } from './options.js';
import type { MongoStore } from './store.js';
import { checkTransactions } from './transactions.js';

/**
 * The repository's link to the server: the client (owned or not), the collections, and a one-time readiness
 * step (connect, check transactions, optionally migrate) that every operation awaits. A failed readiness step is
 * forgotten, so the next call tries again (the server may be back).
 */
export class Connection {
  readonly client: MongoClient;
  readonly collections: Collections;
  readonly #owned: boolean;
  readonly #options: MongoRepositoryOptions;
  #ready: Promise<MongoStore> | undefined;
  #closed = false;

  constructor(options: MongoRepositoryOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new ValidationError('options', `must be an object, got ${describe(options)}`);
    }
    if (typeof options.dbName !== 'string' || options.dbName.length === 0) {
      throw new ValidationError('dbName', 'must be a non-empty string');
    }
    const prefix = options.collectionPrefix ?? DEFAULT_PREFIX;
    if (typeof prefix !== 'string') throw new ValidationError('collectionPrefix', 'must be a string');
    if ('client' in options) {
      if (!(options.client instanceof MongoClient)) {
        throw new ValidationError('client', `must be a MongoClient, got ${describe(options.client)}`);
      }
      this.client = options.client;
      this.#owned = false;
    } else {
      if (typeof options.url !== 'string' || !/^mongodb(\+srv)?:\/\//u.test(options.url)) {
        throw new ValidationError('url', 'must be a mongodb:// or mongodb+srv:// URL');
      }
      try {
        this.client = new MongoClient(options.url, options.clientOptions);
      } catch (error) {
        // The driver's parse error may quote the URL: keep it only as the cause.
        throw new ValidationError('url', 'is not a valid MongoDB connection string', { cause: error });
      }
      this.#owned = true;
    }
    this.#options = options;
    this.collections = collectionsOf(this.client.db(options.dbName), prefix);
  }

  /** Connected and checked; rejects with `UnavailableError` after `close()`. */
  async ready(): Promise<MongoStore> {
    if (this.#closed) throw new UnavailableError('repository is closed');
    this.#ready ??= this.#prepare().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /** Create the indexes now (idempotent). */
  async migrate(): Promise<void> {
    if (this.#closed) throw new UnavailableError('repository is closed');
    if (this.#owned) await this.client.connect();
    await createIndexes(this.collections);
  }

  /** Close the client if this connection created it. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owned) await this.client.close();
  }

  async #prepare(): Promise<MongoStore> {
    if (this.#owned) await this.client.connect();
    await checkTransactions(this.client, this.client.db(this.#options.dbName), this.collections.threads.collectionName);
    if (this.#options.migrate === true) await createIndexes(this.collections);
    return { client: this.client, collections: this.collections, now: this.#options.now ?? Date.now };
  }
}

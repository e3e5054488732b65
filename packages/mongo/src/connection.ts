import { UnavailableError, ValidationError, describe } from '@fluxibly/core';
import { MongoClient } from 'mongodb';
import { withDefaultTimeouts } from './client-options.js';
import type { Collections } from './documents.js';
import { DEFAULT_PREFIX, collectionsOf } from './documents.js';
import { createIndexes } from './migrate.js';
import type { MongoRepositoryOptions, MongoUrlRepositoryOptions } from './options.js';
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
  #closing: Promise<void> | undefined;

  constructor(options: MongoRepositoryOptions) {
    checkOptions(options);
    if ('client' in options && options.client !== undefined) {
      if ('url' in options && (options as { url?: unknown }).url !== undefined) {
        throw new ValidationError('url', 'must not be given with client: pass either a client or a url');
      }
      if (!(options.client instanceof MongoClient)) {
        throw new ValidationError('client', `must be a MongoClient, got ${describe(options.client)}`);
      }
      this.client = options.client;
      this.#owned = false;
    } else {
      const { url, clientOptions } = options as Partial<MongoUrlRepositoryOptions>;
      if (typeof url !== 'string' || !/^mongodb(\+srv)?:\/\//u.test(url)) {
        throw new ValidationError('url', 'must be a mongodb:// or mongodb+srv:// URL (or pass a client)');
      }
      if (clientOptions !== undefined && (typeof clientOptions !== 'object' || clientOptions === null)) {
        throw new ValidationError('clientOptions', `must be an object, got ${describe(clientOptions)}`);
      }
      try {
        this.client = new MongoClient(url, withDefaultTimeouts(url, clientOptions));
      } catch (error) {
        // The driver's parse error may quote the URL: keep it only as the cause.
        throw new ValidationError('url', 'is not a valid MongoDB connection string (or clientOptions are invalid)', {
          cause: error,
        });
      }
      this.#owned = true;
    }
    this.#options = options;
    this.collections = collectionsOf(this.client.db(options.dbName), options.collectionPrefix ?? DEFAULT_PREFIX);
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

  /** Create the indexes now (idempotent); returns the ones it added. */
  async migrate(): Promise<string[]> {
    if (this.#closed) throw new UnavailableError('repository is closed');
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

  async #prepare(): Promise<MongoStore> {
    if (this.#owned) await this.client.connect();
    await checkTransactions(this.client, this.client.db(this.#options.dbName), this.collections.threads.collectionName);
    if (this.#options.migrate === true) await createIndexes(this.collections);
    return { client: this.client, collections: this.collections, now: this.#options.now ?? Date.now };
  }
}

/** Characters MongoDB refuses in a database name (on every platform), and NUL. */
const BAD_DB_NAME = /[/\\. "$\0]/u;

/** Validate the settings shared by both ways of connecting, naming the bad field. */
function checkOptions(options: MongoRepositoryOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('options', `must be an object, got ${describe(options)}`);
  }
  const { dbName, collectionPrefix, migrate, now } = options;
  if (typeof dbName !== 'string' || dbName.length === 0) {
    throw new ValidationError('dbName', `must be a non-empty string, got ${describe(dbName)}`);
  }
  if (BAD_DB_NAME.test(dbName) || Buffer.byteLength(dbName) > 63) {
    throw new ValidationError('dbName', 'must be at most 63 bytes, without / \\ . space " $ or NUL');
  }
  if (collectionPrefix !== undefined) {
    if (typeof collectionPrefix !== 'string') {
      throw new ValidationError('collectionPrefix', `must be a string, got ${describe(collectionPrefix)}`);
    }
    if (/[$\0]/u.test(collectionPrefix) || collectionPrefix.startsWith('system.')) {
      throw new ValidationError('collectionPrefix', 'must not contain $ or NUL, nor start with "system."');
    }
  }
  if (migrate !== undefined && typeof migrate !== 'boolean') {
    throw new ValidationError('migrate', `must be a boolean, got ${describe(migrate)}`);
  }
  if (now !== undefined && typeof now !== 'function') {
    throw new ValidationError('now', `must be a function returning epoch milliseconds, got ${describe(now)}`);
  }
}

import { ValidationError } from '@fluxibly/core';
import { OptionReader, URL_SCHEMES, validateConnectionUrl } from '@fluxibly/core/adapter';
import type { MongoClientOptions } from 'mongodb';
import { MongoClient } from 'mongodb';

/** Settings shared by both ways of connecting. */
export interface MongoRepositoryCommonOptions {
  /** The database to use. */
  dbName: string;
  /** Prefix of the two collection names (`<prefix>threads`, `<prefix>messages`). Default `'fluxibly_'`. */
  collectionPrefix?: string;
  /**
   * Create the indexes (idempotent `createIndexes`) when the repository first connects. Default `false`: run
   * {@link MongoConversationRepository.migrate} as a deployment step instead.
   */
  migrate?: boolean;
  /** The clock, in epoch milliseconds (tests). Default `Date.now`. */
  now?: () => number;
}

/** Use a `MongoClient` the caller owns: the repository never closes it. */
export interface MongoClientRepositoryOptions extends MongoRepositoryCommonOptions {
  client: MongoClient;
}

/** Connect with a URL: the repository creates its own `MongoClient` and closes it in `close()`. */
export interface MongoUrlRepositoryOptions extends MongoRepositoryCommonOptions {
  /** A `mongodb://` or `mongodb+srv://` connection string (a secret: it never appears in an error message). */
  url: string;
  /**
   * Passed to `new MongoClient(url, clientOptions)`. Timeouts default to `serverSelectionTimeoutMS` 5 000,
   * `connectTimeoutMS` 10 000 and `socketTimeoutMS` 30 000 (see `DEFAULT_TIMEOUTS`); set them here or in the URL's
   * query string to change them.
   */
  clientOptions?: MongoClientOptions;
}

/** Options of `MongoConversationRepository`: a caller-owned `client`, or a `url`. */
export type MongoRepositoryOptions = MongoClientRepositoryOptions | MongoUrlRepositoryOptions;

/** The options after {@link readOptions}: checked, with defaults filled in. */
export interface ReadOptions {
  /** The caller's client (never closed by the repository), or `undefined` to create one from `url`. */
  client: MongoClient | undefined;
  /** With no `client`: the connection string (a secret) and the driver options. */
  url: string | undefined;
  clientOptions: MongoClientOptions | undefined;
  dbName: string;
  collectionPrefix: string;
  migrate: boolean;
  now: () => number;
}

/** The default collection-name prefix. */
const DEFAULT_PREFIX = 'fluxibly_';

/** Characters MongoDB refuses in a database name (on every platform), and NUL. */
const BAD_DB_NAME = /[/\\. "$\0]/u;

/**
 * Check every option (the messages name the option and never quote the URL or its password).
 * @throws ValidationError naming the bad option: `options`, `dbName`, `collectionPrefix`, `migrate`, `now`,
 *   `client`, `url` (also when given with `client`) or `clientOptions`.
 */
export function readOptions(options: MongoRepositoryOptions): ReadOptions {
  const read = new OptionReader(options);
  const dbName = read.string('dbName');
  if (dbName === undefined) throw new ValidationError('dbName', 'must be a non-empty string, got undefined');
  if (BAD_DB_NAME.test(dbName) || Buffer.byteLength(dbName) > 63) {
    throw new ValidationError('dbName', 'must be at most 63 bytes, without / \\ . space " $ or NUL');
  }
  const collectionPrefix = read.string('collectionPrefix', { allowEmpty: true }) ?? DEFAULT_PREFIX;
  if (/[$\0]/u.test(collectionPrefix) || collectionPrefix.startsWith('system.')) {
    throw new ValidationError('collectionPrefix', 'must not contain $ or NUL, nor start with "system."');
  }
  const migrate = read.boolean('migrate', false);
  const now = read.raw('now') ?? Date.now;
  if (typeof now !== 'function') {
    throw new ValidationError('now', 'must be a function returning epoch milliseconds');
  }
  const common = { dbName, collectionPrefix, migrate, now: now as () => number };
  const client = read.raw('client');
  if (client !== undefined) {
    if (read.raw('url') !== undefined) {
      throw new ValidationError('url', 'must not be given with client: pass either a client or a url');
    }
    if (!(client instanceof MongoClient)) throw new ValidationError('client', 'must be a MongoClient');
    return { ...common, client, url: undefined, clientOptions: undefined };
  }
  const rawUrl = read.raw('url');
  if (rawUrl === undefined) {
    throw new ValidationError('url', 'must be a mongodb:// or mongodb+srv:// URL (or pass a client)');
  }
  const url = validateConnectionUrl(rawUrl, 'url', URL_SCHEMES.mongodb ?? []);
  const clientOptions = read.raw('clientOptions');
  if (clientOptions !== undefined && (typeof clientOptions !== 'object' || clientOptions === null)) {
    throw new ValidationError('clientOptions', 'must be an object');
  }
  return { ...common, client: undefined, url, clientOptions };
}

import type { MongoClient, MongoClientOptions } from 'mongodb';

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

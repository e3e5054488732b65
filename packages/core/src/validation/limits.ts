/** The documented size limits. Input beyond them is a `ValidationError`; nothing is written. */
export const LIMITS = {
  /** Longest id (thread, message, org, user, tool call), in UTF-16 code units. */
  idLength: 255,
  /** Longest thread name or message `name`. */
  nameLength: 1_000,
  /** Largest message content, as UTF-8 JSON bytes. */
  contentBytes: 1_048_576,
  /** Largest metadata object (thread or message), as UTF-8 JSON bytes. */
  metadataBytes: 65_536,
  /** Most messages in one append. */
  batchSize: 1_000,
  /**
   * Largest append, as UTF-8 JSON bytes of every message's content and metadata added up (32 MiB). Every adapter
   * stores any batch within it (PostgreSQL's jsonb arrays, Redis's script arguments and MongoDB's transactions all
   * have room); a larger one is a `ValidationError` naming `messages`, before anything is sent.
   */
  batchBytes: 33_554_432,
  /** Largest page (`limit`) for messages and threads. */
  pageSize: 1_000,
  /** Longest search query. */
  queryLength: 1_000,
  /** Most words in a search query (runs of letters and digits: `don't` and `a-b` are two each). */
  queryTerms: 32,
  /** Most keys in a thread-listing `metadata` filter or an `expectedMetadata` compare-and-set. */
  filterKeys: 16,
  /** Threads one batch of `eraseUser` / `eraseOrg` / `pruneThreads` deletes (each batch is one bounded call). */
  eraseBatch: 100,
  /** Deepest nesting of content or metadata. */
  jsonDepth: 64,
} as const;

/** Default page sizes. */
export const DEFAULTS = {
  messagePage: 50,
  threadPage: 50,
  searchLimit: 20,
} as const;

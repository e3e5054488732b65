/**
 * The adapter's tables. SQLite has no schemas: the names are fixed, prefixed `fluxibly_` so they sit beside an
 * application's own tables in one file.
 */
export const TABLES = Object.freeze({
  threads: 'fluxibly_threads',
  messages: 'fluxibly_messages',
  /** The FTS5 index of message text (contentless: it holds tenant-keyed terms only, see `search-terms.ts`). */
  search: 'fluxibly_search',
  /** Which of this package's migrations the file has (same columns as TypeORM's migrations table). */
  migrations: 'fluxibly_migrations',
});

export { SqliteConversationRepository } from './repository.js';
export type { SqliteRepositoryOptions } from './options.js';
export { DEFAULT_PATH } from './options.js';
export { createRepositoryFromConfig } from './factory.js';
export type { SqliteInspector, SqliteQueryable } from './inspect.js';
export { inspectSqlite } from './inspect.js';
export type { FluxiblyMigration } from './migrations/index.js';
export { fluxiblyMigrations } from './migrations/index.js';
export { TABLES } from './schema.js';

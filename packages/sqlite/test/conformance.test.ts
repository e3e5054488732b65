import { runConformanceSuite } from '@fluxibly/conformance';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { SqliteConversationRepository, inspectSqlite } from '../src/index.js';
import { repositoryOn, tempFolder, unopenablePath } from './support/files.js';

/**
 * The whole conformance suite against a fresh database file made (and migrated with `migrate()`) for this run, in
 * a private temporary folder removed afterwards. Every instance opens its own connection to the file, as separate
 * processes do. The inspector reads the file through a connection of its own.
 */
const { folder, file } = tempFolder();
const path = file('conformance.sqlite');
const setup = new SqliteConversationRepository({ path });
await setup.migrate();
await setup.close();
const raw = new Database(path, { readonly: true });
afterAll(() => raw.close());
const secret = 'not-a-real-folder-7f3a';

runConformanceSuite<SqliteConversationRepository>({
  name: `sqlite file ${path}`,
  create: async () => repositoryOn(path, { migrate: false }),
  destroy: (repository) => repository.close(),
  capabilities: { fullTextSearch: true, ttl: false },
  inspect: () => inspectSqlite(raw),
  unavailable: {
    // A path that cannot be opened (its folder is inside a regular file).
    create: async () => new SqliteConversationRepository({ path: unopenablePath(folder, secret) }),
    secret,
  },
  secrets: {
    // SQLite has no credentials; the file's path is kept private as one would be (it may name a user).
    secret,
    unreachable: async () => new SqliteConversationRepository({ path: unopenablePath(folder, secret) }),
  },
});

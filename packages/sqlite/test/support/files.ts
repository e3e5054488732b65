import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { SqliteRepositoryOptions } from '../../src/index.js';
import { SqliteConversationRepository } from '../../src/index.js';

/**
 * A private folder for this test file's databases (removed after the file's tests), so parallel runs and other
 * engineers' tests never share a database file.
 */
export function tempFolder(): { folder: string; file: (name?: string) => string } {
  const folder = mkdtempSync(path.join(tmpdir(), 'fluxibly-sqlite-test-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  let next = 0;
  return { folder, file: (name) => path.join(folder, name ?? `db-${++next}.sqlite`) };
}

/** A repository on `file`, migrated before its first call. */
export function repositoryOn(file: string, options: SqliteRepositoryOptions = {}): SqliteConversationRepository {
  return new SqliteConversationRepository({ path: file, migrate: true, ...options });
}

/**
 * A path SQLite cannot open whatever the user's rights: a file inside a regular file (`ENOTDIR` when its folder is
 * made). `segment` is a folder name in the path (the secrets spec puts its secret there).
 */
export function unopenablePath(folder: string, segment = 'x'): string {
  const blocker = path.join(folder, 'a-regular-file');
  writeFileSync(blocker, 'not a folder');
  return path.join(blocker, segment, 'db.sqlite');
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConversationRepository } from '@fluxibly/core';
import { SqliteConversationRepository } from '@fluxibly/sqlite';
import { SqliteFloor } from '../floors/sqlite-floor.js';
import type { AdapterTarget } from './target.js';

/**
 * `@fluxibly/sqlite` against bare better-sqlite3. Every repository and every floor gets a fresh file in a
 * temporary folder of this run (the repository's migrated with `migrate()`); `cleanup()` removes the folder.
 */
export const sqliteTarget: AdapterTarget = {
  name: 'sqlite',
  scaleCheckMessages: 100_000,
  async setup() {
    const folder = mkdtempSync(path.join(tmpdir(), 'fluxibly-bench-sqlite-'));
    const repositories: SqliteConversationRepository[] = [];
    const floors: SqliteFloor[] = [];
    let files = 0;
    let cleaned = false;
    return {
      description: `better-sqlite3, WAL files in ${tmpdir()}`,
      async createRepository(): Promise<ConversationRepository> {
        const repository = new SqliteConversationRepository({ path: path.join(folder, `adapter-${++files}.db`) });
        await repository.migrate();
        repositories.push(repository);
        return repository;
      },
      async createFloor() {
        const floor = new SqliteFloor(path.join(folder, `floor-${++files}.db`));
        floors.push(floor);
        return Promise.resolve(floor);
      },
      async cleanup() {
        if (cleaned) return;
        cleaned = true;
        for (const repository of repositories) await repository.close();
        for (const floor of floors) await floor.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  },
};

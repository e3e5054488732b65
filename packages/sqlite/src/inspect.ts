import type { StoreInspector } from '@fluxibly/core/adapter';
import { TABLES as T } from './schema.js';
import { MESSAGE_STORED_COLUMNS, THREAD_COLUMNS } from './sql/columns.js';

/**
 * Anything that runs a query and returns its rows: a better-sqlite3 `Database` (structurally). Declared here so
 * this package's published types need no `@types/better-sqlite3`.
 */
export interface SqliteQueryable {
  prepare(sql: string): { all(...values: unknown[]): unknown[] };
}

/**
 * Raw read access to the adapter's tables: core's `StoreInspector`. `snapshot` gives every thread row (by id) and
 * every message row carrying that org (by thread id, then seq), plus the number of full-text rows of that org's
 * messages; messages are read by their own `org_id`, not through the threads, so an orphaned message shows up.
 * `messageSeqs` gives the `seq` of every message row of a thread, ascending.
 */
export type SqliteInspector = StoreInspector;

/** An inspector over the tables, through `db` (your own connection to the file: it bypasses the repository). */
export function inspectSqlite(db: SqliteQueryable): SqliteInspector {
  return {
    snapshot(orgId) {
      const threads = db.prepare(`SELECT ${THREAD_COLUMNS} FROM ${T.threads} WHERE org_id = ? ORDER BY id`).all(orgId);
      const messages = db
        .prepare(`SELECT ${MESSAGE_STORED_COLUMNS} FROM ${T.messages} WHERE org_id = ? ORDER BY thread_id, seq`)
        .all(orgId);
      const indexed = db
        .prepare(`SELECT count(*) AS n FROM ${T.search} s JOIN ${T.messages} m ON m.rowid = s.rowid WHERE m.org_id = ?`)
        .all(orgId);
      return Promise.resolve({ orgId, threads, messages, indexed });
    },
    remains({ orgId, userId }) {
      const where = userId === undefined ? 'org_id = ?' : 'org_id = ? AND user_id = ?';
      const args = userId === undefined ? [orgId] : [orgId, userId];
      const count = (sql: string): number => (db.prepare(sql).all(...args)[0] as { n: number }).n;
      return Promise.resolve(
        count(`SELECT count(*) AS n FROM ${T.threads} WHERE ${where}`) +
          count(`SELECT count(*) AS n FROM ${T.messages} WHERE ${where}`) +
          count(
            `SELECT count(*) AS n FROM ${T.search} s JOIN ${T.messages} m ON m.rowid = s.rowid WHERE m.${where.replaceAll(' AND ', ' AND m.')}`,
          ),
      );
    },
    messageSeqs(threadId) {
      const rows = db.prepare(`SELECT seq FROM ${T.messages} WHERE thread_id = ? ORDER BY seq`).all(threadId) as Array<{
        seq: number;
      }>;
      return Promise.resolve(rows.map((row) => row.seq));
    },
  };
}

import type { NewMessage, Scope } from '@fluxibly/core';
import Database from 'better-sqlite3';
import type { WorkloadSubject } from '../subject.js';

/**
 * The SQLite floor: bare better-sqlite3 on a file of its own, set up as the adapter sets up its connection (WAL,
 * `synchronous = NORMAL`, a busy timeout), doing the least SQL that still serves the workloads correctly: one
 * prepared `INSERT` per message, one transaction per batch (prepared `INSERT` per row), a tail replacement as one
 * transaction (`DELETE … seq > n`, then the rows; `seq` never reused), the newest 50 by
 * `ORDER BY seq DESC LIMIT 50` on the `(thread_id, seq)` primary key, and a user's page from an
 * `(org_id, user_id, updated_at, id)` index. `seq` comes from a counter in this process (better-sqlite3 is
 * synchronous, so concurrent callers of one process never interleave: the simplest correct sequence). No validation,
 * ids, idempotency, thread bookkeeping, full-text index, scope check or typed errors.
 */
export class SqliteFloor implements WorkloadSubject {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #newest: Database.Statement;
  readonly #list: Database.Statement;
  readonly #count: Database.Statement;
  readonly #insertThread: Database.Statement;
  readonly #batch: (threadId: string, messages: readonly NewMessage[]) => void;
  readonly #replace: (threadId: string, afterSeq: number, messages: readonly NewMessage[]) => void;
  #seq = 0;

  constructor(path: string) {
    const db = new Database(path);
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE threads (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, user_id TEXT NOT NULL,
      updated_at INTEGER NOT NULL) WITHOUT ROWID`);
    db.exec('CREATE INDEX threads_by_user ON threads (org_id, user_id, updated_at, id)');
    db.exec(`CREATE TABLE messages (thread_id TEXT NOT NULL, seq INTEGER NOT NULL, role TEXT NOT NULL,
      content TEXT NOT NULL, PRIMARY KEY (thread_id, seq)) WITHOUT ROWID`);
    this.#db = db;
    this.#insertThread = db.prepare('INSERT INTO threads VALUES (?, ?, ?, ?)');
    this.#insert = db.prepare('INSERT INTO messages VALUES (?, ?, ?, ?)');
    this.#newest = db.prepare('SELECT seq, role, content FROM messages WHERE thread_id = ? ORDER BY seq DESC LIMIT 50');
    this.#list = db.prepare(
      'SELECT id, updated_at FROM threads WHERE org_id = ? AND user_id = ? ORDER BY updated_at DESC, id DESC LIMIT 20',
    );
    this.#count = db.prepare('SELECT count(*) AS n FROM messages WHERE thread_id = ?');
    this.#batch = db.transaction((threadId: string, messages: readonly NewMessage[]) => {
      for (const message of messages) this.#insertRow(threadId, message);
    });
    const removeTail = db.prepare('DELETE FROM messages WHERE thread_id = ? AND seq > ?');
    this.#replace = db.transaction((threadId: string, afterSeq: number, messages: readonly NewMessage[]) => {
      removeTail.run(threadId, afterSeq);
      for (const message of messages) this.#insertRow(threadId, message);
    });
  }

  #insertRow(threadId: string, message: NewMessage): void {
    this.#insert.run(threadId, ++this.#seq, message.role, JSON.stringify(message.content));
  }

  async createThread(scope: Scope, threadId: string): Promise<void> {
    this.#insertThread.run(threadId, scope.orgId, scope.userId, Date.now());
    return Promise.resolve();
  }

  async appendOne(_scope: Scope, threadId: string, message: NewMessage): Promise<void> {
    this.#insertRow(threadId, message);
    return Promise.resolve();
  }

  async appendBatch(_scope: Scope, threadId: string, messages: readonly NewMessage[]): Promise<void> {
    this.#batch(threadId, messages);
    return Promise.resolve();
  }

  async replaceTail(
    _scope: Scope,
    threadId: string,
    afterSeq: number,
    _removed: number,
    messages: readonly NewMessage[],
  ): Promise<void> {
    this.#replace(threadId, afterSeq, messages);
    return Promise.resolve();
  }

  async readNewest50(_scope: Scope, threadId: string): Promise<number> {
    const rows = this.#newest.all(threadId) as Array<{ content: string }>;
    rows.reverse();
    return Promise.resolve(rows.length);
  }

  async listThreadsPage20(scope: Scope): Promise<number> {
    return Promise.resolve(this.#list.all(scope.orgId, scope.userId).length);
  }

  async messageCount(_scope: Scope, threadId: string): Promise<number> {
    return Promise.resolve((this.#count.get(threadId) as { n: number }).n);
  }

  async close(): Promise<void> {
    this.#db.close();
    return Promise.resolve();
  }
}

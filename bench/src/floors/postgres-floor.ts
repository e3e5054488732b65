import type { NewMessage, Scope } from '@fluxibly/core';
import type { Pool, QueryResult, QueryResultRow } from 'pg';
import type { WorkloadSubject } from '../subject.js';

/**
 * The PostgreSQL floor: the bare `pg` driver doing the least SQL that still serves the workloads correctly, in a
 * schema of its own. One `INSERT` per message and one multi-row `INSERT` per batch, with `seq` from a sequence
 * (the simplest counter that is safe under concurrent appenders, never reusing a seq); a tail replacement as one
 * statement (`DELETE … seq > n` and the `INSERT` in one data-modifying CTE); the newest 50 by `ORDER BY seq DESC LIMIT 50`
 * on the `(thread_id, seq)` primary key; a user's page from an `(org_id, user_id, updated_at, id)` index.
 * No validation, ids, idempotency, thread bookkeeping or typed errors: whatever the adapter costs above this is
 * the price of its guarantees. Like the adapter, it uses named prepared statements (parsed and planned once per
 * connection), and it refreshes the planner's statistics (`ANALYZE`) before its first read, so a stale estimate
 * on a just-filled table cannot make the floor slower than the index allows.
 */
export class PostgresFloor implements WorkloadSubject {
  readonly #pool: Pool;
  readonly #threads: string;
  readonly #messages: string;
  readonly #prefix: string;
  #analyzed = false;

  private constructor(pool: Pool, schema: string) {
    this.#pool = pool;
    this.#threads = `"${schema}".threads`;
    this.#messages = `"${schema}".messages`;
    this.#prefix = `floor_${schema}_`;
  }

  /** Run `text` as the named prepared statement `name` (unique per schema). */
  async #query<R extends QueryResultRow>(name: string, text: string, values: unknown[]): Promise<QueryResult<R>> {
    return this.#pool.query<R>({ name: this.#prefix + name, text, values });
  }

  /** A floor with its tables in `schema` (created here; the caller drops it). */
  static async create(pool: Pool, schema: string): Promise<PostgresFloor> {
    const floor = new PostgresFloor(pool, schema);
    await pool.query(`CREATE SCHEMA "${schema}"`);
    await pool.query(`CREATE TABLE ${floor.#threads} (
      id text COLLATE "C" PRIMARY KEY, org_id text NOT NULL, user_id text NOT NULL, updated_at timestamptz NOT NULL)`);
    await pool.query(`CREATE INDEX ON ${floor.#threads} (org_id, user_id, updated_at, id)`);
    await pool.query(`CREATE TABLE ${floor.#messages} (
      thread_id text COLLATE "C" NOT NULL, seq bigserial NOT NULL, role text NOT NULL, content jsonb NOT NULL,
      PRIMARY KEY (thread_id, seq))`);
    return floor;
  }

  async createThread(scope: Scope, threadId: string): Promise<void> {
    await this.#pool.query(`INSERT INTO ${this.#threads} VALUES ($1, $2, $3, now())`, [
      threadId,
      scope.orgId,
      scope.userId,
    ]);
  }

  async appendOne(_scope: Scope, threadId: string, message: NewMessage): Promise<void> {
    await this.#query('append', `INSERT INTO ${this.#messages} (thread_id, role, content) VALUES ($1, $2, $3)`, [
      threadId,
      message.role,
      JSON.stringify(message.content),
    ]);
  }

  async appendBatch(_scope: Scope, threadId: string, messages: readonly NewMessage[]): Promise<void> {
    const values: unknown[] = [threadId];
    const rows = messages.map((message) => {
      values.push(message.role, JSON.stringify(message.content));
      return `($1, $${values.length - 1}, $${values.length})`;
    });
    await this.#query(
      `batch${messages.length}`,
      `INSERT INTO ${this.#messages} (thread_id, role, content) VALUES ${rows.join(', ')}`,
      values,
    );
  }

  async replaceTail(
    _scope: Scope,
    threadId: string,
    afterSeq: number,
    _removed: number,
    messages: readonly NewMessage[],
  ): Promise<void> {
    // One statement (atomic, one round trip): the DELETE and the multi-row INSERT as a data-modifying CTE.
    const values: unknown[] = [threadId, afterSeq];
    const rows = messages.map((message) => {
      values.push(message.role, JSON.stringify(message.content));
      return `($1, $${values.length - 1}, $${values.length})`;
    });
    await this.#query(
      `replace${messages.length}`,
      `WITH removed AS (DELETE FROM ${this.#messages} WHERE thread_id = $1 AND seq > $2)
       INSERT INTO ${this.#messages} (thread_id, role, content) VALUES ${rows.join(', ')}`,
      values,
    );
  }

  async readNewest50(_scope: Scope, threadId: string): Promise<number> {
    if (!this.#analyzed) {
      this.#analyzed = true;
      await this.#pool.query(`ANALYZE ${this.#messages}`);
      await this.#pool.query(`ANALYZE ${this.#threads}`);
    }
    const { rows } = await this.#query(
      'newest',
      `SELECT seq, role, content FROM ${this.#messages} WHERE thread_id = $1 ORDER BY seq DESC LIMIT 50`,
      [threadId],
    );
    rows.reverse();
    return rows.length;
  }

  async listThreadsPage20(scope: Scope): Promise<number> {
    const { rows } = await this.#query(
      'list',
      `SELECT id, updated_at FROM ${this.#threads} WHERE org_id = $1 AND user_id = $2
       ORDER BY updated_at DESC, id DESC LIMIT 20`,
      [scope.orgId, scope.userId],
    );
    return rows.length;
  }

  async messageCount(_scope: Scope, threadId: string): Promise<number> {
    const { rows } = await this.#pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${this.#messages} WHERE thread_id = $1`,
      [threadId],
    );
    return rows[0]?.n ?? 0;
  }

  async close(): Promise<void> {
    // The pool belongs to the target session, which closes it in cleanup().
  }
}

import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from './options.js';

/** A SQL statement with the name it is prepared under (when prepared statements are on). */
export interface Statement {
  readonly text: string;
  readonly name: string;
}

/** A statement for `text`, named by a hash of it, so the same text always gets the same name. */
export function statement(text: string): Statement {
  return { text, name: `fluxibly_${createHash('sha1').update(text).digest('hex').slice(0, 20)}` };
}

/**
 * A family of statements that differ only in their `LIMIT`, which is written into the text as a literal (one
 * statement per limit, made once): with `LIMIT $n` PostgreSQL's plan cache keeps re-planning every call, since a
 * generic plan must assume a large limit; with a literal the cheap generic plan is reused.
 */
export type LimitedStatement = (limit: number) => Statement;

/** A {@link LimitedStatement} from a text builder (the limit is a validated integer). */
export function limitedStatement(build: (limit: string) => string): LimitedStatement {
  const made = new Map<number, Statement>();
  return (limit) => {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`bad LIMIT ${limit}`);
    let found = made.get(limit);
    if (found === undefined) made.set(limit, (found = statement(build(String(limit)))));
    return found;
  };
}

/** Something that runs a query: the pool, or a client inside a transaction. */
type Runner = Pick<Pool, 'query'> | Pick<PoolClient, 'query'>;

/** The secrets of a set of connection options: the password and the URL's password part. */
export function secretsOf(options: PostgresConnectionOptions): string[] {
  const secrets: string[] = [];
  if (options.password !== undefined && options.password.length > 0) secrets.push(options.password);
  if (options.url !== undefined) {
    try {
      const password = new URL(options.url).password;
      if (password.length > 0) secrets.push(password, decodeURIComponent(password));
    } catch {
      // Not a parseable URL: the driver will fail to connect; keep the whole URL secret.
      secrets.push(options.url);
    }
  }
  return secrets;
}

/**
 * A new TypeORM `DataSource` for the given options (not yet initialised). Never `synchronize`. Each query of its
 * pool gets pg's client-side `query_timeout` (`queryTimeoutMs`): pooler-safe (no startup parameter), and pg-pool
 * discards a connection whose query failed.
 */
export function createDataSource(
  options: PostgresConnectionOptions,
  schema: string,
  timeouts: { queryTimeoutMs: number },
): DataSource {
  const credentials =
    options.url === undefined
      ? {
          host: options.host ?? '127.0.0.1',
          port: options.port ?? 5432,
          database: options.database ?? 'postgres',
          username: options.user ?? 'postgres',
          ...(options.password === undefined ? {} : { password: options.password }),
        }
      : { url: options.url };
  return new DataSource({
    type: 'postgres',
    ...credentials,
    schema,
    applicationName: options.applicationName ?? 'fluxibly',
    poolSize: options.poolSize ?? 10,
    connectTimeoutMS: options.connectTimeoutMs ?? 10_000,
    extra: { query_timeout: timeouts.queryTimeoutMs },
    synchronize: false,
    migrationsRun: false,
    logging: false,
    entities: [],
  });
}

/**
 * The adapter's way to PostgreSQL: a TypeORM `DataSource` (made here, or the caller's), initialised on first use,
 * whose pg pool runs the hand-written statements directly. Driver errors pass through as they are: the
 * repository's error mapper (`errors.ts`, run by core's adapter kit) turns them into `FluxiblyError`s, and the
 * append (`message-ops.ts`) reads their SQLSTATE to decide on a re-run.
 */
export class Connection {
  readonly dataSource: DataSource;
  readonly #prepared: boolean;
  readonly #beforeFirstUse: ((connection: Connection) => Promise<void>) | undefined;
  #ready: Promise<Pool> | undefined;
  #initialising: Promise<DataSource> | undefined;

  constructor(options: {
    dataSource: DataSource;
    preparedStatements: boolean;
    beforeFirstUse?: (connection: Connection) => Promise<void>;
  }) {
    this.dataSource = options.dataSource;
    this.#prepared = options.preparedStatements;
    this.#beforeFirstUse = options.beforeFirstUse;
  }

  /**
   * The DataSource, initialised. Concurrent callers share one attempt (so only one pool is ever made); a failed
   * attempt is forgotten, so the next call tries again.
   */
  initialised(): Promise<DataSource> {
    if (this.dataSource.isInitialized) return Promise.resolve(this.dataSource);
    this.#initialising ??= this.dataSource.initialize().then(
      (dataSource) => {
        this.#initialising = undefined;
        return dataSource;
      },
      (error: unknown) => {
        this.#initialising = undefined;
        if (this.dataSource.isInitialized) return this.dataSource; // initialised elsewhere meanwhile
        throw error;
      },
    );
    return this.#initialising;
  }

  /** The pg pool of the DataSource, after the DataSource is initialised and the start-up hook has run. */
  pool(): Promise<Pool> {
    this.#ready ??= this.#open().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #open(): Promise<Pool> {
    const dataSource = await this.initialised();
    const pool = (dataSource.driver as unknown as { master?: Pool }).master;
    if (pool === undefined) throw new Error('the DataSource has no PostgreSQL pool (is its type postgres?)');
    await this.#beforeFirstUse?.(this);
    return pool;
  }

  /** Run one statement on `runner` (default: the pool, one round trip) and return its rows. */
  async query<R extends QueryResultRow>(
    sql: Statement,
    values: readonly unknown[],
    runner?: Runner,
  ): Promise<{ rows: R[]; rowCount: number }> {
    const target = runner ?? (await this.pool());
    const result = await target.query<R>(
      this.#prepared
        ? { name: sql.name, text: sql.text, values: values as unknown[] }
        : { text: sql.text, values: values as unknown[] },
    );
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  }

  /** Run `work` in a transaction on one pooled client (BEGIN … COMMIT, ROLLBACK on failure). */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const pool = await this.pool();
    const client = await pool.connect();
    let dead = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        dead = true;
      });
      throw error;
    } finally {
      // A client that could not even roll back holds a dead connection: let the pool discard it.
      client.release(dead ? true : undefined);
    }
  }
}

import pg from 'pg';

/**
 * Counts the statements every pg client in this process sends, by wrapping `pg.Client.prototype.query` (the
 * driver call TypeORM's pool and the adapter both go through). Only statements of connections whose
 * `application_name` is `applicationName` are counted, so the test's own raw connections do not interfere.
 */
export class StatementCounter {
  readonly statements: string[] = [];
  /** The parameters of each counted statement (same index as `statements`). */
  readonly values: unknown[][] = [];
  readonly #original = pg.Client.prototype.query;
  readonly #applicationName: string;

  constructor(applicationName: string) {
    this.#applicationName = applicationName;
  }

  start(): void {
    const original = this.#original;
    const statements = this.statements;
    const valueLists = this.values;
    const applicationName = this.#applicationName;
    pg.Client.prototype.query = function (
      this: pg.Client & { connectionParameters?: { application_name?: string } },
      ...args: unknown[]
    ) {
      if (this.connectionParameters?.application_name === applicationName) {
        const first = args[0];
        const config = first as { text?: unknown; values?: unknown[] };
        statements.push(typeof first === 'string' ? first : String(config.text));
        valueLists.push((typeof first === 'string' ? (args[1] as unknown[] | undefined) : config.values) ?? []);
      }
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof pg.Client.prototype.query;
  }

  stop(): void {
    pg.Client.prototype.query = this.#original;
  }

  /** How many statements `work` sent. */
  async count(work: () => Promise<unknown>): Promise<number> {
    const before = this.statements.length;
    await work();
    return this.statements.length - before;
  }
}

import { randomBytes } from 'node:crypto';
import { redactUrl } from '@fluxibly/core';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExample } from './run-example.js';
import { expectSameAsMemory, PROGRAM_TIMEOUT, PROGRAMS } from './same-as-memory.js';

/**
 * The three programs, unchanged, on `DB_BACKEND=postgresql`: a fresh database per run (created here, migrated
 * with `pnpm run migrate`'s program as an operator would, dropped afterwards). Under `CI=true` a missing server
 * fails; locally it is a one-line skip.
 */
const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const database = `fluxibly_examples_${randomBytes(6).toString('hex')}`;
const url = new URL(SERVER_URL);
url.pathname = `/${database}`;
const DATABASE_URL = url.toString();

/** Run SQL on the server's default database (a TypeORM DataSource: this package has no @types/pg). */
async function admin(sql: string): Promise<void> {
  const dataSource = new DataSource({ type: 'postgres', url: SERVER_URL, connectTimeoutMS: 2_000 });
  await dataSource.initialize();
  try {
    await dataSource.query(sql);
  } finally {
    await dataSource.destroy();
  }
}

/** `undefined` when the server answers (polled with a deadline), else why not. */
async function reachable(): Promise<string | undefined> {
  const deadline = Date.now() + 5_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await admin('SELECT 1');
      return undefined;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return `PostgreSQL not reachable at ${new URL(SERVER_URL).host}: ${String((last as Error | undefined)?.message)}`;
}

const unreachable = await reachable();
if (unreachable !== undefined && process.env.CI === 'true') throw new Error(unreachable);

const ENV = { DB_BACKEND: 'postgresql', DATABASE_URL };

describe.skipIf(unreachable !== undefined)(
  unreachable === undefined
    ? 'example programs on DB_BACKEND=postgresql'
    : `postgres examples (skipped: ${unreachable})`,
  () => {
    beforeAll(async () => {
      await admin(`CREATE DATABASE "${database}"`);
    });

    afterAll(async () => {
      await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    });

    // The operator step, first: the programs themselves are unchanged.
    it(
      'migrate lists the migrations it applied, then says the schema was already up to date',
      async () => {
        const first = await runExample('src/migrate.ts', ENV);
        expect(first.stderr).toBe('');
        expect(first.stdout).toMatch(/^✓ Applied \d+: \w+\d{13}/m);
        const second = await runExample('src/migrate.ts', ENV);
        expect(second.stdout).toContain('✓ Schema was already up to date: nothing applied');
        expect(second.stdout).not.toMatch(/Applied/);
      },
      PROGRAM_TIMEOUT,
    );

    it.each(PROGRAMS)(
      '%s prints what it prints on memory (except the backend lines)',
      { timeout: PROGRAM_TIMEOUT },
      (file) =>
        expectSameAsMemory(file, ENV, {
          backendLine: new RegExp(`^Backend: postgresql at postgres://.*@.*/${database}$`),
          configLineContains: ['"backend":"postgresql"', JSON.stringify(redactUrl(DATABASE_URL))],
        }),
    );
  },
);

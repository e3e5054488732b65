import { randomBytes } from 'node:crypto';
import { PostgresConversationRepository } from '@fluxibly/postgres';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalise, runExample } from './run-example.js';

/**
 * The three programs, unchanged, on `DB_BACKEND=postgresql`: a fresh database per run (created here, migrated
 * with the package's `migrate()` as an operator would, dropped afterwards). Under `CI=true` a missing server
 * fails; locally it is a one-line skip.
 */
const TIMEOUT = 60_000;
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
      // The operator step: apply the migrations once; the programs themselves are unchanged.
      const repository = new PostgresConversationRepository({ url: DATABASE_URL });
      await repository.migrate();
      await repository.close();
    });

    afterAll(async () => {
      await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    });

    /**
     * The program's normalised output without what differs by design: the lines naming the backend and its
     * configuration, and the random run suffix of user and org ids.
     */
    function comparable(stdout: string): string[] {
      return normalise(stdout)
        .lines.filter(
          (line) =>
            !line.startsWith('Backend: ') &&
            !line.startsWith('  Session 2: ') &&
            !line.startsWith('  StateConfig.fromEnv() = '),
        )
        .map((line) => line.replace(/-[0-9a-f]{8}\b/g, '-<run>'));
    }

    it.each([
      'src/test-persistent-rag-workflow.ts',
      'src/persistent-conversation-demo.ts',
      'src/workflow-with-persistence.ts',
    ])('%s prints what it prints on memory (except the backend lines)', { timeout: TIMEOUT }, async (file) => {
      const [onPostgres, onMemory] = await Promise.all([
        runExample(file, ENV),
        runExample(file, { DB_BACKEND: 'memory' }),
      ]);
      expect(onPostgres.stderr).toBe('');
      expect(onPostgres.code).toBe(0);
      expect(onMemory.code).toBe(0);
      const lines = normalise(onPostgres.stdout).lines;
      expect(lines[0]).toMatch(new RegExp(`^Backend: postgresql at postgres://.*@.*/${database}$`));
      if (file !== 'src/test-persistent-rag-workflow.ts') {
        expect(lines).toContain(
          '  Session 2: a new StateManager on a second repository from createRepository (its own connection)',
        );
      }
      for (const line of lines.filter((l) => l.startsWith('  StateConfig.fromEnv() = '))) {
        expect(line).toContain('"backend":"postgresql"');
        expect(line).toContain('postgres://***@');
      }
      expect(comparable(onPostgres.stdout)).toEqual(comparable(onMemory.stdout));
    });
  },
);

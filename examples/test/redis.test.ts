import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './private-redis-server.js';
import { runExample } from './run-example.js';
import { expectSameAsMemory, PROGRAM_TIMEOUT, PROGRAMS } from './same-as-memory.js';

/**
 * The three programs, unchanged, on `DB_BACKEND=redis`, against a redis-server this test starts on a free
 * loopback port (nothing kept on disk) and stops afterwards, so no key is left anywhere. Under `CI=true` a
 * missing `redis-server` binary fails; locally it is a one-line skip.
 */
const TIMEOUT = 60_000;
const DEADLINE_MS = 10_000;
const hasServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasServer && process.env.CI === 'true') throw new Error('redis-server is required when CI=true');

/** Poll PING until the server answers, with a deadline (no sleep: each failed attempt is a refused connection). */
async function waitForPing(url: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`redis-server at ${url} did not answer PING`, { cause: error });
    } finally {
      client.disconnect();
    }
  }
}

describe.skipIf(!hasServer)(
  hasServer ? 'example programs on DB_BACKEND=redis' : 'redis examples (skipped: no redis-server binary)',
  () => {
    let server: ChildProcess | undefined;
    let REDIS_URL = '';

    beforeAll(async () => {
      const port = await freePort();
      REDIS_URL = `redis://127.0.0.1:${port}`;
      server = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
          '--dir',
          tmpdir(),
        ],
        { stdio: 'ignore' },
      );
      await waitForPing(REDIS_URL);
    }, TIMEOUT);

    afterAll(async () => {
      const child = server;
      if (child?.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    });

    it.each(PROGRAMS)(
      '%s prints what it prints on memory (except the backend lines)',
      { timeout: PROGRAM_TIMEOUT },
      (file) =>
        expectSameAsMemory(
          file,
          { DB_BACKEND: 'redis', REDIS_URL },
          {
            backendLine: `Backend: redis at ${REDIS_URL}`,
            configLineContains: ['"backend":"redis"'],
          },
        ),
    );

    it('REDIS_KEY_PREFIX: every key the program touches carries the prefix', { timeout: PROGRAM_TIMEOUT }, async () => {
      const prefix = `examples-${randomUUID().slice(0, 8)}:`;
      // MONITOR sees every command of every client, with its arguments (keys among them).
      const monitor = await new Redis(REDIS_URL).monitor();
      const args: string[] = [];
      monitor.on('monitor', (_time: string, command: string[]) => args.push(...command.slice(1)));
      try {
        const run = await runExample('src/persistent-conversation-demo.ts', {
          DB_BACKEND: 'redis',
          REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
        });
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(run.stdout).toContain(`Backend: redis at ${REDIS_URL}, key prefix "${prefix}"`);
      } finally {
        monitor.disconnect();
      }
      expect(args.filter((arg) => arg.startsWith(prefix)).length).toBeGreaterThan(0);
      expect(args.filter((arg) => arg.startsWith('fluxibly:'))).toEqual([]);
    });

    it('REDIS_KEY_PREFIX reaches the adapter, which rejects a bad one naming keyPrefix', async () => {
      const run = await runExample('src/persistent-conversation-demo.ts', {
        DB_BACKEND: 'redis',
        REDIS_URL,
        REDIS_KEY_PREFIX: 'bad{prefix}:',
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/ValidationError.*keyPrefix/);
    });
  },
);

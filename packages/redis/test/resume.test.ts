import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisConversationRepository } from '../src/index.js';
import { IN_CI, probeStandalone, REDIS_URL, removePrefix, runPrefix } from './support/redis.js';

/**
 * Resumption across processes: this process writes a conversation, a new Node process (tsx, `@fluxibly/source`
 * condition) opens the store with `createRepository` and `DB_BACKEND=redis`, reads it and continues it; this
 * process then sees the continuation.
 */
const version = await probeStandalone();
if (version === undefined && IN_CI) throw new Error(`redis at ${REDIS_URL} is required when CI=true`);

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

function runChild(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['--conditions=@fluxibly/source', 'test/fixtures/resume-child.ts'], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(version === undefined)(
  version === undefined ? `resumption: skipped, redis at ${REDIS_URL} is not reachable` : 'resumption across processes',
  () => {
    const keyPrefix = runPrefix('resume');
    const admin = new Redis(REDIS_URL);
    afterAll(async () => {
      await removePrefix(admin, keyPrefix);
      await admin.quit();
    });

    it('a new process continues a conversation this one wrote', { timeout: 60_000 }, async () => {
      const repo = new RedisConversationRepository({ url: REDIS_URL, keyPrefix });
      const scope = { orgId: `org-${randomUUID()}`, userId: 'resume-user' };
      try {
        const thread = await repo.createThread(scope, { name: 'resumed' });
        await repo.appendMessages(scope, {
          threadId: thread.id,
          messages: [
            { role: 'system', content: 'You are terse.' },
            { role: 'user', content: 'Remember: 🦊 {"a": 1}' },
          ],
        });
        const child = await runChild({
          DB_BACKEND: 'redis',
          REDIS_URL,
          RESUME_THREAD_ID: thread.id,
          RESUME_ORG_ID: scope.orgId,
          RESUME_KEY_PREFIX: keyPrefix,
        });
        expect(child.stderr).toBe('');
        expect(child.code).toBe(0);
        expect(JSON.parse(child.stdout)).toEqual({
          backend: 'RedisConversationRepository',
          read: [
            [1, 'system', 'You are terse.'],
            [2, 'user', 'Remember: 🦊 {"a": 1}'],
          ],
        });
        const page = await repo.getMessages(scope, { threadId: thread.id });
        expect(page?.messages.map((m) => [m.seq, m.role, m.content])).toEqual([
          [1, 'system', 'You are terse.'],
          [2, 'user', 'Remember: 🦊 {"a": 1}'],
          [3, 'assistant', 'I read 2 messages in another process'],
        ]);
        expect(page?.messages[2]?.metadata.pid).not.toBe(process.pid);
        expect((await repo.getThread(scope, thread.id))?.lastSeq).toBe(3);
      } finally {
        await repo.close();
      }
    });
  },
);

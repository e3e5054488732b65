import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { DATABASE_URL, dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import { describeWithServer } from './support/server.js';

/**
 * Resumption across processes: this process writes a conversation; a NEW Node process finds the adapter through
 * `createRepository` (DB_BACKEND=postgresql), reads the conversation back and continues it; this process then
 * sees the continuation.
 */
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const schema = freshSchema('fluxibly_resume');
const pool = rawPool();

afterAll(async () => {
  await dropSchema(pool, schema);
  await pool.end();
});

function runChild(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@fluxibly/source', '--import', 'tsx', 'test/fixtures/resume-child.ts'],
      { cwd: PACKAGE_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

await describeWithServer('resumption across processes', () => {
  // Spawning tsx compiles the child: allow for a busy machine.
  it(
    'a second Node process reads the conversation through createRepository and continues it',
    { timeout: 60_000 },
    async () => {
      const scope = { orgId: 'org-resume', userId: 'user-resume' };
      const writer = repositoryIn(schema, { migrate: true });
      try {
        const thread = await writer.createThread(scope, { name: 'Travel Planning' });
        await writer.appendMessages(scope, {
          threadId: thread.id,
          messages: [
            { role: 'user', content: 'Plan a trip to Tokyo' },
            { role: 'assistant', content: [{ type: 'text', text: 'Day 1: Asakusa 🏮' }] },
          ],
        });
        const child = await runChild({
          DB_BACKEND: 'postgresql',
          DATABASE_URL,
          DEFAULT_USER_ID: scope.userId,
          DEFAULT_ORG_ID: scope.orgId,
          RESUME_SCHEMA: schema,
          RESUME_THREAD_ID: thread.id,
        });
        expect(child.stderr).toBe('');
        expect(child.code).toBe(0);
        const report = JSON.parse(child.stdout) as { pid: number; adapter: string; read: unknown[] };
        expect(report.pid).not.toBe(process.pid);
        expect(report.adapter).toBe('PostgresConversationRepository');
        expect(report.read).toEqual([
          { seq: 1, role: 'user', content: 'Plan a trip to Tokyo' },
          { seq: 2, role: 'assistant', content: [{ type: 'text', text: 'Day 1: Asakusa 🏮' }] },
        ]);
        const page = await writer.getMessages(scope, { threadId: thread.id });
        expect(page?.messages.map((m) => [m.seq, m.role, m.content, m.metadata])).toEqual([
          [1, 'user', 'Plan a trip to Tokyo', {}],
          [2, 'assistant', [{ type: 'text', text: 'Day 1: Asakusa 🏮' }], {}],
          [3, 'assistant', 'continued after 2 messages', { pid: report.pid }],
        ]);
      } finally {
        await writer.close();
      }
    },
  );
});

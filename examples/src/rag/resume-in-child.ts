import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Scope } from '@fluxibly/core';
import { CheckFailedError } from '../support/checks.js';

/** The second process's program. */
const CHILD = fileURLToPath(new URL('./resume-child.ts', import.meta.url));

/**
 * Run session 3 of the RAG suite in a second Node process that knows only the environment (`DB_BACKEND=sqlite`,
 * `SQLITE_PATH`), the scope and the thread id: it opens the same file through `createRepository`, resumes the
 * thread, checks every message so far and answers the next question. Its output is printed here, after one line
 * naming it. @throws CheckFailedError when it fails (with what it printed on stderr).
 */
export async function resumeInChildProcess(input: {
  scope: Scope;
  threadId: string;
  idsSoFar: readonly string[];
}): Promise<void> {
  // The same Node options as this process (tsx's loader, the source condition), so the child runs the same way.
  const child = spawn(process.execPath, [...process.execArgv, CHILD], {
    env: {
      ...process.env,
      RESUME_USER_ID: input.scope.userId,
      RESUME_ORG_ID: input.scope.orgId,
      RESUME_THREAD_ID: input.threadId,
      RESUME_IDS: JSON.stringify(input.idsSoFar),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  console.log(`  A second process (pid ${child.pid ?? '?'}) resumes from the same database file:`);
  process.stdout.write(stdout);
  if (code !== 0) throw new CheckFailedError(`the second process failed (exit ${code}): ${stderr.trim()}`);
}

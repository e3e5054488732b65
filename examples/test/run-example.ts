import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The examples package directory. */
export const EXAMPLES_DIR = fileURLToPath(new URL('..', import.meta.url));

/** tsx as this package installed it (`node_modules/.bin/tsx` runs node with tsx's CLI). */
const TSX = path.join(EXAMPLES_DIR, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');

/** The variables `StateConfig.fromEnv()` reads: cleared so the developer's shell cannot change a test's outcome. */
const CONFIG_VARIABLES = [
  'DB_BACKEND',
  'DB_HOST',
  'DB_PORT',
  'DB_NAME',
  'DB_USER',
  'DB_PASSWORD',
  'DATABASE_URL',
  'REDIS_URL',
  'REDIS_KEY_PREFIX',
  'MONGODB_URL',
  'MONGODB_DB',
  'SQLITE_PATH',
  'ENABLE_DB_PERSISTENCE',
  'DEFAULT_USER_ID',
  'DEFAULT_ORG_ID',
];

/** What a finished example program did. */
export interface ExampleRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run a program (`file`, relative to the examples directory, e.g. `src/persistent-conversation-demo.ts`) as a
 * child process with tsx and the `@fluxibly/source` condition, with `env` on top of a clean configuration.
 */
export function runExample(file: string, env: Record<string, string>): Promise<ExampleRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete childEnv[name];
  Object.assign(childEnv, env);
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['--conditions=@fluxibly/source', file], {
      cwd: EXAMPLES_DIR,
      env: childEnv,
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

/** The output's lines with every UUID replaced by `<id>`, and the ids in order of appearance. */
export function normalise(output: string): { lines: string[]; ids: string[] } {
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  return { lines: output.replace(uuid, '<id>').split('\n'), ids: output.match(uuid) ?? [] };
}

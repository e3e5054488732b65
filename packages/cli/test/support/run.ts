import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built binary, as `npm install -g @fluxibly/cli` runs it (`pnpm build` makes it; CI builds before testing). */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** Fail clearly when the package was not built. */
export function requireBuild(): void {
  if (!existsSync(BIN))
    throw new Error(`${BIN} is missing: run \`pnpm build\` (or \`pnpm --filter @fluxibly/cli build\`) first`);
}

/** The environment of a spawned `fluxibly`: the process's, minus every backend variable (the tests pass env files). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(DB_|DATABASE_URL|REDIS_|MONGODB_|SQLITE_|FLUXIBLY_)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** What a finished run printed and returned. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Start `fluxibly …args` as a child process. */
export function start(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run `fluxibly …args` to the end. */
export async function run(args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
  return finished(start(args, env));
}

/** Wait for a started child to end, with what it printed. */
export function finished(child: ChildProcess): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

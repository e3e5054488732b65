import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The package folder: children run there, so `@fluxibly/sqlite` resolves to this package's sources. */
export const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** A Node child running `fixture` (a TypeScript file under `test/fixtures/`) through tsx, on the sources. */
export function spawnFixture(fixture: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--conditions=@fluxibly/source', '--import', 'tsx', `test/fixtures/${fixture}`], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Collect a child's output, line by line, and its end. */
export function watch(child: ChildProcess): {
  lines: string[];
  stderr: () => string;
  line: (test: (line: string) => boolean) => Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  const lines: string[] = [];
  const waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = [];
  let stderr = '';
  let pending = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    let end: number;
    while ((end = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      lines.push(line);
      for (const waiter of waiters.splice(0)) {
        if (waiter.test(line)) waiter.resolve(line);
        else waiters.push(waiter);
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    lines,
    stderr: () => stderr,
    line: (test) =>
      new Promise((resolve, reject) => {
        const found = lines.find(test);
        if (found !== undefined) resolve(found);
        else waiters.push({ test, resolve });
        void exit.then(() => reject(new Error(`the child ended without that line; stderr: ${stderr}`)));
      }),
    exit,
  };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The pinned MongoDB-wire-compatible stand-in (NOT MongoDB): `@jongodb/memory-server-bin-linux-x64-gnu`. */
export const STAND_IN_PACKAGE = '@jongodb/memory-server-bin-linux-x64-gnu';

/** A running stand-in server. */
export interface StandIn {
  readonly url: string;
  readonly version: string;
  stop(): Promise<void>;
}

/**
 * Start the stand-in on a free loopback port and wait (with a deadline) for the line announcing its URL.
 * @throws Error when the binary is missing, exits, or does not announce a URL in time.
 */
export async function startStandIn(deadlineMs = 20_000): Promise<StandIn> {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve(`${STAND_IN_PACKAGE}/package.json`);
  const manifest = require(manifestPath) as { version: string; jongodb?: { binary?: string } };
  const binary = path.join(path.dirname(manifestPath), manifest.jongodb?.binary ?? 'bin/jongodb');
  const child = spawn(binary, ['--host=127.0.0.1', '--port=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await announcedUrl(child, deadlineMs);
  return {
    url,
    version: manifest.version,
    stop: () => stopChild(child),
  };
}

function announcedUrl(child: ChildProcess, deadlineMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the MongoDB stand-in did not announce its URL within ${deadlineMs} ms`));
    }, deadlineMs);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const match = /JONGODB_URI=(mongodb:\/\/\S+)/u.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.resume();
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the MongoDB stand-in exited (code ${String(code)}) before announcing its URL`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

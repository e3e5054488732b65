import { FluxiblyError } from '@fluxibly/core';
import type { Backend } from './backend.js';
import { describeBackend, openBackend } from './backend.js';
import { CheckFailedError } from './checks.js';

/** Undo steps registered while a program runs (deleting the threads it made), run last-first at the end. */
export class Cleanup {
  readonly #steps: (() => Promise<unknown>)[] = [];

  /** Run `step` when the program ends, whether it succeeded or not. */
  add(step: () => Promise<unknown>): void {
    this.#steps.push(step);
  }

  /** Run every step, last first; throws the first failure after trying them all. */
  async run(): Promise<void> {
    const failures: unknown[] = [];
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}

/**
 * Run an example program: open the backend the environment selects and print it in one line, run `body`, then
 * delete what the run stored and close the repository. Any failure (a check, a bad environment variable, an
 * unreachable server) is printed as `✗ reason` on stderr and makes the process exit with code 1.
 */
export async function runProgram(body: (backend: Backend, cleanup: Cleanup) => Promise<void>): Promise<void> {
  let backend: Backend | undefined;
  const cleanup = new Cleanup();
  try {
    backend = await openBackend();
    console.log(describeBackend(backend.config.database));
    await body(backend, cleanup);
  } catch (error) {
    fail(error);
  }
  try {
    await cleanup.run();
  } catch (error) {
    fail(error, 'cleanup failed: ');
  }
  try {
    await backend?.repository.close();
  } catch (error) {
    fail(error, 'close failed: ');
  }
}

function fail(error: unknown, prefix = ''): void {
  process.exitCode = 1;
  console.error(`✗ ${prefix}${reasonOf(error)}`);
}

/** The reason to print: the check's text, or the error's class, code and message (plus its cause for UNAVAILABLE). */
function reasonOf(error: unknown): string {
  if (error instanceof CheckFailedError) return error.message;
  if (error instanceof FluxiblyError) {
    const cause =
      error.code === 'UNAVAILABLE' && error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
    return `${error.name} [${error.code}] ${error.message}${hidePasswords(cause)}`;
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Mask `user:password@` in any URL a driver's message might quote. */
function hidePasswords(text: string): string {
  return text.replace(/\/\/([^:/@\s]*):[^@\s]*@/g, '//$1:***@');
}

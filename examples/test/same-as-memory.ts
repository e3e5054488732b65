import { expect } from 'vitest';
import { normalise, runExample } from './run-example.js';

/** The programs every backend's test runs. */
export const PROGRAMS = [
  'src/test-persistent-rag-workflow.ts',
  'src/persistent-conversation-demo.ts',
  'src/workflow-with-persistence.ts',
  'src/chat-flows.ts',
] as const;

/** Each spawn compiles the program with tsx; allow for a busy machine. */
export const PROGRAM_TIMEOUT = 60_000;

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
        !line.startsWith('  A second process (pid ') &&
        !line.startsWith('  StateConfig.fromEnv() = '),
    )
    .map((line) => line.replace(/-[0-9a-f]{8}\b/g, '-<run>'));
}

/** What a backend's run must show beyond printing what memory prints. */
export interface BackendExpectations {
  /** The first line, `Backend: …` (exact, or a pattern when it holds a generated name). */
  readonly backendLine: string | RegExp;
  /** Strings every `StateConfig.fromEnv() = …` line must contain (e.g. `"backend":"redis"`). */
  readonly configLineContains: readonly string[];
}

/**
 * Run `file` on `env` and on memory at once, and check that both succeed, that the backend run names its backend,
 * resumes session 2 on a second repository (the demo and the workflow), and otherwise prints what memory prints.
 */
export async function expectSameAsMemory(
  file: string,
  env: Record<string, string>,
  expected: BackendExpectations,
): Promise<void> {
  const [onBackend, onMemory] = await Promise.all([runExample(file, env), runExample(file, { DB_BACKEND: 'memory' })]);
  expect(onBackend.stderr).toBe('');
  expect(onBackend.code).toBe(0);
  expect(onMemory.code).toBe(0);
  const lines = normalise(onBackend.stdout).lines;
  if (typeof expected.backendLine === 'string') expect(lines[0]).toBe(expected.backendLine);
  else expect(lines[0]).toMatch(expected.backendLine);
  if (file !== 'src/test-persistent-rag-workflow.ts') {
    expect(lines).toContain(
      '  Session 2: a new StateManager on a second repository from createRepository (its own connection)',
    );
  }
  for (const line of lines.filter((l) => l.startsWith('  StateConfig.fromEnv() = '))) {
    for (const part of expected.configLineContains) expect(line).toContain(part);
  }
  expect(comparable(onBackend.stdout)).toEqual(comparable(onMemory.stdout));
}

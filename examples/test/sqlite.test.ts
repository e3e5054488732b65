import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalise, runExample } from './run-example.js';
import { expectSameAsMemory, PROGRAM_TIMEOUT, PROGRAMS } from './same-as-memory.js';

/**
 * The example programs, unchanged, on `DB_BACKEND=sqlite`, each on a file in a private temporary folder (removed
 * afterwards). No server: the adapter and its driver are all it needs. The RAG suite's session 3 runs in a second
 * Node process that opens the same file.
 */
const folder = mkdtempSync(path.join(tmpdir(), 'fluxibly-examples-sqlite-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('example programs on DB_BACKEND=sqlite', () => {
  it.each(PROGRAMS)('%s prints what it prints on memory', { timeout: PROGRAM_TIMEOUT }, async (file) => {
    const SQLITE_PATH = path.join(folder, `${path.basename(file, '.ts')}.db`);
    await expectSameAsMemory(
      file,
      { DB_BACKEND: 'sqlite', SQLITE_PATH },
      { backendLine: `Backend: sqlite file ${SQLITE_PATH}`, configLineContains: ['"backend":"sqlite"'] },
    );
    expect(existsSync(SQLITE_PATH)).toBe(true);
  });

  it(
    'the RAG suite resumes session 3 in a second process reading the same file',
    { timeout: PROGRAM_TIMEOUT },
    async () => {
      const SQLITE_PATH = path.join(folder, 'resume.db');
      const run = await runExample('src/test-persistent-rag-workflow.ts', { DB_BACKEND: 'sqlite', SQLITE_PATH });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const { lines } = normalise(run.stdout);
      const at = lines.indexOf('SESSION 3: Resume Conversation (simulated new session)');
      expect(lines[at + 1]).toMatch(/^ {2}A second process \(pid \d+\) resumes from the same database file:$/);
      expect(lines.slice(at + 2, at + 5)).toEqual([
        '✓ Resumed thread: <id>',
        '✓ Loaded 4 messages from database',
        '✓ Final conversation: 6 messages across 3 turns',
      ]);
      // Run again on the same file: the run's own ids never meet the last run's data.
      const again = await runExample('src/test-persistent-rag-workflow.ts', { DB_BACKEND: 'sqlite', SQLITE_PATH });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('ALL TESTS COMPLETED SUCCESSFULLY');
    },
  );
});

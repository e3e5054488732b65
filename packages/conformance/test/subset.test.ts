import { inspectMemoryStore, MemoryConversationRepository, MemoryStore } from '@fluxibly/memory';
import type { RunnerTask, RunnerTestCase } from 'vitest';
import { describe, expect, it, vi } from 'vitest';
import type { GroupId } from '../src/index.js';
import { runConformanceSuite } from '../src/index.js';

/**
 * A subset of groups, one test skipped by id, one group skipped whole, and a cleanup hook: checked from the
 * outside, after the suite ran, in vitest's own task tree.
 */
const store = new MemoryStore();
const cleanups: GroupId[] = [];
const info = vi.spyOn(console, 'info');

runConformanceSuite({
  name: 'memory, a subset',
  create: async () => new MemoryConversationRepository({ store }),
  destroy: (repository) => repository.close(),
  capabilities: { fullTextSearch: true, ttl: false },
  inspect: () => inspectMemoryStore(store),
  groups: ['fork', 'capabilities', 'thread-ties'],
  skip: { 'fork/at-zero': 'checks that a skip by id skips', 'thread-ties': 'checks that a group skip skips it all' },
  cleanup: (group) => {
    cleanups.push(group);
  },
});

function testsOf(task: RunnerTask): RunnerTestCase[] {
  return task.type === 'test' ? [task] : task.tasks.flatMap(testsOf);
}

describe('after the subset ran', () => {
  it('only the chosen groups ran, in the suite order', ({ task }) => {
    const root = task.file.tasks.find((t) => t.name.startsWith('@fluxibly/conformance'));
    expect(root?.type === 'suite' ? root.tasks.map((t) => t.name) : []).toEqual([
      'capabilities',
      'forkThread',
      'thread listing ties',
    ]);
  });

  it('the skipped test id (and only it) was skipped; every other fork test passed', ({ task }) => {
    const fork = testsOf(task.file).filter((t) => t.suite?.name === 'forkThread');
    expect(fork.length).toBe(7);
    const skipped = fork.filter((t) => t.result?.state === 'skip' || t.mode === 'skip');
    expect(skipped.map((t) => t.name)).toEqual(['at 0 makes an empty thread whose first append gets seq 1']);
    expect(fork.filter((t) => t.result?.state === 'pass').length).toBe(6);
  });

  it('a group skip skips all its cases', ({ task }) => {
    const ties = testsOf(task.file).filter((t) => t.suite?.name === 'thread listing ties');
    expect(ties.length).toBeGreaterThan(1);
    expect(ties.every((t) => t.mode === 'skip')).toBe(true);
  });

  it('cleanup ran once per group that ran, after it', () => {
    expect(cleanups).toEqual(['capabilities', 'fork']);
  });

  it('each skip was printed once, as one line', () => {
    const lines = info.mock.calls.map((call) => String(call[0]));
    expect(lines.filter((line) => line.includes('skip fork/at-zero'))).toEqual([
      '[conformance] skip fork/at-zero: checks that a skip by id skips',
    ]);
    expect(lines.filter((line) => line.includes('skip thread-ties'))).toHaveLength(1);
  });
});

import type { RunnerTask, RunnerTestCase, RunnerTestSuite } from 'vitest';

/**
 * Whether `test` is the last test that runs in its spec group: the `describe` directly under the suite's root
 * `describe` (named `rootPrefix…`). Every conformance spec keeps its fixtures (made in `beforeAll`) inside its
 * own group, so once a group's last test has run, nothing stored for it is needed again.
 */
export function endsSpecGroup(test: RunnerTestCase, rootPrefix: string): boolean {
  let group: RunnerTask = test;
  let parent = test.suite;
  while (parent !== undefined && !parent.name.startsWith(rootPrefix)) {
    group = parent;
    parent = parent.suite;
  }
  if (parent === undefined) return false;
  if (group.type === 'test') return true;
  const runnable = testsOf(group).filter((task) => task.mode === 'run' || task.mode === 'only');
  return runnable[runnable.length - 1] === test;
}

function testsOf(suite: RunnerTestSuite): RunnerTestCase[] {
  return suite.tasks.flatMap((task) => (task.type === 'test' ? [task] : testsOf(task)));
}

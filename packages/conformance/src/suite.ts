import type { ConversationRepository } from '@fluxibly/core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { freshScope } from './context.js';
import type { ConformanceGroup, GroupContext } from './group.js';
import type { ConformanceOptions, StoreInspector } from './options.js';
import { planSuite } from './plan.js';
import { trackedIt } from './tracked-it.js';

/** The least time any conformance test gets; heavier specs set more. */
const TEST_TIMEOUT_MS = 60_000;

/**
 * Register the conformance suite with vitest — every group, or the `groups` asked for. Call it at the top level of
 * a test file:
 *
 * ```ts
 * runConformanceSuite({ name: 'my adapter', create, destroy, capabilities, inspect });
 * ```
 *
 * Throws (so the test file fails to load) when `groups` or `skip` names an id the suite does not have.
 */
export function runConformanceSuite<R extends ConversationRepository>(options: ConformanceOptions<R>): void {
  const plan = planSuite(options);
  for (const line of plan.skipLines) console.info(`[conformance] ${line}`);
  const inspect = options.inspect;
  /** Full ids of the tests that asked for the inspector when the adapter has none: the raw checks not made. */
  const rawNotRun = new Set<string>();
  let running = '';

  // Real servers on a busy CI machine: no test of the suite may fail on vitest's 5 s default (a hang still fails).
  describe(`@fluxibly/conformance: ${options.name}`, { timeout: TEST_TIMEOUT_MS }, () => {
    let shared: R | undefined;
    const extras: R[] = [];

    beforeAll(async () => {
      shared = await options.create();
    });

    afterAll(async () => {
      for (const repository of extras.splice(0)) await options.destroy(repository);
      if (shared !== undefined) await options.destroy(shared);
      await options.teardown?.();
      if (typeof inspect !== 'function' && rawNotRun.size > 0)
        console.info(
          `[conformance] inspect unavailable (${inspect.unavailable}): raw-store checks not run in ${[...rawNotRun].join(', ')}`,
        );
    });

    const context: SuiteContext<R> = {
      options,
      intensity: options.intensity ?? 1,
      repo() {
        if (shared === undefined) throw new Error('the suite repository is not ready (create() failed?)');
        return shared;
      },
      async extraRepo() {
        const repository = await options.create();
        extras.push(repository);
        return repository;
      },
      inspector(): StoreInspector | undefined {
        if (typeof inspect !== 'function') {
          if (running !== '') rawNotRun.add(running);
          return undefined;
        }
        return shared === undefined ? undefined : inspect(shared);
      },
      newScope: freshScope,
    };

    for (const group of plan.groups) {
      registerGroup(group, context as unknown as SuiteContext, {
        skipReason: (test) => plan.skipReason(group.id, test),
        onStart: (test) => {
          running = test === undefined ? group.id : `${group.id}/${test}`;
        },
        cleanup: options.cleanup,
      });
    }
  });
}

interface GroupHooks {
  skipReason(test: string): string | undefined;
  /** A test of the group starts (`test`), or the group's own hooks are about to run (`undefined`). */
  onStart(test: string | undefined): void;
  cleanup: ConformanceOptions['cleanup'];
}

/** One group's `describe`: its tests under their stable ids (skipped ones as `it.skip`), then `cleanup`. */
function registerGroup(group: ConformanceGroup, suite: SuiteContext, hooks: GroupHooks): void {
  describe(group.title, () => {
    // First of the group's hooks: raw reads its fixtures make (in `beforeAll`) are the group's, not a test's.
    beforeAll(() => hooks.onStart(undefined));
    const context: GroupContext = {
      ...suite,
      it(test) {
        if (!group.tests.includes(test)) throw new Error(`conformance: ${group.id} has no test id '${test}'`);
        if (hooks.skipReason(test) !== undefined) return it.skip;
        return trackedIt(it, () => hooks.onStart(test));
      },
    };
    group.register(context);
    const { cleanup } = hooks;
    if (cleanup !== undefined) afterAll(() => cleanup(group.id as Parameters<typeof cleanup>[0]));
  });
}

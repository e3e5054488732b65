import type { ConversationRepository } from '@fluxibly/core';
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import type { SuiteContext } from './context.js';
import { freshScope } from './context.js';
import type { ConformanceOptions } from './options.js';
import { SPECS } from './specs/index.js';

/** The least time any conformance test gets; heavier specs set more. */
const TEST_TIMEOUT_MS = 60_000;

/**
 * Register the whole conformance suite with vitest. Call it at the top level of a test file:
 *
 * ```ts
 * runConformanceSuite({ name: 'my adapter', create, destroy, capabilities, inspect });
 * ```
 */
export function runConformanceSuite<R extends ConversationRepository>(options: ConformanceOptions<R>): void {
  // Real servers on a busy CI machine: no test of the suite may fail on vitest's 5 s default (a hang still fails).
  describe(`@fluxibly/conformance: ${options.name}`, { timeout: TEST_TIMEOUT_MS }, () => {
    let shared: R | undefined;
    const extras: R[] = [];

    beforeAll(async () => {
      shared = await options.create();
    });

    beforeEach((test) => {
      const fullName = test.task.fullName;
      const skipped = options.skip?.find((entry) => entry.test.test(fullName));
      if (skipped !== undefined) test.skip(skipped.reason);
    });

    afterAll(async () => {
      for (const repository of extras.splice(0)) await options.destroy(repository);
      if (shared !== undefined) await options.destroy(shared);
      await options.teardown?.();
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
      inspector() {
        return shared === undefined ? undefined : options.inspect?.(shared);
      },
      newScope: freshScope,
    };

    for (const register of SPECS) register(context as unknown as SuiteContext);
  });
}

import type { it } from 'vitest';
import type { SuiteContext } from './context.js';

/**
 * Registers one test (or one parameterised family of tests: `.each`, `.for`, a loop) under a stable id. It is
 * vitest's `it` — or `it.skip` when the run skips that id — so `.each` and `.for` work as usual.
 */
export type TestRegistrar = typeof it.skip;

/** What a group's `register` receives: the suite context, and `it(id)` to register each test under its stable id. */
export interface GroupContext<T extends string = string> extends SuiteContext {
  /**
   * vitest's `it` for the test whose stable id (within this group) is `id`: one of the group's declared `tests`.
   * A parameterised test (`.each`, `.for`, a loop over cases) has one id for all its cases.
   */
  it(id: T): TestRegistrar;
}

/**
 * One group of conformance tests: one guarantee (or one part of the API), one spec file, one `describe`.
 * Its `id` and the ids of its tests are stable: titles may change, ids do not, so a `skip` keeps meaning the
 * same test. The full id of a test is `<group id>/<test id>`, e.g. `pagination/walk-older-with-appends`.
 */
export interface ConformanceGroup<Id extends string = string, T extends string = string> {
  /** The stable id of the group, e.g. `pagination`. */
  readonly id: Id;
  /** The title of the group's `describe`, e.g. `message pagination` (may change; the id does not). */
  readonly title: string;
  /** The stable ids of its tests, unique within the group. */
  readonly tests: readonly T[];
  /** Register the group's tests (the suite wraps them in the group's `describe`). */
  register(context: GroupContext<T>): void;
}

/** Declare a group; `tests` types the ids `context.it(id)` accepts. */
export function defineGroup<const Id extends string, const T extends string>(
  group: ConformanceGroup<Id, T>,
): ConformanceGroup<Id, T> {
  return group;
}

import type { GroupId, TestId } from './specs/index.js';
import { GROUPS } from './specs/index.js';

/** A group of the suite as a reader sees it: its stable id, its `describe` title and its tests' stable ids. */
export interface GroupSummary {
  readonly id: GroupId;
  readonly title: string;
  /** Full test ids, `<group>/<test>`. */
  readonly tests: readonly TestId[];
}

/** Every group of the suite, in the order they run: what `groups` and `skip` may name. */
export const CONFORMANCE_GROUPS: readonly GroupSummary[] = GROUPS.map((group) => ({
  id: group.id,
  title: group.title,
  tests: group.tests.map((test) => `${group.id}/${test}` as TestId),
}));

/** Every test id of the suite (`<group>/<test>`), in order. */
export function conformanceTestIds(): TestId[] {
  return CONFORMANCE_GROUPS.flatMap((group) => group.tests);
}

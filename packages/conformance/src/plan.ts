import type { ConformanceGroup } from './group.js';
import type { ConformanceOptions } from './options.js';
import { GROUPS } from './specs/index.js';

/** Which groups run, which tests are skipped and why: the suite's options, checked. */
export interface SuitePlan {
  /** The groups to register, in the suite's order. */
  readonly groups: readonly ConformanceGroup[];
  /** Why the test `testId` of group `groupId` is skipped (the test's own skip, else its group's), or `undefined`. */
  skipReason(groupId: string, testId: string): string | undefined;
  /** One line per skip that applies to a group that runs, e.g. `skip concurrency/identical-retries: why`. */
  readonly skipLines: readonly string[];
}

/**
 * Check `groups` and `skip` against the ids the suite has and build the plan. Throws on an unknown group or test
 * id, or an empty reason, so a typo cannot silently run everything or skip nothing.
 */
export function planSuite(
  options: Pick<ConformanceOptions, 'groups' | 'skip'>,
  all: readonly ConformanceGroup[] = GROUPS,
): SuitePlan {
  const byId = new Map(all.map((group) => [group.id, group]));
  const wanted = new Set<string>(options.groups ?? all.map((group) => group.id));
  for (const id of wanted) {
    if (!byId.has(id)) throw new Error(`runConformanceSuite: groups: unknown group id '${id}' (${knownGroups(all)})`);
  }
  const skips = new Map<string, string>();
  for (const [id, reason] of Object.entries(options.skip ?? {})) {
    if (reason === undefined) continue;
    checkSkipId(id, byId);
    if (typeof reason !== 'string' || reason.trim() === '')
      throw new Error(`runConformanceSuite: skip: '${id}' needs a reason (a non-empty string)`);
    skips.set(id, reason);
  }
  const groups = all.filter((group) => wanted.has(group.id));
  const skipLines = [...skips].filter(([id]) => wanted.has(groupOf(id))).map(([id, reason]) => `skip ${id}: ${reason}`);
  return {
    groups,
    skipReason: (groupId, testId) => skips.get(`${groupId}/${testId}`) ?? skips.get(groupId),
    skipLines,
  };
}

function groupOf(id: string): string {
  const slash = id.indexOf('/');
  return slash === -1 ? id : id.slice(0, slash);
}

function checkSkipId(id: string, byId: ReadonlyMap<string, ConformanceGroup>): void {
  const group = byId.get(groupOf(id));
  if (group === undefined)
    throw new Error(
      `runConformanceSuite: skip: unknown id '${id}': no group '${groupOf(id)}' (${knownGroups([...byId.values()])})`,
    );
  const test = id.slice(group.id.length + 1);
  if (id !== group.id && !group.tests.includes(test))
    throw new Error(
      `runConformanceSuite: skip: unknown id '${id}' (tests of '${group.id}': ${group.tests.join(', ')})`,
    );
}

function knownGroups(all: readonly ConformanceGroup[]): string {
  return `groups: ${all.map((group) => group.id).join(', ')}`;
}

import { describe, expect, it } from 'vitest';
import { CONFORMANCE_GROUPS, conformanceTestIds, runConformanceSuite } from '../src/index.js';
import type { ConformanceOptions } from '../src/index.js';
import { planSuite } from '../src/plan.js';

/** `groups` and `skip` are checked against the suite's stable ids: a typo is an error, never a silent no-op. */
describe('the suite plan', () => {
  it('every group and test id is unique and kebab-case; test ids are <group>/<test>', () => {
    const groups = CONFORMANCE_GROUPS.map((group) => group.id);
    expect(new Set(groups).size).toBe(groups.length);
    const tests = conformanceTestIds();
    expect(new Set(tests).size).toBe(tests.length);
    for (const id of tests) expect(id).toMatch(/^[a-z][a-z-]*\/[a-z0-9][a-z0-9-]*$/u);
    expect(tests).toContain('pagination/walk-older-with-appends');
  });

  it('defaults to every group, in the suite order', () => {
    expect(planSuite({}).groups.map((group) => group.id)).toEqual(CONFORMANCE_GROUPS.map((group) => group.id));
  });

  it('runs only the groups asked for, in the suite order', () => {
    expect(planSuite({ groups: ['fork', 'threads'] }).groups.map((group) => group.id)).toEqual(['threads', 'fork']);
  });

  it('an unknown group id is an error', () => {
    expect(() => planSuite({ groups: ['treads' as 'threads'] })).toThrow(/groups: unknown group id 'treads'/u);
  });

  it('an unknown test id, or an unknown group in a test id, is an error naming it', () => {
    expect(() => planSuite({ skip: { 'fork/at-zro': 'typo' } as never })).toThrow(
      /skip: unknown id 'fork\/at-zro' \(tests of 'fork': .*at-zero/u,
    );
    expect(() => planSuite({ skip: { 'forks/at-zero': 'typo' } as never })).toThrow(/no group 'forks'/u);
  });

  it('a skip needs a reason', () => {
    expect(() => planSuite({ skip: { 'fork/at-zero': ' ' } })).toThrow(/'fork\/at-zero' needs a reason/u);
  });

  it('a test skip and a group skip give their reasons; other tests are not skipped', () => {
    const plan = planSuite({ skip: { 'fork/at-zero': 'why one', concurrency: 'why all' } });
    expect(plan.skipReason('fork', 'at-zero')).toBe('why one');
    expect(plan.skipReason('fork', 'defaults')).toBeUndefined();
    expect(plan.skipReason('concurrency', 'identical-retries')).toBe('why all');
    expect(plan.skipLines).toEqual(['skip fork/at-zero: why one', 'skip concurrency: why all']);
  });

  it('skips of groups that do not run are not printed', () => {
    expect(planSuite({ groups: ['fork'], skip: { concurrency: 'why' } }).skipLines).toEqual([]);
  });

  it('runConformanceSuite throws on an unknown id before registering anything', () => {
    const options = { skip: { 'pagination/walk-with-appends': 'renamed' } } as unknown as ConformanceOptions;
    expect(() => runConformanceSuite(options)).toThrow(/unknown id 'pagination\/walk-with-appends'/u);
  });
});

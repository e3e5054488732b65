import type { Plan } from '../plan.js';
import { batchedAppend, sequentialAppend } from './append.js';
import { concurrentAppend, hotThreadAppend } from './concurrent.js';
import { listUserThreads } from './list-threads.js';
import { readNewest, SCALE_BASELINE_MESSAGES } from './read-newest.js';
import { regenerate } from './regenerate.js';
import type { Workload } from './workload.js';

/**
 * Every workload of a run, in report order. `scaleCheckMessages` (when above 1k) is the W3 thread length the scale
 * check uses: W3 at that length (added when not already run) carries W3 at 1k as its baseline.
 */
export function workloadsFor(plan: Plan, scaleCheckMessages: number): Workload[] {
  const sizes = [...plan.readSizes];
  if (scaleCheckMessages > 0 && !sizes.includes(scaleCheckMessages)) sizes.push(scaleCheckMessages);
  return [
    sequentialAppend(plan),
    batchedAppend(plan),
    concurrentAppend(plan),
    hotThreadAppend(plan),
    ...sizes.map((size) => readNewest(plan, size, size === scaleCheckMessages && size > SCALE_BASELINE_MESSAGES)),
    listUserThreads(plan),
    regenerate(plan),
  ];
}

import type { Plan } from '../plan.js';
import { batchedAppend, sequentialAppend } from './append.js';
import { appendScale } from './append-scale.js';
import { concurrentAppend, hotThreadAppend } from './concurrent.js';
import { listUserThreads } from './list-threads.js';
import { readNewest, SCALE_BASELINE_MESSAGES } from './read-newest.js';
import { regenerate } from './regenerate.js';
import type { Workload } from './workload.js';

/** The thread length of the W1b append scale check (capped by the target's `scaleCheckMessages`). */
export const APPEND_SCALE_MESSAGES = 100_000;

/**
 * Every workload of a run, in report order. `scaleCheckMessages` (when above 1k) is the W3 thread length the scale
 * check uses: W3 at that length (added when not already run) carries W3 at 1k as its baseline. W1b at
 * {@link APPEND_SCALE_MESSAGES} (or the target's smaller cap) carries W1b at 1k as its baseline likewise.
 */
export function workloadsFor(plan: Plan, scaleCheckMessages: number): Workload[] {
  const sizes = [...plan.readSizes];
  if (scaleCheckMessages > 0 && !sizes.includes(scaleCheckMessages)) sizes.push(scaleCheckMessages);
  return [
    sequentialAppend(plan),
    batchedAppend(plan),
    ...(appendScaleMessages(scaleCheckMessages) > SCALE_BASELINE_MESSAGES
      ? [appendScale(plan, appendScaleMessages(scaleCheckMessages), true)]
      : []),
    concurrentAppend(plan),
    hotThreadAppend(plan),
    ...sizes.map((size) => readNewest(plan, size, size === scaleCheckMessages && size > SCALE_BASELINE_MESSAGES)),
    listUserThreads(plan),
    regenerate(plan),
  ];
}

/** The W1b scale check's thread length for a target whose W3 check goes to `scaleCheckMessages`. */
export function appendScaleMessages(scaleCheckMessages: number): number {
  return Math.min(APPEND_SCALE_MESSAGES, scaleCheckMessages);
}

import { randomUUID } from 'node:crypto';
import type { Plan } from '../plan.js';
import { timeSequential } from '../stats.js';
import { benchScope, populate } from './data.js';
import type { Workload } from './workload.js';

/** Reads timed per sample. */
const READS_PER_SAMPLE = 100;

/** The thread length the W3 scale check compares a large thread with. */
export const SCALE_BASELINE_MESSAGES = 1_000;

/** `1k`, `10k`, `1M`: a thread length as the report shows it. */
export function sizeLabel(messages: number): string {
  if (messages >= 1_000_000 && messages % 1_000_000 === 0) return `${messages / 1_000_000}M`;
  if (messages >= 1_000 && messages % 1_000 === 0) return `${messages / 1_000}k`;
  return String(messages);
}

/** The report id of W3 at this thread length (the scale check finds its rows by it). */
export function readNewestId(messages: number): string {
  return `W3 ${sizeLabel(messages)}`;
}

/**
 * W3: read the newest 50 messages of a thread holding `messages` messages, many times, one read at a time.
 * The thread is filled once per subject, 1,000 messages per append call, before anything is timed.
 * With `scaleCheck`, W3 at 1k is measured alongside as its {@link Workload.baseline}.
 */
export function readNewest(plan: Plan, messages: number, scaleCheck = false): Workload {
  return {
    id: readNewestId(messages),
    ...(scaleCheck ? { baseline: readNewest(plan, SCALE_BASELINE_MESSAGES) } : {}),
    operation: 'read newest 50',
    warmups: plan.warmups,
    repetitions: plan.repetitions,
    async prepare(subject) {
      const scope = benchScope(0);
      const threadId = randomUUID();
      await subject.createThread(scope, threadId);
      await populate(subject, scope, threadId, messages);
      const expected = Math.min(50, messages);
      return () =>
        timeSequential(plan.readsPerRepetition, READS_PER_SAMPLE, async () => {
          const read = await subject.readNewest50(scope, threadId);
          if (read !== expected) throw new Error(`bench: read ${read} messages, expected ${expected}`);
        });
    },
  };
}

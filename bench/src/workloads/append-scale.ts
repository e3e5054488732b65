import { randomUUID } from 'node:crypto';
import type { Plan } from '../plan.js';
import { timeSequential } from '../stats.js';
import { at, benchScope, makeMessages, populate } from './data.js';
import { SCALE_BASELINE_MESSAGES, sizeLabel } from './read-newest.js';
import type { Workload } from './workload.js';

/** Batch appends per repetition: more than the 5 custom plans after which PostgreSQL may use a generic one. */
const BATCHES_PER_REPETITION = 10;
/** Batch calls timed per sample. */
const BATCHES_PER_SAMPLE = 1;

/** The report id of the W1b scale workload at this thread length. */
export function appendScaleId(messages: number): string {
  return `W1b ${sizeLabel(messages)}`;
}

/**
 * W1b at scale: append batches of `batchSize` to a thread that already holds `messages` messages (filled untimed,
 * 1,000 per call). With `withBaseline`, the same on a 1k thread is measured alongside as its baseline: the append
 * scale check asks that a batch append costs (about) the same whatever the thread's length — no plan, index or
 * script that walks the thread.
 */
export function appendScale(plan: Plan, messages: number, withBaseline = false): Workload {
  return {
    id: appendScaleId(messages),
    ...(withBaseline ? { baseline: appendScale(plan, SCALE_BASELINE_MESSAGES) } : {}),
    operation: `append ${plan.batchSize} msgs`,
    warmups: Math.max(1, plan.warmups),
    repetitions: plan.repetitions,
    async prepare(subject) {
      const scope = benchScope(0);
      const threadId = randomUUID();
      await subject.createThread(scope, threadId);
      await populate(subject, scope, threadId, messages);
      let next = messages;
      return async () => {
        const batches = Array.from({ length: BATCHES_PER_REPETITION }, (_, c) =>
          makeMessages(plan.batchSize, next + c * plan.batchSize),
        );
        next += BATCHES_PER_REPETITION * plan.batchSize;
        const samples = await timeSequential(BATCHES_PER_REPETITION, BATCHES_PER_SAMPLE, (c) =>
          subject.appendBatch(scope, threadId, at(batches, c)),
        );
        const count = await subject.messageCount(scope, threadId);
        if (count !== next) throw new Error(`bench: the thread holds ${count} messages, expected ${next}`);
        return samples;
      };
    },
  };
}

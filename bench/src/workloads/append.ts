import { randomUUID } from 'node:crypto';
import type { Plan } from '../plan.js';
import { timeSequential } from '../stats.js';
import { at, benchScope, expectCount, makeMessages } from './data.js';
import type { Workload } from './workload.js';

/** Operations timed per sample in W1: reading the clock once per 100 appends keeps its cost out of the figure. */
const APPENDS_PER_SAMPLE = 100;
/** Batch calls timed per sample in W1b. */
const BATCHES_PER_SAMPLE = 4;

/** W1: append `sequentialMessages` messages to one fresh thread, one message per call, one call at a time. */
export function sequentialAppend(plan: Plan): Workload {
  const total = plan.sequentialMessages;
  return {
    id: 'W1',
    operation: 'append 1 msg',
    warmups: plan.warmups,
    repetitions: plan.repetitions,
    async prepare(subject) {
      const scope = benchScope(0);
      return async () => {
        const threadId = randomUUID();
        await subject.createThread(scope, threadId);
        const messages = makeMessages(total);
        const samples = await timeSequential(total, APPENDS_PER_SAMPLE, (i) =>
          subject.appendOne(scope, threadId, at(messages, i)),
        );
        await expectCount(subject, scope, threadId, total);
        return samples;
      };
    },
  };
}

/** W1b: the same messages in batches of `batchSize`, one call at a time (2,000 / 100 = 20 calls). */
export function batchedAppend(plan: Plan): Workload {
  const total = plan.sequentialMessages;
  const calls = Math.ceil(total / plan.batchSize);
  return {
    id: 'W1b',
    operation: `append ${plan.batchSize} msgs`,
    warmups: plan.warmups,
    repetitions: plan.repetitions,
    async prepare(subject) {
      const scope = benchScope(0);
      return async () => {
        const threadId = randomUUID();
        await subject.createThread(scope, threadId);
        const batches = Array.from({ length: calls }, (_, c) =>
          makeMessages(Math.min(plan.batchSize, total - c * plan.batchSize), c * plan.batchSize),
        );
        const samples = await timeSequential(calls, BATCHES_PER_SAMPLE, (c) =>
          subject.appendBatch(scope, threadId, at(batches, c)),
        );
        await expectCount(subject, scope, threadId, total);
        return samples;
      };
    },
  };
}

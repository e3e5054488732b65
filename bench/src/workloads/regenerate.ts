import { randomUUID } from 'node:crypto';
import type { Plan } from '../plan.js';
import { timeSequential } from '../stats.js';
import { benchScope, expectCount, makeMessages, populate } from './data.js';
import type { Workload } from './workload.js';

/** Replacements timed per sample. */
const REPLACES_PER_SAMPLE = 20;
/** How many messages at the end of the thread each replacement removes and appends (a regenerated turn). */
const TAIL = 2;

/**
 * W6 "regenerate": replace the last 2 messages of a `regenerateMessages`-message thread (1 user turn + 1 reply
 * regenerated), one call at a time: on the adapter an append with `replaceAfterSeq`, one atomic call. Seqs are never
 * reused, so each call cuts after the thread's `lastSeq − 2` (the workload counts: `lastSeq` grows by 2 a call)
 * and the thread keeps its length. After every repetition (untimed) the thread must still hold exactly that many
 * messages: an adapter that appended without removing, or removed the wrong messages, fails the run.
 */
export function regenerate(plan: Plan): Workload {
  const length = plan.regenerateMessages;
  return {
    id: 'W6',
    operation: `replace last ${TAIL} of ${length / 1_000}k`,
    warmups: plan.warmups,
    repetitions: plan.repetitions,
    async prepare(subject) {
      const scope = benchScope(0);
      const threadId = randomUUID();
      await subject.createThread(scope, threadId);
      await populate(subject, scope, threadId, length);
      let lastSeq = length;
      let written = length;
      return async () => {
        const samples = await timeSequential(plan.regeneratesPerRepetition, REPLACES_PER_SAMPLE, async () => {
          const messages = makeMessages(TAIL, written);
          written += TAIL;
          await subject.replaceTail(scope, threadId, lastSeq - TAIL, TAIL, messages);
          lastSeq += TAIL;
        });
        await expectCount(subject, scope, threadId, length);
        return samples;
      };
    },
  };
}

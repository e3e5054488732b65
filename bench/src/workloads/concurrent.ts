import { randomUUID } from 'node:crypto';
import type { NewMessage, Scope } from '@fluxibly/core';
import type { Plan } from '../plan.js';
import { elapsedNs, quiesce } from '../stats.js';
import { at, benchScope, expectCount, makeMessages, runCallers } from './data.js';
import type { Workload } from './workload.js';

interface Job {
  readonly scope: Scope;
  readonly threadId: string;
  readonly message: NewMessage;
}

/**
 * W2: `concurrentThreads` fresh threads (one per user) × `messagesPerThread` single-message appends, issued by
 * `callers` concurrent callers. Jobs go round-robin over the threads, so callers mostly hit different threads.
 * One sample per repetition: its wall time ÷ its appends.
 */
export function concurrentAppend(plan: Plan): Workload {
  const { concurrentThreads, messagesPerThread, callers } = plan;
  return {
    id: 'W2',
    operation: `append 1 msg, ${callers} callers`,
    warmups: plan.warmups,
    repetitions: plan.concurrentRepetitions,
    async prepare(subject) {
      return async () => {
        const threads = Array.from({ length: concurrentThreads }, (_, t) => ({
          scope: benchScope(t),
          threadId: randomUUID(),
        }));
        for (const { scope, threadId } of threads) await subject.createThread(scope, threadId);
        const jobs: Job[] = [];
        for (const message of makeMessages(messagesPerThread)) {
          for (const thread of threads) jobs.push({ ...thread, message: { ...message } });
        }
        quiesce();
        const start = process.hrtime.bigint();
        await runCallers(callers, jobs.length, (j) => {
          const job = at(jobs, j);
          return subject.appendOne(job.scope, job.threadId, job.message);
        });
        const ns = elapsedNs(start);
        for (const { scope, threadId } of threads) await expectCount(subject, scope, threadId, messagesPerThread);
        return [{ ns, ops: jobs.length }];
      };
    },
  };
}

/**
 * W2h: `callers` concurrent callers appending `hotThreadMessages` single messages to one thread: the contended
 * case, where every append races for the next `seq`. Verifies that none was lost.
 */
export function hotThreadAppend(plan: Plan): Workload {
  const { hotThreadMessages, callers } = plan;
  return {
    id: 'W2h',
    operation: `append 1 msg, ${callers} callers, 1 thread`,
    warmups: plan.warmups,
    repetitions: plan.concurrentRepetitions,
    async prepare(subject) {
      const scope = benchScope(0);
      return async () => {
        const threadId = randomUUID();
        await subject.createThread(scope, threadId);
        const messages = makeMessages(hotThreadMessages);
        quiesce();
        const start = process.hrtime.bigint();
        await runCallers(callers, messages.length, (i) => subject.appendOne(scope, threadId, at(messages, i)));
        const ns = elapsedNs(start);
        await expectCount(subject, scope, threadId, hotThreadMessages);
        return [{ ns, ops: messages.length }];
      };
    },
  };
}

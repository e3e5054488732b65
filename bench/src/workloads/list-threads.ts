import { randomUUID } from 'node:crypto';
import type { Plan } from '../plan.js';
import { timeSequential } from '../stats.js';
import { at, benchScope, makeMessages, prng } from './data.js';
import type { Workload } from './workload.js';

/** Page reads timed per sample. */
const LISTS_PER_SAMPLE = 50;
const PAGE_SIZE = 20;

/**
 * W4: the first page (20) of a user's threads, newest activity first, among `threads` threads spread evenly over
 * `users` users. Setup creates the threads user by user in turn, then appends one message to each in a shuffled
 * order, so activity order differs from creation order. Each read picks a user at random (fixed seed).
 */
export function listUserThreads(plan: Plan): Workload {
  const { users, threads, listsPerRepetition } = plan;
  return {
    id: 'W4',
    operation: `list ${PAGE_SIZE} of ${threads / users} threads`,
    warmups: plan.warmups,
    repetitions: plan.repetitions,
    async prepare(subject) {
      const owned = Array.from({ length: threads }, (_, t) => ({
        scope: benchScope(t % users),
        threadId: randomUUID(),
      }));
      for (const { scope, threadId } of owned) await subject.createThread(scope, threadId);
      const random = prng(0x5eed);
      for (let i = owned.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [owned[i], owned[j]] = [at(owned, j), at(owned, i)];
      }
      for (const [i, { scope, threadId }] of owned.entries()) {
        await subject.appendOne(scope, threadId, at(makeMessages(1, i), 0));
      }
      const expected = Math.min(PAGE_SIZE, threads / users);
      const scopes = Array.from({ length: listsPerRepetition }, () => benchScope(Math.floor(random() * users)));
      return () =>
        timeSequential(listsPerRepetition, LISTS_PER_SAMPLE, async (i) => {
          const read = await subject.listThreadsPage20(at(scopes, i));
          if (read !== expected) throw new Error(`bench: listed ${read} threads, expected ${expected}`);
        });
    },
  };
}

import type { NewMessage, Scope } from '@fluxibly/core';
import type { WorkloadSubject } from '../subject.js';

const ORG_ID = 'bench-org';
/** About the size of a short chat turn. */
const FILLER = 'The quick brown fox jumps over the lazy dog while the assistant thinks about an answer.';

/** The scope of bench user number `n`. */
export function benchScope(n: number): Scope {
  return { orgId: ORG_ID, userId: `user-${n}` };
}

/** `count` fresh chat messages, alternating user/assistant, numbered from `first`. */
export function makeMessages(count: number, first = 0): NewMessage[] {
  const messages: NewMessage[] = [];
  for (let i = first; i < first + count; i++) {
    messages.push({ role: i % 2 === 0 ? 'user' : 'assistant', content: `Message ${i}. ${FILLER}` });
  }
  return messages;
}

/** `array[index]`, or an error when it is out of range (keeps `noUncheckedIndexedAccess` honest without `!`). */
export function at<T>(array: readonly T[], index: number): T {
  const value = array[index];
  if (value === undefined) throw new RangeError(`bench: index ${index} out of range (${array.length})`);
  return value;
}

/** Fill a thread with `count` messages, `batchSize` per append call (setup only, never timed). */
export async function populate(
  subject: WorkloadSubject,
  scope: Scope,
  threadId: string,
  count: number,
  batchSize = 1_000,
): Promise<void> {
  for (let first = 0; first < count; first += batchSize) {
    await subject.appendBatch(scope, threadId, makeMessages(Math.min(batchSize, count - first), first));
  }
}

/** Fail the run when a subject did not store what the workload wrote (a lost message is a bug, not a speed-up). */
export async function expectCount(
  subject: WorkloadSubject,
  scope: Scope,
  threadId: string,
  expected: number,
): Promise<void> {
  const actual = await subject.messageCount(scope, threadId);
  if (actual !== expected) {
    throw new Error(`bench: thread ${threadId} holds ${actual} messages, expected ${expected}`);
  }
}

/** A small deterministic PRNG (mulberry32): the same seed picks the same users on every run and subject. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Run jobs `0 … jobs-1` with `callers` concurrent callers: each caller takes the next job as soon as its previous
 * one settles, like a pool of request handlers sharing one repository.
 */
export async function runCallers(callers: number, jobs: number, job: (index: number) => Promise<unknown>) {
  let next = 0;
  const caller = async (): Promise<void> => {
    while (next < jobs) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(callers, jobs) }, caller));
}

import type { ChatMessage, Scope } from '@fluxibly/core';
import { LIMITS } from '@fluxibly/core';
import type { ValidAppend } from '@fluxibly/core/adapter';

/** Runs one (possibly merged) append: one statement, see `append.ts`. */
export type AppendRunner = (scope: Scope, input: ValidAppend) => Promise<ChatMessage[]>;

/** A call waiting for its thread's lane. */
interface Waiting {
  readonly scope: Scope;
  readonly input: ValidAppend;
  readonly resolve: (messages: ChatMessage[]) => void;
  readonly reject: (error: unknown) => void;
}

/** The appends of one thread (and scope) in this repository: whether one is in flight, and those waiting. */
interface Lane {
  waiting: Waiting[];
}

/**
 * Merges concurrent appends to one thread into one statement.
 *
 * Appends to a hot thread serialize on its row lock, each holding it through its commit; merging the appends
 * that arrive while one is in flight turns N commits into one. Per thread (and scope) at most one statement of
 * this repository is in flight; the calls that arrive meanwhile wait and then go as ONE batch:
 *
 * - only calls without `expectedLastSeq`, `expectedMessageCount` and `replaceAfterSeq` are merged (those run at
 *   once, on their own);
 * - a call whose message ids overlap the batch being formed goes in a later batch (concurrent identical
 *   retries then find the first one's stored messages, as they would unmerged);
 * - a merged batch never exceeds `LIMITS.batchSize` messages nor `LIMITS.batchBytes` bytes (what validation
 *   allows one call, so whatever one call may send, a merged batch may too);
 * - each caller gets exactly its own messages, in its own input order; the new ones of one caller have
 *   contiguous `seq`s (its messages are contiguous in the merged batch), and every caller's messages share the
 *   merged batch's `createdAt`;
 * - the merged statement is atomic, so either every caller's new messages are written or none; when it fails,
 *   every merged caller is rejected with its error.
 *
 * A call that finds its thread idle runs at once: single appends gain no latency.
 */
export class AppendCoalescer {
  readonly #run: AppendRunner;
  readonly #lanes = new Map<string, Lane>();

  constructor(run: AppendRunner) {
    this.#run = run;
  }

  /** Append through the thread's lane (see the class comment). */
  append(scope: Scope, input: ValidAppend): Promise<ChatMessage[]> {
    const guarded = input.expectedLastSeq !== undefined || input.expectedMessageCount !== undefined;
    if (guarded || input.replaceAfterSeq !== undefined) return this.#run(scope, input);
    const key = JSON.stringify([scope.orgId, scope.userId, input.threadId]);
    const lane = this.#lanes.get(key);
    if (lane !== undefined) {
      return new Promise((resolve, reject) => lane.waiting.push({ scope, input, resolve, reject }));
    }
    const fresh: Lane = { waiting: [] };
    this.#lanes.set(key, fresh);
    const first = this.#run(scope, input);
    void first.then(
      () => this.#next(key, fresh),
      () => this.#next(key, fresh),
    );
    return first;
  }

  /** After a statement of the lane settled: send the next merged batch, or close the lane when none waits. */
  #next(key: string, lane: Lane): void {
    if (lane.waiting.length === 0) {
      this.#lanes.delete(key);
      return;
    }
    const group = takeGroup(lane.waiting);
    const [head] = group;
    if (head === undefined) return; // unreachable: the queue is not empty
    const input: ValidAppend =
      group.length === 1
        ? head.input
        : {
            threadId: head.input.threadId,
            messages: group.flatMap((call) => call.input.messages),
            bytes: group.reduce((sum, call) => sum + call.input.bytes, 0),
          };
    const run = this.#run(head.scope, input);
    void run.then(
      (stored) => {
        let offset = 0;
        for (const call of group) {
          const count = call.input.messages.length;
          call.resolve(stored.slice(offset, offset + count));
          offset += count;
        }
        this.#next(key, lane);
      },
      (error: unknown) => {
        for (const call of group) call.reject(error);
        this.#next(key, lane);
      },
    );
  }
}

/**
 * Remove and return the longest prefix of `waiting` that can be one batch: no message id twice, at most
 * `LIMITS.batchSize` messages and `LIMITS.batchBytes` bytes (the first call always fits: it was validated on its
 * own).
 */
export function takeGroup(waiting: Waiting[]): Waiting[] {
  const ids = new Set<string>();
  let total = 0;
  let bytes = 0;
  let taken = 0;
  for (const call of waiting) {
    const { messages } = call.input;
    const fits = total + messages.length <= LIMITS.batchSize && bytes + call.input.bytes <= LIMITS.batchBytes;
    if (taken > 0 && (!fits || messages.some((m) => ids.has(m.id)))) break;
    for (const m of messages) ids.add(m.id);
    total += messages.length;
    bytes += call.input.bytes;
    taken += 1;
  }
  return waiting.splice(0, taken);
}

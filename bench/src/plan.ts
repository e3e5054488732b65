/** How much work a run does. The workload shapes are fixed; `--quick` only cuts repetitions and iterations. */
export interface Plan {
  readonly quick: boolean;
  /** Untimed repetitions before the timed ones. */
  readonly warmups: number;
  /** Timed repetitions of a workload that yields many samples per repetition (W1, W1b, W3, W4). */
  readonly repetitions: number;
  /** Timed repetitions of a concurrent workload (one sample per repetition: W2, W2h). */
  readonly concurrentRepetitions: number;
  /** W1 / W1b: messages appended to one thread per repetition, and the W1b batch size. */
  readonly sequentialMessages: number;
  readonly batchSize: number;
  /** W2: threads × messages per thread; W2/W2h: concurrent callers; W2h: messages into the one thread. */
  readonly concurrentThreads: number;
  readonly messagesPerThread: number;
  readonly callers: number;
  readonly hotThreadMessages: number;
  /** W3: thread lengths, and reads of the newest 50 per repetition. */
  readonly readSizes: readonly number[];
  readonly readsPerRepetition: number;
  /** Cap on a target's W3 scale-check thread length (`--quick` checks at the largest of `readSizes` instead). */
  readonly scaleCheckCap: number;
  /** W4: users, threads in all, and page reads per repetition. */
  readonly users: number;
  readonly threads: number;
  readonly listsPerRepetition: number;
  /** W6: the thread's length, and tail replacements per repetition. */
  readonly regenerateMessages: number;
  readonly regeneratesPerRepetition: number;
  /** W5: the other tenant's messages containing the searched word, and the victim's searches per repetition. */
  readonly tenantSearchRows: number;
  readonly searchesPerRepetition: number;
}

const SHAPE = {
  sequentialMessages: 2_000,
  batchSize: 100,
  concurrentThreads: 50,
  messagesPerThread: 40,
  callers: 32,
  hotThreadMessages: 2_000,
  readSizes: [1_000, 10_000, 100_000],
  users: 100,
  threads: 10_000,
  regenerateMessages: 10_000,
} as const;

/** The full run: what the README's table comes from. */
export const FULL_PLAN: Plan = {
  ...SHAPE,
  quick: false,
  warmups: 3,
  repetitions: 10,
  concurrentRepetitions: 30,
  readsPerRepetition: 2_000,
  scaleCheckCap: Number.POSITIVE_INFINITY,
  listsPerRepetition: 1_000,
  tenantSearchRows: 100_000,
  searchesPerRepetition: 500,
  regeneratesPerRepetition: 500,
};

/** `--quick`: the same workloads with fewer repetitions, for a smoke run (well under 20 s on memory). */
export const QUICK_PLAN: Plan = {
  ...SHAPE,
  quick: true,
  warmups: 1,
  repetitions: 3,
  concurrentRepetitions: 7,
  readsPerRepetition: 500,
  scaleCheckCap: Math.max(...SHAPE.readSizes),
  listsPerRepetition: 300,
  tenantSearchRows: 20_000,
  searchesPerRepetition: 200,
  regeneratesPerRepetition: 200,
};

import type { Sample } from '../stats.js';
import type { WorkloadSubject } from '../subject.js';

/** One repetition of a workload: does the work, times it, verifies it (untimed) and returns its samples. */
export type Repetition = () => Promise<Sample[]>;

/**
 * A benchmark workload. It never names an adapter: it drives a {@link WorkloadSubject}, so the same code runs
 * against an adapter's repository and against that adapter's floor.
 */
export interface Workload {
  /** Short id shown in the report, e.g. `W1` or `W3 100k`. */
  readonly id: string;
  /** What one timed operation is, e.g. `append 1 msg`. */
  readonly operation: string;
  /** Untimed repetitions run first (JIT warm-up, caches) and thrown away. */
  readonly warmups: number;
  /** Timed repetitions. */
  readonly repetitions: number;
  /**
   * Another workload measured alongside this one on a fresh repository of the same target, its repetitions
   * interleaved with this one's (the W3 scale check's 1k baseline: same moment, same heap, same machine load).
   */
  readonly baseline?: Workload;
  /** Build the workload's starting state on a fresh subject (untimed) and return one repetition's body. */
  prepare(subject: WorkloadSubject): Promise<Repetition>;
}

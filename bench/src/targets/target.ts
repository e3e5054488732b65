import type { ConversationRepository } from '@fluxibly/core';
import type { Plan } from '../plan.js';
import type { WorkloadSubject } from '../subject.js';

/**
 * One adapter to benchmark. Adding an adapter means adding one target file (plus its floor) and one line in
 * `targets/index.ts`; workloads, statistics and the report never name an adapter.
 */
export interface AdapterTarget {
  /** Short name, used by `--adapter=<name>` and in the report. */
  readonly name: string;
  /**
   * Largest thread for the W3 scale check (newest 50 at this size must stay within 2× of the time at 1k). `0`
   * skips it, e.g. when populating that many messages would take too long for this adapter.
   */
  readonly scaleCheckMessages: number;
  /**
   * The W1b scale check's limit for this target, when it is not the issue's ×1.2 (see `APPEND_SCALE`). Only the
   * memory target sets one (×3): its appends cost 0.2–0.4 ms and the 100k-message thread is a far larger heap than
   * the 1k one (CPU caches, garbage collection in the timed section): the same code measured ×0.99–×1.97 (×1.11–×1.18
   * on a quiet machine). An append that grew with the thread would be ×100; one that grew logarithmically, ×1.7.
   */
  readonly appendScaleLimit?: number;
  /**
   * Connect and prepare (e.g. create a scratch database). Throws when the backend is unreachable; the harness then
   * reports the target as skipped (or fails, when the target was asked for by name or under `CI=true`).
   */
  setup(): Promise<TargetSession>;
}

/** A prepared target: fresh repositories and floors on demand, and one cleanup at the end. */
export interface TargetSession {
  /** Where the target runs, printed once (e.g. `in-process`, `postgres 16.4 at 127.0.0.1:5432`). */
  readonly description: string;
  /** A fresh, empty repository. Each workload gets its own and closes it when done. */
  createRepository(): Promise<ConversationRepository>;
  /** A fresh, empty floor: the same workload interface done by the raw driver with the minimum work. */
  createFloor(): Promise<WorkloadSubject>;
  /**
   * A smaller plan for a server that cannot take the standard one in reasonable time (e.g. a stand-in whose inserts
   * cost O(collection size)). The report prints the plan it used, so scaled figures are never read as standard ones.
   */
  scalePlan?(plan: Plan): Plan;
  /**
   * Workloads this server cannot run correctly, by id (`W2`), each with the reason the report prints. A skipped
   * workload has no figure; use it only for a server's known defect (e.g. a stand-in without transaction isolation).
   */
  readonly skipWorkloads?: Readonly<Record<string, string>>;
  /**
   * Lines the report prints after the table, measured by the target itself on fresh subjects (postgres: WAL bytes
   * per appended message against its floor's). Run unless `--only` leaves out W1.
   */
  extraReport?(): Promise<readonly string[]>;
  /** Drop whatever `setup` created. Idempotent. */
  cleanup(): Promise<void>;
}

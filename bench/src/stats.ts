/** One timed stretch of work: `ops` operations that took `ns` nanoseconds of wall time in total. */
export interface Sample {
  readonly ns: number;
  readonly ops: number;
}

/** What the report shows for one workload on one subject. */
export interface Summary {
  /** Median over samples of the time per operation, in nanoseconds. */
  readonly medianNs: number;
  /** 95th percentile over samples of the time per operation, in nanoseconds. */
  readonly p95Ns: number;
  /** Operations per second at the median time per operation (robust to a sample the OS preempted). */
  readonly opsPerSec: number;
  /** How many samples the figures come from. */
  readonly samples: number;
  /** How many operations were timed in all. */
  readonly ops: number;
}

/** `global.gc` when node runs with `--expose-gc` (the bench script passes it). */
const collectGarbage = (globalThis as { gc?: () => void }).gc;

/** Whether {@link quiesce} can force a collection. */
export const canForceGc = collectGarbage !== undefined;

/**
 * Collect garbage now, right before a clock starts, so one side's leftovers (or a repetition's untimed setup) are
 * not collected on the other side's time.
 */
export function quiesce(): void {
  collectGarbage?.();
}

/** Nanoseconds elapsed since `start` (a `process.hrtime.bigint()` reading). */
export function elapsedNs(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}

/**
 * Time `total` calls of `op`, one after another, in samples of `perSample` calls each: the clock is read once per
 * sample, so its own cost (tens of ns) does not swamp operations that take little more than that.
 */
export async function timeSequential(
  total: number,
  perSample: number,
  op: (index: number) => Promise<unknown>,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  quiesce();
  for (let first = 0; first < total; first += perSample) {
    const end = Math.min(total, first + perSample);
    const start = process.hrtime.bigint();
    for (let i = first; i < end; i++) await op(i);
    samples.push({ ns: elapsedNs(start), ops: end - first });
  }
  return samples;
}

/** The `q` quantile (0–1) of `values`, by linear interpolation between the closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] ?? low;
  return low + (high - low) * (position - below);
}

/** Summarise samples: median and p95 of the per-operation time, and the throughput at the median. */
export function summarize(samples: readonly Sample[]): Summary {
  const perOp = samples.map((s) => s.ns / s.ops);
  const medianNs = quantile(perOp, 0.5);
  return {
    medianNs,
    p95Ns: quantile(perOp, 0.95),
    opsPerSec: medianNs > 0 ? 1e9 / medianNs : Number.NaN,
    samples: samples.length,
    ops: samples.reduce((sum, s) => sum + s.ops, 0),
  };
}

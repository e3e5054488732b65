import type { Measurement } from './runner.js';
import { formatDuration } from './report/format.js';
import { appendScaleId } from './workloads/append-scale.js';
import { readNewestId, SCALE_BASELINE_MESSAGES, sizeLabel } from './workloads/read-newest.js';

/** What a scale check judges: a workload at a large thread against the same at 1k, measured alongside. */
interface ScaleRule {
  /** `W3` (read the newest 50) or `W1b` (append a batch). */
  readonly name: string;
  readonly what: string;
  /** The workload id at a thread length. */
  readonly idAt: (messages: number) => string;
  /** The most the large thread may cost, as a multiple of the 1k baseline. */
  readonly limit: number;
}

/** Reading the newest 50 of the large thread may take at most twice the 1k baseline. */
export const READ_SCALE: ScaleRule = { name: 'W3', what: 'newest 50', idAt: readNewestId, limit: 2 };
/** A batch append to the large thread may take at most 1.2 times one to the 1k baseline (issue 16, item 1). */
export const APPEND_SCALE: ScaleRule = { name: 'W1b', what: 'batch append', idAt: appendScaleId, limit: 1.2 };
/** How many times the W1b pair is measured at most before its check fails (each a fresh pair of repositories). */
export const APPEND_SCALE_ATTEMPTS = 3;

/** The outcome of a scale check: the cost of an operation must not grow with the thread's length. */
export interface ScaleCheck {
  readonly rule: ScaleRule;
  readonly target: string;
  readonly largeMessages: number;
  /** The adapter's median on the large thread. */
  readonly largeNs: number;
  /** The adapter's median on a 1k thread, measured alongside (interleaved) on its own repository. */
  readonly baselineNs: number;
  /** The workload's own 1k row's median, when the run has one (measured earlier, in a smaller heap): not judged. */
  readonly rowNs: number | undefined;
  readonly ratio: number;
  readonly passed: boolean;
}

/**
 * Judge `rule`'s workload at `largeMessages` against its 1k baseline. The baseline is measured in the same rounds as
 * the large thread, so heap size and machine load (this machine is shared) weigh on both alike; an adapter whose
 * cost grows with the thread's length still fails by far. `null` when that workload was not measured.
 */
export function scaleCheck(
  target: string,
  measurements: readonly Measurement[],
  largeMessages: number,
  rule: ScaleRule = READ_SCALE,
): ScaleCheck | null {
  const find = (messages: number) => measurements.find((m) => m.workload.id === rule.idAt(messages));
  const large = find(largeMessages);
  if (large?.baseline === undefined) return null;
  const ratio = large.adapter.medianNs / large.baseline.medianNs;
  return {
    rule,
    target,
    largeMessages,
    largeNs: large.adapter.medianNs,
    baselineNs: large.baseline.medianNs,
    rowNs: find(SCALE_BASELINE_MESSAGES)?.adapter.medianNs,
    ratio,
    passed: ratio <= rule.limit,
  };
}

/** `PASS W3 scale check (memory): newest 50 of 1M 6.1 µs vs of 1k 5.9 µs alongside = ×1.03 (limit ×2); …`. */
export function formatScaleCheck(check: ScaleCheck): string {
  const verdict = check.passed ? 'PASS' : 'FAIL';
  const large = sizeLabel(check.largeMessages);
  const small = sizeLabel(SCALE_BASELINE_MESSAGES);
  const row =
    check.rowNs === undefined
      ? ''
      : `; vs the ${check.rule.name} ${small} row ${formatDuration(check.rowNs)}: ×${(check.largeNs / check.rowNs).toFixed(2)}`;
  return (
    `${verdict} ${check.rule.name} scale check (${check.target}): ${check.rule.what} at ${large} ` +
    `${formatDuration(check.largeNs)} vs at ${small} measured alongside ${formatDuration(check.baselineNs)} = ` +
    `×${check.ratio.toFixed(2)} (limit ×${check.rule.limit})${row}`
  );
}

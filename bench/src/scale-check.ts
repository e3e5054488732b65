import type { Measurement } from './runner.js';
import { formatDuration } from './report/format.js';
import { readNewestId, SCALE_BASELINE_MESSAGES, sizeLabel } from './workloads/read-newest.js';

/** Reading the newest 50 of the large thread may take at most this many times the 1k baseline. */
const LIMIT = 2;

/** The outcome of the W3 scale check: reading the newest 50 must not grow with the thread's length. */
export interface ScaleCheck {
  readonly target: string;
  readonly largeMessages: number;
  /** The adapter's median read on the large thread. */
  readonly largeNs: number;
  /** The adapter's median read on a 1k thread, measured alongside (interleaved) on its own repository. */
  readonly baselineNs: number;
  /** The W3 1k row's median (measured earlier, in a smaller heap): shown for reference, not judged. */
  readonly rowNs: number | undefined;
  readonly ratio: number;
  readonly passed: boolean;
}

/**
 * Judge W3 at `largeMessages` against its 1k baseline. The baseline is measured in the same rounds as the large
 * thread, so heap size and machine load (this machine is shared) weigh on both alike; an adapter whose read cost
 * grows with the thread's length still fails by far. `null` when W3 at that length was not measured.
 */
export function scaleCheck(target: string, measurements: readonly Measurement[], largeMessages: number) {
  const find = (messages: number) => measurements.find((m) => m.workload.id === readNewestId(messages));
  const large = find(largeMessages);
  if (large?.baseline === undefined) return null;
  const ratio = large.adapter.medianNs / large.baseline.medianNs;
  const check: ScaleCheck = {
    target,
    largeMessages,
    largeNs: large.adapter.medianNs,
    baselineNs: large.baseline.medianNs,
    rowNs: find(SCALE_BASELINE_MESSAGES)?.adapter.medianNs,
    ratio,
    passed: ratio <= LIMIT,
  };
  return check;
}

/** `PASS W3 scale check (memory): newest 50 of 1M 6.1 µs vs of 1k 5.9 µs alongside = ×1.03 (limit ×2); …`. */
export function formatScaleCheck(check: ScaleCheck): string {
  const verdict = check.passed ? 'PASS' : 'FAIL';
  const large = sizeLabel(check.largeMessages);
  const small = sizeLabel(SCALE_BASELINE_MESSAGES);
  const row =
    check.rowNs === undefined
      ? ''
      : `; vs the W3 ${small} row ${formatDuration(check.rowNs)}: ×${(check.largeNs / check.rowNs).toFixed(2)}`;
  return (
    `${verdict} W3 scale check (${check.target}): newest 50 of ${large} ${formatDuration(check.largeNs)} ` +
    `vs of ${small} measured alongside ${formatDuration(check.baselineNs)} = ×${check.ratio.toFixed(2)} ` +
    `(limit ×${LIMIT})${row}`
  );
}

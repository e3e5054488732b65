import type { Measurement } from '../runner.js';
import { formatDuration, formatRate, formatRatio } from './format.js';

const HEADER = ['Workload', 'Operation', 'Subject', 'Median/op', 'p95/op', 'ops/s', 'vs floor'] as const;
/** Columns holding numbers are right-aligned. */
const RIGHT = new Set([3, 4, 5, 6]);

/**
 * The results as a Markdown table (readable in a terminal as is): per workload one row for the adapter, with its
 * ratio to the floor (adapter median time per op ÷ floor median time per op), then one row for the floor.
 */
export function renderTable(target: string, measurements: readonly Measurement[]): string {
  const rows: string[][] = [];
  for (const { workload, adapter, floor } of measurements) {
    const cells = (subject: string, s: typeof adapter, ratio: string) => [
      workload.id,
      workload.operation,
      subject,
      formatDuration(s.medianNs),
      formatDuration(s.p95Ns),
      formatRate(s.opsPerSec),
      ratio,
    ];
    rows.push(cells(target, adapter, formatRatio(adapter.medianNs / floor.medianNs)));
    rows.push(cells(`${target} floor`, floor, ''));
  }
  const widths = HEADER.map((title, c) => Math.max(title.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells
      .map((cell, c) => (RIGHT.has(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (RIGHT.has(c) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(HEADER), rule, ...rows.map(line)].join('\n');
}

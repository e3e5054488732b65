/** `734 ns`, `12.3 µs`, `4.56 ms`, `1.20 s`: three significant digits in a fitting unit. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return 'n/a';
  if (ns < 1e3) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${significant(ns / 1e3)} µs`;
  if (ns < 1e9) return `${significant(ns / 1e6)} ms`;
  return `${significant(ns / 1e9)} s`;
}

/** `1,234,567` operations per second, or three significant digits below 100. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return 'n/a';
  if (perSecond >= 100) return Math.round(perSecond).toLocaleString('en-US');
  return significant(perSecond);
}

/** `×12.3`: how many times the floor's time. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  return `×${ratio >= 100 ? ratio.toFixed(0) : significant(ratio)}`;
}

function significant(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

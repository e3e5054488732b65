import cliProgress from 'cli-progress';

/** Counts shown while a long command runs. */
export interface ProgressCounts {
  threads: number;
  messages: number;
}

/** Reports a long command's progress: a bar on a terminal, plain lines otherwise, nothing with `--json` / `--quiet`. */
export interface Progress {
  update(counts: ProgressCounts): void;
  stop(): void;
}

/** Where progress goes and how. */
export interface ProgressOptions {
  /** The stream (stderr: stdout may carry the data). */
  stream: NodeJS.WriteStream;
  /** `false`: report nothing. */
  enabled: boolean;
  /** What is being done, e.g. `copy`. */
  label: string;
  /** The total messages expected, when known (the bar then shows a percentage and ETA). */
  totalMessages?: number;
  /** Plain-line interval in ms (default 2000). */
  intervalMs?: number;
}

/**
 * A progress reporter: on a TTY a `cli-progress` bar with counts and rate (messages/s); otherwise a plain line
 * (`copy: 12 threads, 3400 messages, 1700 messages/s`) at most every `intervalMs`, and one at the end.
 */
export function createProgress(options: ProgressOptions): Progress {
  if (!options.enabled) return { update: () => undefined, stop: () => undefined };
  const started = Date.now();
  const rate = (messages: number): number => Math.round(messages / Math.max(0.001, (Date.now() - started) / 1000));
  if (options.stream.isTTY === true) {
    const total = options.totalMessages;
    const bar = new cliProgress.SingleBar(
      {
        stream: options.stream,
        // With a known total: a bar, percentage and ETA; without, the counts and rate alone (still redrawn in place).
        format:
          total === undefined
            ? `${options.label} | {threads} threads | {value} messages | {rate} messages/s | {duration_formatted}`
            : `${options.label} |{bar}| {percentage}% | {threads} threads | {value}/{total} messages | {rate} messages/s | ETA {eta_formatted}`,
        barCompleteChar: '#',
        barIncompleteChar: '-',
        hideCursor: true,
        noTTYOutput: false,
        etaBuffer: 50,
        fps: 10,
      },
      cliProgress.Presets.legacy,
    );
    bar.start(total ?? 0, 0, { threads: 0, rate: 0 });
    let last: ProgressCounts = { threads: 0, messages: 0 };
    return {
      update(counts) {
        last = counts;
        if (total === undefined) bar.setTotal(Math.max(counts.messages, 1));
        bar.update(counts.messages, { threads: counts.threads, rate: rate(counts.messages) });
      },
      stop() {
        bar.update(last.messages, { threads: last.threads, rate: rate(last.messages) });
        bar.stop();
      },
    };
  }
  const interval = options.intervalMs ?? 2000;
  let shown = 0;
  let last: ProgressCounts = { threads: 0, messages: 0 };
  const line = (counts: ProgressCounts): void => {
    options.stream.write(
      `${options.label}: ${counts.threads} threads, ${counts.messages} messages, ${rate(counts.messages)} messages/s\n`,
    );
  };
  return {
    update(counts) {
      last = counts;
      if (Date.now() - shown >= interval) {
        shown = Date.now();
        line(counts);
      }
    },
    stop() {
      line(last);
    },
  };
}

/**
 * The `fluxibly` command's exit statuses, for scripts. Documented in the README and in `fluxibly --help`.
 */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Failed: the backend was unreachable or failed, a file could not be read or written, or the data was invalid. */
  failure: 1,
  /** Bad usage: an unknown command or option, a bad value, a bad environment variable, or `erase` without `--yes` off a terminal. */
  usage: 2,
  /** A conflict: `import --on-conflict fail` met a thread that exists, or a thread id exists under another scope. */
  conflict: 3,
  /** `copy` finished but its verification (counts and checksum of source and target) found a difference. */
  verification: 4,
  /** `erase` was not confirmed at the prompt. Nothing was deleted. */
  aborted: 5,
} as const;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends the command with `code` and prints `message` (no stack). */
export class CliError extends Error {
  readonly code: ExitCode;
  constructor(code: ExitCode, message: string) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }
}

/** The help text's exit-status section. */
export const EXIT_HELP = `Exit status:
  0  done
  1  failed (backend unreachable or failing, file unreadable, invalid data)
  2  bad usage (unknown command or option, bad value, bad environment variable, erase without --yes off a terminal)
  3  conflict (import --on-conflict fail met an existing thread; a thread id exists under another scope)
  4  copy verification found a difference between source and target
  5  erase not confirmed`;

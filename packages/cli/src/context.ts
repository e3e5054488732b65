import type { OpenBackend } from './backend.js';
import { backendSource, openBackend } from './backend.js';
import type { Progress, ProgressOptions } from './progress.js';
import { createProgress } from './progress.js';

/** Where a command writes and how: shared by every command. */
export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
}

/** The global options every command reads. */
export interface GlobalOptions {
  envFile?: string;
  json?: boolean;
  quiet?: boolean;
}

/** What a command runs with. */
export class CommandContext {
  readonly io: CliIo;
  readonly options: GlobalOptions;

  constructor(io: CliIo, options: GlobalOptions) {
    this.io = io;
    this.options = options;
  }

  get json(): boolean {
    return this.options.json === true;
  }

  /** Open the source backend (`--env-file`, or the process environment). The caller closes it. */
  async open(): Promise<OpenBackend> {
    return openBackend(await backendSource(this.options.envFile, 'backend'));
  }

  /** A progress reporter on stderr (silent with `--json` or `--quiet`). */
  progress(label: string, extra: Partial<ProgressOptions> = {}): Progress {
    return createProgress({
      stream: this.io.stderr,
      enabled: !this.json && this.options.quiet !== true,
      label,
      ...extra,
    });
  }

  /** Print the command's result: JSON on stdout with `--json`, else `human` lines. */
  result(value: unknown, human: string | readonly string[]): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value)}\n`);
    else this.io.stdout.write(`${typeof human === 'string' ? human : human.join('\n')}\n`);
  }

  /** A message for people, on stderr (silent with `--json` / `--quiet`). */
  note(line: string): void {
    if (!this.json && this.options.quiet !== true) this.io.stderr.write(`${line}\n`);
  }
}

/** Run `body` with `backend` open, closing it however `body` ends. */
export async function withBackend<T>(
  backend: Promise<OpenBackend>,
  body: (open: OpenBackend) => Promise<T>,
): Promise<T> {
  const open = await backend;
  try {
    return await body(open);
  } finally {
    await open.repository.close().catch(() => undefined);
  }
}

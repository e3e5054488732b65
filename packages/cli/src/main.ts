import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConflictError, FluxiblyError, validateIdForCli } from './ids.js';
import { copyCommand } from './commands/copy.js';
import { eraseCommand, pruneCommand } from './commands/erase-prune.js';
import { exportCommand, importCommand } from './commands/export-import.js';
import { migrateCommand } from './commands/migrate.js';
import { statsCommand } from './commands/stats.js';
import { transcriptCommand } from './commands/transcript.js';
import type { CliIo, GlobalOptions } from './context.js';
import { CommandContext } from './context.js';
import type { ExitCode } from './exit-codes.js';
import { CliError, EXIT, EXIT_HELP } from './exit-codes.js';
import { ADAPTER_OPTIONS_VARIABLE } from './backend.js';

const BACKEND_HELP = `Backend: read from the same environment variables as StateConfig.fromEnv() in @fluxibly/core
(DB_BACKEND, DATABASE_URL or DB_HOST/DB_PORT/DB_NAME/DB_USER/DB_PASSWORD, REDIS_URL, MONGODB_URL, MONGODB_DB,
SQLITE_PATH), with --env-file's variables over the process's; ${ADAPTER_OPTIONS_VARIABLE} (a JSON object) is passed
to the adapter as adapterOptions (e.g. {"schema":"tenant_a"} or {"keyPrefix":"app:"}). The adapter package
(@fluxibly/postgres, @fluxibly/redis, …) and its driver must be installed next to the CLI.`;

function positiveInteger(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(n >= 1 && n <= max)) throw new InvalidArgumentError(`${name} must be an integer from 1 to ${max}`);
    return n;
  };
}

function id(name: string) {
  return (value: string): string => {
    const problem = validateIdForCli(value);
    if (problem !== undefined) throw new InvalidArgumentError(`${name} ${problem}`);
    return value;
  };
}

function collectId(name: string) {
  const check = id(name);
  return (value: string, previous: string[] = []): string[] => [...previous, check(value)];
}

/** The `fluxibly` program: every command, its options and help. `run` is what a command's action runs. */
export function buildProgram(io: CliIo, run: (body: () => Promise<void>) => Promise<void>): Command {
  const program = new Command('fluxibly')
    .description(
      'Operate a Fluxibly State conversation store: migrate, stats, export / import, copy, erase, prune, transcripts.',
    )
    .option('--env-file <path>', 'read the backend variables from this dotenv file (over the environment)')
    .option('--json', 'print the result as one JSON object on stdout (no progress output)')
    .option('-q, --quiet', 'no progress output')
    .showHelpAfterError('(fluxibly --help lists the commands; fluxibly <command> --help their options)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText('after', `\n${BACKEND_HELP}\n\n${EXIT_HELP}\n`);
  const context = (command: Command) => new CommandContext(io, command.optsWithGlobals<GlobalOptions>());

  program
    .command('migrate')
    .description('bring the store schema up to date (PostgreSQL migrations, MongoDB indexes, SQLite tables)')
    .option('--dry-run', 'list the pending migrations without applying them')
    .action((options: { dryRun?: boolean }, command: Command) => run(() => migrateCommand(context(command), options)));

  program
    .command('stats')
    .description('threads, messages, users and bytes (content + metadata JSON) per organisation')
    .requiredOption('--org <id>', 'an organisation (repeat for several)', collectId('--org'))
    .option('--no-bytes', 'skip reading every message to count bytes (threads and messages come from the listings)')
    .action((options: { org: string[]; bytes: boolean }, command: Command) =>
      run(() => statsCommand(context(command), options)),
    );

  program
    .command('export')
    .description('write an organisation (or one user) as JSON Lines: a header, then each thread and its messages')
    .requiredOption('--org <id>', 'the organisation', id('--org'))
    .option('--user <id>', 'only this user', id('--user'))
    .option('--out <file>', 'write to this file (default: stdout)')
    .action((options: { org: string; user?: string; out?: string }, command: Command) =>
      run(() => exportCommand(context(command), options)),
    );

  program
    .command('import')
    .description('store an export file exactly as exported (idempotent: a second run writes nothing)')
    .requiredOption('--file <file>', 'the JSON Lines file (- for stdin)')
    .addOption(
      new Option('--on-conflict <mode>', 'a thread that already exists: skip (add its missing messages) or fail')
        .choices(['skip', 'fail'])
        .default('skip'),
    )
    .action((options: { file: string; onConflict: 'skip' | 'fail' }, command: Command) =>
      run(() => importCommand(context(command), options)),
    );

  program
    .command('copy')
    .description('copy an organisation (or one user) to another backend, resumably, then verify counts and checksum')
    .requiredOption('--org <id>', 'the organisation', id('--org'))
    .option('--user <id>', 'only this user', id('--user'))
    .requiredOption('--to-env-file <path>', 'the target backend: a dotenv file that sets DB_BACKEND and its connection')
    .option('--no-verify', 'skip the verification read of both sides')
    .action((options: { org: string; user?: string; toEnvFile: string; verify: boolean }, command: Command) =>
      run(() => copyCommand(context(command), options)),
    );

  program
    .command('erase')
    .description('delete every thread and message of an organisation or user (right to erasure), resumably')
    .requiredOption('--org <id>', 'the organisation', id('--org'))
    .option('--user <id>', 'only this user', id('--user'))
    .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)')
    .action((options: { org: string; user?: string; yes?: boolean }, command: Command) =>
      run(() => eraseCommand(context(command), options)),
    );

  program
    .command('prune')
    .description('delete threads with no activity for N days, oldest first, in batches')
    .requiredOption('--inactive-days <n>', 'days without activity', positiveInteger('--inactive-days', 1_000_000))
    .option('--org <id>', 'only this organisation (default: every organisation)', id('--org'))
    .option('--batch <n>', 'threads per pruneThreads call', positiveInteger('--batch', 10_000), 1000)
    .action((options: { inactiveDays: number; org?: string; batch: number }, command: Command) =>
      run(() => pruneCommand(context(command), options)),
    );

  program
    .command('transcript')
    .description('one thread as Markdown for people (roles, times, tool calls and results)')
    .requiredOption('--thread <id>', 'the thread', id('--thread'))
    .requiredOption('--org <id>', 'its organisation', id('--org'))
    .requiredOption('--user <id>', 'its user', id('--user'))
    .option('--out <file>', 'write to this file (default: stdout)')
    .action((options: { thread: string; org: string; user: string; out?: string }, command: Command) =>
      run(() => transcriptCommand(context(command), options)),
    );

  for (const command of program.commands) {
    command.addHelpText('after', `\n${EXIT_HELP}\n`);
  }
  return program;
}

/** The exit code an error ends the command with. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.code;
  if (error instanceof ConflictError) return EXIT.conflict;
  return EXIT.failure;
}

/**
 * Run `fluxibly` with `argv` (the arguments after the program name) and return the exit code; errors are printed
 * (`fluxibly: …` on stderr, and `{"error":{…}}` on stdout with `--json`).
 */
export async function main(argv: readonly string[], io: CliIo = process): Promise<ExitCode> {
  let failure: unknown;
  const program = buildProgram(io, async (body) => {
    try {
      await body();
    } catch (error) {
      failure = error;
    }
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.help' ||
        error.code === 'commander.version'
        ? EXIT.ok
        : EXIT.usage;
    }
    failure = error;
  }
  if (failure === undefined) return EXIT.ok;
  const code = exitCodeOf(failure);
  const message = failure instanceof Error ? failure.message : 'unknown failure';
  if (argv.includes('--json')) {
    const errorCode = failure instanceof FluxiblyError ? failure.code : failure instanceof CliError ? 'CLI' : 'ERROR';
    io.stdout.write(`${JSON.stringify({ error: { exitCode: code, code: errorCode, message } })}\n`);
  }
  io.stderr.write(`fluxibly: ${message}\n`);
  return code;
}

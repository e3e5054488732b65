import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { probeServer } from './database.js';
import { freePort } from './pgbouncer.js';

const run = promisify(execFile);

/** Where Debian installs the PostgreSQL 15 server binaries (override with `PG_BIN_DIR`). */
export const PG_BIN_DIR = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

/** Why a private server cannot be started here, or `undefined` when it can. */
export function privateServerMissing(): string | undefined {
  for (const binary of ['initdb', 'postgres']) {
    if (!existsSync(path.join(PG_BIN_DIR, binary))) return `no ${binary} in ${PG_BIN_DIR} (set PG_BIN_DIR)`;
  }
  return undefined;
}

/** A PostgreSQL server this test started: where it listens, and how to freeze, thaw and stop it. */
export interface PrivateServer {
  readonly port: number;
  /** `postgres://user[:password]@127.0.0.1:port/postgres`. */
  url(user?: string, password?: string): string;
  /** SIGSTOP the postmaster and every backend: the server keeps its sockets but answers nothing. */
  freeze(): Promise<void>;
  /** SIGCONT them all. */
  thaw(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `initdb` a fresh cluster in a temporary directory and start it on a free loopback port, as the `postgres` user
 * when run as root (PostgreSQL refuses root). With `password`, the superuser `postgres` gets it and every
 * connection must authenticate with scram-sha-256; otherwise trust. Resolves once a client gets an answer
 * (polling with a deadline).
 */
export async function startPrivateServer(options: { password?: string } = {}): Promise<PrivateServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fluxibly-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? await postgresIds() : undefined;
  if (ids !== undefined) await chown(dir, ids.uid, ids.gid);
  await chmod(dir, 0o700);
  const as = (binary: string, args: string[]): [string, string[]] =>
    asRoot
      ? ['runuser', ['-u', 'postgres', '--', path.join(PG_BIN_DIR, binary), ...args]]
      : [path.join(PG_BIN_DIR, binary), args];
  const auth: string[] = ['--auth=trust'];
  if (options.password !== undefined) {
    const pwfile = path.join(dir, 'pwfile');
    await writeFile(pwfile, `${options.password}\n`, { mode: 0o600 });
    if (ids !== undefined) await chown(pwfile, ids.uid, ids.gid);
    auth.splice(0, 1, '--auth=scram-sha-256', `--pwfile=${pwfile}`);
  }
  await run(...as('initdb', ['-D', data, '-U', 'postgres', '--no-sync', ...auth]));
  const port = await freePort();
  const [command, args] = as('postgres', [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
  ]);
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = (user = 'postgres', password?: string): string =>
    `postgres://${encodeURIComponent(user)}${password === undefined ? '' : `:${encodeURIComponent(password)}`}@127.0.0.1:${port}/postgres`;
  const postmaster = async (): Promise<number> =>
    Number((await readFile(path.join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const processes = async (): Promise<number[]> => {
    const pid = await postmaster();
    const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', String(pid)]).catch(() => ({ stdout: '' }));
    return [pid, ...stdout.split(/\s+/).filter(Boolean).map(Number)];
  };
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    // runuser stops itself when the server it waits for is stopped (as su does): continue it too.
    const runner = asRoot && name === 'SIGCONT' && child.pid !== undefined ? [child.pid] : [];
    for (const pid of [...(await processes()), ...runner]) {
      try {
        process.kill(pid, name);
      } catch {
        // The process ended meanwhile.
      }
    }
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      await signal('SIGCONT').catch(() => undefined);
      const pid = await postmaster().catch(() => undefined);
      if (pid !== undefined) process.kill(pid, 'SIGQUIT'); // immediate shutdown
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const probe = await probeServer(url('postgres', options.password), 20_000);
  if ('reason' in probe) {
    await stop();
    throw new Error(`private postgres did not start: ${probe.reason} ${stderr.trim()}`);
  }
  return {
    port,
    url,
    freeze: async () => signal('SIGSTOP'),
    thaw: async () => signal('SIGCONT'),
    stop,
  };
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

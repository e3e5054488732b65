import { execFile, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ClusterNode } from 'ioredis';
import { closedPort, IN_CI, skipSuite } from './redis.js';

/**
 * Private `redis-server` processes on free loopback ports, for tests that stop, freeze or misconfigure a server
 * (never the shared ones). Readiness is polled with a deadline.
 */

const READY_DEADLINE_MS = 20_000;
const CLUSTER_SCRIPT = fileURLToPath(new URL('../../../../scripts/redis-cluster.sh', import.meta.url));

/** Whether `redis-server` can be run here. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Whether the suite `name` can start private servers. Under `CI=true` a missing `redis-server` throws (a failure);
 * locally it is a one-line skip with the reason.
 */
export function privateServersAvailable(name: string): boolean {
  if (hasRedisServer()) return true;
  if (IN_CI) throw new Error(`${name}: redis-server is required when CI=true (it starts private servers)`);
  skipSuite(`${name}: skipped, redis-server is not installed (it starts private servers)`);
  return false;
}

/** A private standalone server. */
export interface PrivateServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` (no password). */
  readonly url: string;
  /** SIGSTOP: the server keeps its connections but answers nothing. */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
  /** Stop it (thawing it first) and wait until it has exited. */
  stop(): Promise<void>;
}

/** Poll `probe` until it resolves true, or fail after the deadline. */
export async function pollUntil(what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${READY_DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether a Redis server answers on `port` (`+PONG`, or `-NOAUTH` from one with a password): a raw PING. */
async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const done = (up: boolean): void => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (reply) => done(/^(\+PONG|-NOAUTH)/u.test(reply.toString())));
  });
}

/** Start a private `redis-server` (extra `args`, e.g. `--requirepass x`) on a free loopback port. */
export async function startPrivateServer(args: readonly string[] = []): Promise<PrivateServer> {
  const port = await closedPort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    await pollUntil(`redis-server on port ${port}`, async () => {
      if (gone) throw new Error(`redis-server on port ${port} exited`);
      return answers(port);
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const signal = (name: NodeJS.Signals): void => {
    if (!gone) child.kill(name);
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
    async stop() {
      signal('SIGCONT');
      signal('SIGKILL');
      await exited;
    },
  };
}

/** A private 3-master cluster started by `scripts/redis-cluster.sh`. */
export interface PrivateCluster {
  readonly nodes: ClusterNode[];
  /** SIGKILL every master at once. */
  killAll(): Promise<void>;
  /** Stop every node and remove its directory. */
  stop(): Promise<void>;
}

/**
 * Start a private 3-master cluster on free loopback ports from a random base port: below 22,000, so a node's port
 * and its bus port (+10,000) stay under Linux's ephemeral range (32,768 and up), where another process's outgoing
 * connection could take one between the free-port check and the node's start (it happened in CI).
 */
export async function startPrivateCluster(): Promise<PrivateCluster> {
  const base = String(10_000 + Math.floor(Math.random() * 12_000));
  const run = promisify(execFile);
  const { stdout } = await run('bash', [CLUSTER_SCRIPT, 'start'], {
    env: { ...process.env, REDIS_CLUSTER_BASE_PORT: base },
  });
  const nodesLine = /REDIS_CLUSTER_NODES=(\S+)/u.exec(stdout)?.[1] ?? '';
  const dir = /REDIS_CLUSTER_DIR=(\S+)/u.exec(stdout)?.[1] ?? '';
  const nodes = nodesLine.split(',').map((entry) => ({ host: '127.0.0.1', port: Number(entry.split(':')[1]) }));
  const pids = async (): Promise<number[]> =>
    Promise.all(nodes.map(async ({ port }) => Number(await readFile(`${dir}/${port}/redis.pid`, 'utf8'))));
  return {
    nodes,
    async killAll() {
      for (const pid of await pids()) process.kill(pid, 'SIGKILL');
      await pollUntil('cluster nodes to exit', async () =>
        (await Promise.all(nodes.map(({ port }) => answers(port)))).every((up) => !up),
      );
    },
    async stop() {
      await run('bash', [CLUSTER_SCRIPT, 'stop', dir]);
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { Scope } from '@fluxibly/core';
import type { KeySpace } from './keys.js';
import { INDEX_PUT } from './scripts/listing.js';
import type { RedisClient, Script } from './scripts/run.js';
import { runScript, script } from './scripts/run.js';

const PUT = script(INDEX_PUT);

/** Points between a thread write and its listing-index write, where a crash is simulated in tests. */
export type CrashPoint = 'before-thread-write' | 'after-thread-write';

/** What every operation needs: the client, the key layout and the repository's settings. */
export interface OpContext {
  readonly client: RedisClient;
  readonly keys: KeySpace;
  /** Time to live of a thread's keys in ms; 0 for none. */
  readonly ttlMs: number;
  /** Index writes inside the thread scripts (standalone Redis) rather than as separate commands (cluster). */
  readonly inline: boolean;
  /**
   * Test hook (set only through `setCrashHook` of the internal entry, never from options): called at each crash
   * point of a separate index write; throwing there simulates a process that died at that point.
   */
  crash: ((point: CrashPoint) => void) | undefined;
}

/**
 * Run a thread script: the thread's keys and a receipt key (fresh for a script that keeps receipts; plus the scope's
 * listing indexes when inline) and the common ARGV. The receipt key is fixed when the command is built, so an
 * ioredis resend reuses it.
 */
export function runThreadScript(
  context: OpContext,
  lua: Script,
  scope: Scope,
  threadId: string,
  args: readonly (string | number)[] = [],
  now = Date.now(),
): Promise<unknown> {
  const { thread, messages, ids, member } = context.keys.thread(threadId);
  // A fresh receipt per call only for the scripts that keep one (a UUID costs the hot append about 0.4 µs).
  const keys = [thread, messages, ids, lua.receipt ? `${thread}:r:${randomUUID()}` : `${thread}:r`];
  if (context.inline) keys.push(...indexKeys(context, scope));
  return runScript(context.client, lua, keys, [scope.orgId, scope.userId, member, now, context.ttlMs, ...args]);
}

/** The listing indexes a thread of `scope` appears in: the user's and the organisation's. */
export function indexKeys(context: OpContext, scope: Scope): [string, string] {
  const { userIndex, orgIndex } = context.keys.scope(scope.orgId, scope.userId);
  return [userIndex, orgIndex];
}

/**
 * Write a thread's entry in both listing indexes (separate mode only): `NX` before a create (returns which
 * entries were added) or `GT` after a write (the score only rises, so a late writer never moves a thread back).
 * Without a TTL each is one plain `ZADD`; with one, a script that also renews the index's TTL.
 */
export async function putIndexEntries(
  context: OpContext,
  scope: Scope,
  threadId: string,
  score: number,
  mode: 'NX' | 'GT',
): Promise<boolean[]> {
  const { client, ttlMs } = context;
  const { member } = context.keys.thread(threadId);
  const added = await Promise.all(
    indexKeys(context, scope).map((index) =>
      ttlMs > 0
        ? runScript(client, PUT, [index], [member, score, ttlMs, mode])
        : client.call('ZADD', index, mode, score, member),
    ),
  );
  return added.map((value) => value === 1);
}

/** After a successful thread write in separate mode: move the thread in both listings to `updatedAt`. */
export async function syncIndexes(
  context: OpContext,
  scope: Scope,
  threadId: string,
  updatedAt: number,
): Promise<void> {
  if (context.inline) return;
  context.crash?.('after-thread-write');
  await putIndexEntries(context, scope, threadId, updatedAt, 'GT');
}

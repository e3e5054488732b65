import { randomUUID } from 'node:crypto';
import type { Scope } from '@fluxibly/core';
import type { KeySpace } from './keys.js';
import { encodeKeyPart } from './keys.js';
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
  /** Test hook: called at each crash point of a separate index write; throwing there simulates a crash. */
  readonly crash?: ((point: CrashPoint) => void) | undefined;
}

/**
 * Run a thread script: the thread's keys and a fresh receipt key (plus the scope's listing indexes when inline)
 * and the common ARGV. The receipt key is fixed when the command is built, so an ioredis resend reuses it.
 */
export function runThreadScript(
  context: OpContext,
  lua: Script,
  scope: Scope,
  threadId: string,
  args: readonly (string | number)[] = [],
  now = Date.now(),
): Promise<unknown> {
  const { thread, messages, ids } = context.keys.thread(threadId);
  const keys = [thread, messages, ids, `${thread}:r:${randomUUID()}`];
  if (context.inline) keys.push(...indexKeys(context, scope));
  const member = encodeKeyPart(threadId);
  return runScript(context.client, lua, keys, [scope.orgId, scope.userId, member, now, context.ttlMs, ...args]);
}

/** The listing indexes a thread of `scope` appears in: the user's and the organisation's. */
export function indexKeys(context: OpContext, scope: Scope): [string, string] {
  return [context.keys.userIndex(scope.orgId, scope.userId), context.keys.orgIndex(scope.orgId)];
}

/**
 * Write a thread's entry in both listing indexes (separate mode only): `NX` before a create (returns which
 * entries were added) or `GT` after a write (the score only rises, so a late writer never moves a thread back).
 */
export async function putIndexEntries(
  context: OpContext,
  scope: Scope,
  threadId: string,
  score: number,
  mode: 'NX' | 'GT',
): Promise<boolean[]> {
  const added = await Promise.all(
    indexKeys(context, scope).map((index) =>
      runScript(context.client, PUT, [index], [encodeKeyPart(threadId), score, context.ttlMs, mode]),
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

import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** A client the adapter talks to: a standalone connection or a cluster. */
export type RedisClient = Redis | Cluster;

/** A Lua script and its SHA-1, run by EVALSHA. */
export interface Script {
  readonly lua: string;
  readonly sha: string;
  /**
   * Whether the script keeps a receipt (it reads its call's receipt key, see `prelude.ts`): only then does a thread
   * script get a fresh receipt key per call (a random UUID in the name); the others get the thread's fixed name,
   * which nothing writes.
   */
  readonly receipt: boolean;
}

/** How a script that keeps a receipt starts using it (`prelude.ts`'s `receipt`). */
const READS_RECEIPT = "redis.call('GET', receipt)";

/** Prepare a script (its SHA-1 is computed once, and whether it keeps a receipt). */
export function script(lua: string): Script {
  return { lua, sha: createHash('sha1').update(lua).digest('hex'), receipt: lua.includes(READS_RECEIPT) };
}

/**
 * Run a script in one round trip: EVALSHA, and EVAL (which also caches it on the server) only when the server
 * answers NOSCRIPT (first use on that node, or after SCRIPT FLUSH / a restart). The caller's client is not
 * modified (no `defineCommand`). Arguments go as one array (a fork may pass hundreds of thousands).
 */
export async function runScript(
  client: RedisClient,
  { lua, sha }: Script,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await client.call('EVALSHA', [sha, keys.length, ...keys, ...args]);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
      return client.call('EVAL', [lua, keys.length, ...keys, ...args]);
    }
    throw error;
  }
}

import type { Redis } from 'ioredis';
import type { KeySpace } from './keys.js';
import type { RedisClient } from './scripts/run.js';

/**
 * Every key `<prefix><pattern>` (a SCAN pattern after the escaped prefix) on every master, sorted. For the inspector
 * and the one-off registry backfill only, never for an operation of the repository.
 */
export async function scanKeys(client: RedisClient, keys: KeySpace, pattern: string): Promise<string[]> {
  const match = `${keys.prefix.replace(/[*?[\]\\]/gu, (c) => `\\${c}`)}${pattern}`;
  const nodes: Redis[] =
    'nodes' in client && typeof client.nodes === 'function' && (client as { isCluster?: boolean }).isCluster === true
      ? client.nodes('master')
      : [client as Redis];
  const out: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      cursor = next;
      out.push(...batch);
    } while (cursor !== '0');
  }
  return out.sort();
}

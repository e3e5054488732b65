import type { StoreInspector } from '@fluxibly/core/adapter';
import { compareCodePoints } from '@fluxibly/core/adapter';
import type { KeySpace } from './keys.js';
import { decodeKeyPart, encodeKeyPart } from './keys.js';
import { scanKeys } from './scan.js';
import type { RedisClient } from './scripts/run.js';

/** The seed's name for core's `StoreInspector`, kept for compatibility. */
export type RedisStoreInspector = StoreInspector;

/**
 * Raw read access to what a repository stored, bypassing its read path (core's `StoreInspector`), so
 * `runConformanceSuite({ …, inspect: (repo) => inspectRedisStore(clientOf(repo), repo.keys) })` checks what was
 * really stored. For tests and debugging only: `snapshot` walks the key space with SCAN (on every master of a
 * cluster), which the repository itself never does.
 * - `snapshot(orgId)`: every thread key found by SCAN whose hash names this org (by id, code point order) with its
 *   raw fields, messages (score and stored string) and id map, plus the raw entries of the organisation's and each
 *   user's listing index;
 * - `messageSeqs(threadId)`: the scores (`seq`s) of a thread's message sorted set, ascending; `[]` for none;
 * - `remains({ orgId, userId? })`: raw records of the scope (SCAN): thread hashes it owns, message sets holding its
 *   owner mark (also a half-gone thread's), entries of its user listing(s), the organisation listing's entries of
 *   its threads (for a user: an entry whose thread hash is gone counts when its message set holds the user's mark
 *   or nothing says whose it is), and, for an organisation, its membership of the registry.
 */
export function inspectRedisStore(client: RedisClient, keys: KeySpace): StoreInspector {
  return {
    async snapshot(orgId) {
      // Owners of every thread key, read in parallel (pipelined), then the full hashes of this org's threads.
      const threadKeys = await scanThreadKeys(client, keys);
      const owners = await Promise.all(threadKeys.map((key) => client.hget(key, 'o')));
      const found: { id: string; fields: Record<string, string> }[] = [];
      for (const [i, key] of threadKeys.entries()) {
        const id = decodeThreadKey(key, keys.prefix);
        if (owners[i] === orgId && id !== undefined) found.push({ id, fields: await client.hgetall(key) });
      }
      found.sort((a, b) => compareCodePoints(a.id, b.id));
      const threads = [];
      for (const { id, fields } of found) {
        const k = keys.thread(id);
        threads.push({
          id,
          fields: sortObject(fields),
          messages: pairs(await zrangeAll(client, k.messages)).filter(isMessage),
          ids: sortObject(await client.hgetall(k.ids)),
        });
      }
      const users = [...new Set(found.map(({ fields }) => fields.u ?? ''))].sort();
      return {
        orgId,
        threads,
        orgIndex: pairs(await zrangeAll(client, keys.orgIndex(orgId))),
        userIndexes: await Promise.all(
          users.map(async (userId) => ({
            userId,
            entries: pairs(await zrangeAll(client, keys.userIndex(orgId, userId))),
          })),
        ),
      };
    },
    async remains({ orgId, userId }) {
      const org = encodeKeyPart(orgId);
      // Thread hashes of the scope, and message sets whose owner mark is the scope's (an orphaned set shows too).
      const threadKeys = await scanKeys(client, keys, 't:{*}');
      const owners = await Promise.all(threadKeys.map((key) => client.hmget(key, 'o', 'u')));
      let records = owners.filter(([o, u]) => o === orgId && (userId === undefined || u === userId)).length;
      const mark = userId === undefined ? `#${org}.` : keys.scope(orgId, userId).owner;
      const sets = await scanKeys(client, keys, 't:{*}:m');
      const marks = await Promise.all(sets.map((key) => client.zrangebyscore(key, '+inf', '+inf')));
      records += marks.filter((members) =>
        members.some((member) => (userId === undefined ? member.startsWith(mark) : member === mark)),
      ).length;
      // Listing entries: the user's listing (or every user listing of the organisation), and the organisation's
      // entries of this scope's threads (or whose thread is gone).
      const userIndexes =
        userId === undefined ? await scanKeys(client, keys, `u:{${org}.*}`) : [keys.userIndex(orgId, userId)];
      for (const index of userIndexes) records += await client.zcard(index);
      const members = await client.zrange(keys.orgIndex(orgId), '0', '-1');
      const rows = await Promise.all(members.map((m) => client.hmget(keys.thread(decodeKeyPart(m)).thread, 'o', 'u')));
      for (const [i, [o, u]] of rows.entries()) {
        if (userId === undefined || (o === orgId && u === userId)) records += 1;
        else if (o === null) {
          // The thread's hash is gone: its owner mark (if its message set is left) says whose entry this is.
          const left = await client.zrangebyscore(
            keys.thread(decodeKeyPart(members[i] ?? '')).messages,
            '+inf',
            '+inf',
          );
          if (left.length === 0 || left.includes(mark)) records += 1;
        }
      }
      if (userId === undefined && (await client.sismember(keys.registry(), orgId)) === 1) records += 1;
      return records;
    },
    async messageSeqs(threadId) {
      const flat = await zrangeAll(client, keys.thread(threadId).messages);
      return pairs(flat)
        .filter(isMessage)
        .map(([, score]) => Number(score));
    },
  };
}

/** Every thread hash key (`<prefix>t:{…}`) on every master. */
function scanThreadKeys(client: RedisClient, keys: KeySpace): Promise<string[]> {
  return scanKeys(client, keys, 't:{*}');
}

function decodeThreadKey(key: string, prefix: string): string | undefined {
  const encoded = key.slice(prefix.length + 3, -1);
  if (!/^(?:[0-9a-f]{2})*$/u.test(encoded)) return undefined;
  return decodeKeyPart(encoded);
}

/** Every member and score of a sorted set, ascending. */
async function zrangeAll(client: RedisClient, key: string): Promise<string[]> {
  return client.zrange(key, '0', '-1', 'WITHSCORES');
}

function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as string]);
  return out;
}

/** Not the owner mark a thread's message set holds at score `+inf` (see `keys.ts`). */
function isMessage([, score]: [string, string]): boolean {
  return score !== 'inf';
}

function sortObject(object: Record<string, string>): [string, string][] {
  return Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

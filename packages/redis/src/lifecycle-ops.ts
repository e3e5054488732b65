import { randomUUID } from 'node:crypto';
import type { ChatThread, EraseResult, PruneResult, Scope } from '@fluxibly/core';

import type {
  ValidImportMessages,
  ValidImportThread,
  ValidPrune,
  ValidPruneScope,
  ValidTransfer,
} from '@fluxibly/core/adapter';
import { compareCodePoints, importSeqBeyond, importSeqTaken, threadNotFound } from '@fluxibly/core/adapter';
import type { ThreadRow } from './codec.js';
import { decodeThread, encodeMessageBody } from './codec.js';
import type { OpContext } from './context.js';
import { indexKeys, putIndexEntries, runThreadScript, syncIndexes } from './context.js';
import { decodeKeyPart, encodeKeyPart } from './keys.js';
import { INDEX_DROP, INDEX_FIX } from './scripts/listing.js';
import { ERASE_THREAD, IMPORT_MESSAGES, IMPORT_THREAD, TRANSFER_THREAD } from './scripts/lifecycle-writes.js';
import { runScript, script } from './scripts/run.js';
import { registerOrg, unregisterOrg } from './registry.js';
import { getThread } from './thread-ops.js';

const S = {
  erase: script(ERASE_THREAD),
  transfer: script(TRANSFER_THREAD),
  importThread: script(IMPORT_THREAD),
  importMessages: script(IMPORT_MESSAGES),
  drop: script(INDEX_DROP),
  fix: script(INDEX_FIX),
};

/** A listing entry: the thread it names and its score (`updatedAt` as the index holds it). */
interface Entry {
  readonly threadId: string;
  readonly member: string;
  readonly score: number;
}

/**
 * The data-lifecycle operations. Threads are found from the listing indexes (least recently active first: the low
 * end of a sorted set), never by a scan; each is deleted by one script on its own keys (atomic against an append,
 * which finds no thread afterwards), with its listing entries (inline on a standalone server; next, on a Cluster).
 * An entry whose thread is gone (expired with `ttlSeconds`, or deleted by a crashed call) is dropped on the way.
 */

/** Delete up to `limit` threads of a user (or an organisation). */
export async function eraseThreads(
  context: OpContext,
  scope: { orgId: string; userId?: string },
  limit: number,
): Promise<EraseResult> {
  const index =
    scope.userId === undefined ? context.keys.orgIndex(scope.orgId) : context.keys.userIndex(scope.orgId, scope.userId);
  const total: EraseResult = { threads: 0, messages: 0 };
  // A batch of only stale entries deletes no thread but still makes progress: read on until a thread goes or the
  // index is empty, so that 0 threads means nothing of the scope is left.
  for (;;) {
    const entries = parseEntries(await context.client.zrange(index, '0', String(limit - 1), 'WITHSCORES'));
    if (entries.length === 0) {
      if (scope.userId === undefined) await unregisterOrg(context, scope.orgId);
      return total;
    }
    const done = await removeEntries(context, index, scope, entries, '');
    total.threads += done.threads;
    total.messages += done.messages;
    if (total.threads > 0) return total;
  }
}

/**
 * Delete up to `limit` threads inactive since before the cut-off, oldest first: from the organisation's listing, or
 * (no `orgId`) from every registered organisation's, merged by (`updatedAt`, id). A listing score can lag behind a
 * thread's `updatedAt` (a write whose listing update was lost), never lead it, so the candidates include every
 * inactive thread; the delete script re-checks `updatedAt`.
 */
export async function pruneThreads(
  context: OpContext,
  scope: ValidPruneScope,
  input: ValidPrune,
): Promise<PruneResult> {
  const orgs = scope.orgId === undefined ? await context.client.smembers(context.keys.registry()) : [scope.orgId];
  // One range per organisation, sent together (pipelined on the connection).
  const ranges = await Promise.all(
    orgs.map(
      (orgId) =>
        context.client.call(
          'ZRANGE',
          context.keys.orgIndex(orgId),
          '-inf',
          `(${input.inactiveBefore}`,
          'BYSCORE',
          'LIMIT',
          0,
          input.limit,
          'WITHSCORES',
        ) as Promise<Array<string | string[]>>,
    ),
  );
  const candidates = orgs.flatMap((orgId, i) => parseEntries(ranges[i] ?? []).map((entry) => ({ ...entry, orgId })));
  candidates.sort((a, b) => a.score - b.score || compareCodePoints(a.threadId, b.threadId));
  const batch = candidates.slice(0, input.limit);
  const result: PruneResult = { deleted: 0, messages: 0, more: candidates.length >= input.limit };
  for (const orgId of new Set(batch.map((entry) => entry.orgId))) {
    const entries = batch.filter((entry) => entry.orgId === orgId);
    const done = await removeEntries(
      context,
      context.keys.orgIndex(orgId),
      { orgId },
      entries,
      String(input.inactiveBefore),
    );
    result.deleted += done.threads;
    result.messages += done.messages;
  }
  return result;
}

/**
 * Delete the threads `entries` of `index` name, each by one script guarded by its owner (read first: an
 * organisation's listing does not say which user), and with `cutoff` by its inactivity. An entry whose thread is
 * gone or not `scope`'s is removed from `index` (compare-and-set on its score); a half-gone thread's remaining keys
 * go too (see `ERASE_THREAD`), with its entry in the other listing. An entry whose thread was written to since the
 * cut-off (a listing score can lag behind `updatedAt` when a Cluster write's listing update was lost) is raised to
 * the thread's `updatedAt`, so the next batch does not choose it again.
 */
async function removeEntries(
  context: OpContext,
  index: string,
  scope: { orgId: string; userId?: string },
  entries: readonly Entry[],
  cutoff: string,
): Promise<EraseResult> {
  const { client, keys } = context;
  const owners = await Promise.all(
    entries.map(
      (entry) => client.hmget(keys.thread(entry.threadId).thread, 'o', 'u') as Promise<[string | null, string | null]>,
    ),
  );
  const org = encodeKeyPart(scope.orgId);
  const mark =
    scope.userId === undefined ? [`#${org}.`, 'prefix'] : [keys.scope(scope.orgId, scope.userId).owner, 'exact'];
  const total: EraseResult = { threads: 0, messages: 0 };
  await Promise.all(
    entries.map(async (entry, i) => {
      const [orgId, userId] = owners[i] ?? [null, null];
      if (orgId !== null && (orgId !== scope.orgId || (scope.userId !== undefined && userId !== scope.userId))) {
        await runScript(client, S.fix, [index], [entry.member, entry.score, '']);
        return;
      }
      // A missing hash (expired, or half-gone): the script deletes what is left of it if the scope's mark says so.
      const threadScope = { orgId: scope.orgId, userId: userId ?? scope.userId ?? '' };
      const reply = (await runThreadScript(context, S.erase, threadScope, entry.threadId, [cutoff, ...mark])) as
        ['OK', string, string] | ['KEEP', string] | ['GONE', string] | ['NF'];
      if (reply[0] === 'KEEP') {
        await runScript(client, S.fix, [index], [entry.member, entry.score, reply[1]]);
        return;
      }
      if (reply[0] === 'NF' || reply[0] === 'GONE') {
        // The gone thread's entry in the other listing too (a user's listing for an organisation's erase, known from
        // the owner mark; the organisation's for a user's), unless a newer thread with its id holds it.
        let others: string[] = [];
        if (reply[0] === 'GONE') {
          const user = decodeKeyPart(reply[1].slice(reply[1].indexOf('.') + 1));
          others = indexKeys(context, { orgId: scope.orgId, userId: user });
        } else if (orgId === null && scope.userId !== undefined) {
          others = [keys.orgIndex(scope.orgId)];
        }
        await Promise.all([
          runScript(client, S.fix, [index], [entry.member, entry.score, '']),
          ...others
            .filter((key) => key !== index)
            .map((key) => runScript(client, S.drop, [key], [entry.member, entry.score])),
        ]);
        return;
      }
      total.threads += 1;
      total.messages += Number(reply[2]);
      if (!context.inline) {
        context.crash?.('after-thread-write');
        await Promise.all(
          indexKeys(context, threadScope).map((key) => runScript(client, S.drop, [key], [entry.member, reply[1]])),
        );
      }
    }),
  );
  return total;
}

/** Entries of a `WITHSCORES` reply: flat `[member, score, …]`, or pairs `[[member, score], …]` (RESP3). */
function parseEntries(reply: ReadonlyArray<string | readonly string[]>): Entry[] {
  const flat: string[] = reply.flat();
  const out: Entry[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const member = flat[i] as string;
    out.push({ threadId: decodeKeyPart(member), member, score: Number(flat[i + 1]) });
  }
  return out;
}

/**
 * Give a thread to another user of its organisation: one script on the thread's keys (owner, owner mark,
 * `updatedAt`), with the listing entries moved in it on a standalone server (one atomic step).
 *
 * On a Cluster (listings in other slots) the order is: (1) the thread is read (missing: NotFoundError, nothing
 * written); (2) the new user's entry is added (`NX`); (3) the script changes the owner; (4) the new user's and the
 * organisation's entries are raised to the new `updatedAt` (`GT`, re-adding an entry a reader dropped); (5) the old
 * user's entry is removed. Listings check every entry against the thread's owner, so no listing ever shows the
 * thread under both users: before (3) only the old user's does, after it only the new user's. The one transient
 * state possible is "under neither": when a reader of the new user's listing met the entry of (2) before (3) (and
 * dropped it as not yet theirs), the thread is missing from that listing until (4). A crash after (3) leaves at most
 * a stale entry in the old user's listing (never shown: readers drop it) and an entry of the new user's at the
 * time of (2), corrected by the next read or write.
 */
export async function transferThread(context: OpContext, scope: Scope, input: ValidTransfer): Promise<ChatThread> {
  const to = { orgId: scope.orgId, userId: input.toUserId };
  const marks = [context.keys.scope(to.orgId, to.userId).owner, context.keys.scope(scope.orgId, scope.userId).owner];
  const args = [input.toUserId, ...marks];
  let reply: ['OK' | 'SAME', ThreadRow] | ['NF'];
  if (context.inline) {
    const keys = context.keys.thread(input.threadId);
    const [newUser, org] = indexKeys(context, to);
    const [oldUser] = indexKeys(context, scope);
    reply = (await runScript(
      context.client,
      S.transfer,
      [keys.thread, keys.messages, keys.ids, `${keys.thread}:r:${randomUUID()}`, newUser, org, oldUser] as string[],
      [scope.orgId, scope.userId, keys.member, Date.now(), context.ttlMs, ...args],
    )) as typeof reply;
  } else {
    if ((await getThread(context, scope, input.threadId)) === null) throw threadNotFound();
    const early = Date.now();
    const [added] =
      input.toUserId === scope.userId ? [false] : await putIndexEntries(context, to, input.threadId, early, 'NX');
    reply = (await runThreadScript(context, S.transfer, scope, input.threadId, args)) as typeof reply;
    if (reply[0] === 'NF' && added === true) {
      // Deleted or moved since it was read: take back the entry written for the new owner.
      const [newUser] = indexKeys(context, to);
      await runScript(context.client, S.fix, [newUser], [context.keys.thread(input.threadId).member, early, '']);
    }
  }
  if (reply[0] === 'NF') throw threadNotFound();
  const thread = decodeThread(input.threadId, reply[1]);
  if (reply[0] === 'OK' && !context.inline) {
    const { member } = context.keys.thread(input.threadId);
    await syncIndexes(context, to, thread.id, thread.updatedAt.getTime());
    const [oldUser] = indexKeys(context, scope);
    await runScript(context.client, S.drop, [oldUser], [member, thread.updatedAt.getTime()]);
  }
  return thread;
}

/** Store an exported thread as it was; `false` (nothing written) when its id is taken. */
export async function importThread(context: OpContext, scope: Scope, input: ValidImportThread): Promise<boolean> {
  const updatedAt = input.updatedAt.getTime();
  let added: boolean[] = [];
  if (!context.inline) added = await putIndexEntries(context, scope, input.id, updatedAt, 'NX');
  const args = [
    input.name,
    JSON.stringify(input.metadata),
    input.createdAt.getTime(),
    updatedAt,
    input.lastSeq,
    input.parent === undefined ? '' : JSON.stringify(input.parent),
    input.summarySeq ?? '',
    context.keys.scope(scope.orgId, scope.userId).owner,
    randomUUID(),
  ];
  const reply = (await runThreadScript(context, S.importThread, scope, input.id, args)) as ['OK'] | ['CF'];
  if (reply[0] === 'CF') {
    const indexes = indexKeys(context, scope);
    await Promise.all(
      added.flatMap((wasAdded, i) =>
        wasAdded
          ? [runScript(context.client, S.fix, [indexes[i] as string], [encodeKeyPart(input.id), updatedAt, ''])]
          : [],
      ),
    );
    return false;
  }
  await registerOrg(context, scope.orgId);
  return true;
}

/** Store exported messages as they were; returns how many were written. */
export async function importMessages(context: OpContext, scope: Scope, input: ValidImportMessages): Promise<number> {
  const args: (string | number)[] = [];
  for (const message of input.messages) {
    const editedAt = message.editedAt === undefined ? 'null' : String(message.editedAt.getTime());
    const stored = `[${message.seq}\n,${message.createdAt.getTime()}\n,${editedAt}\n,${encodeMessageBody(message)}`;
    args.push(message.seq, message.id, stored);
  }
  const reply = (await runThreadScript(context, S.importMessages, scope, input.threadId, args)) as
    ['OK', number] | ['NF'] | ['BAD', number, string] | ['CF', number];
  if (reply[0] === 'NF') throw threadNotFound();
  if (reply[0] === 'BAD') {
    throw importSeqBeyond(reply[1], reply[2]);
  }
  if (reply[0] === 'CF') {
    const message = input.messages[reply[1]];
    throw importSeqTaken(reply[1], message?.seq ?? '');
  }
  return reply[1];
}

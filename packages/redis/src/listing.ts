import type { ChatThread, ThreadPage } from '@fluxibly/core';
import { ValidationError } from '@fluxibly/core';
import type { ValidListThreads } from '@fluxibly/core/adapter';
import { buildThreadPage, LIMITS, metadataMatches } from '@fluxibly/core/adapter';
import type { ThreadRow } from './codec.js';
import { THREAD_FIELDS, decodePackedThread, decodeThread } from './codec.js';
import type { OpContext } from './context.js';
import { decodeKeyPart, encodeKeyPart } from './keys.js';
import { INDEX_FIX, INDEX_PAGE, LIST_VERIFIED } from './scripts/listing.js';
import { runScript, script } from './scripts/run.js';

const PAGE = script(INDEX_PAGE);
const FIX = script(INDEX_FIX);
const LIST = script(LIST_VERIFIED);

/** How many times a listing re-reads its index after repairing entries, before returning what it has. */
const MAX_REPAIR_ROUNDS = 5;

/** Whose listing: a user's (org and user must match) or an organisation's (org must match). */
export interface ListingOwner {
  readonly index: string;
  readonly orgId: string;
  readonly userId?: string;
}

/**
 * One page of a listing index, verified against the threads. The index holds, per thread, its encoded id scored
 * by `updatedAt`; every entry of the page is checked against the thread itself and:
 * - a thread that is gone (deleted, expired, or never written by a create that crashed) or owned by someone else
 *   is skipped and its entry removed;
 * - an entry whose score is not the thread's `updatedAt` (a write that crashed before its index update) is
 *   corrected.
 * After a repair the page is read again, so the page returned is in true (`updatedAt` desc, `id` desc) order.
 *
 * Standalone (inline index writes): one script does all of it, atomically, in one round trip. Cluster (separate
 * index writes; the threads live in other slots): the index page (a plain ZREVRANGE for the first page, a script
 * after a cursor), then one HMGET per thread in parallel — two round trips; repairs are compare-and-set, so a
 * concurrent writer's newer score always wins. Never a scan.
 */
export async function listPage(context: OpContext, owner: ListingOwner, input: ValidListThreads): Promise<ThreadPage> {
  if (input.metadata !== undefined) return listFiltered(context, owner, input, input.metadata);
  const cursor =
    input.cursor === undefined ? ['', ''] : [cursorScore(input.cursor.updatedAt), encodeKeyPart(input.cursor.id)];
  const verified = context.inline
    ? await listInline(context, owner, input.limit + 1, cursor)
    : await listSeparate(context, owner, input.limit + 1, cursor);
  return buildThreadPage(verified, input.limit);
}

/** How many threads a filtered listing examines per verified page. */
const FILTER_CHUNK = 200;

/**
 * A page of the threads whose metadata matches `filter`. Redis has no secondary index on metadata: the owner's
 * listing is walked newest first from the cursor, a verified page of {@link FILTER_CHUNK} threads (or `limit + 1`,
 * if larger) at a time, until `limit + 1` threads match or the listing ends. So its cost is bounded by the number
 * of the owner's (user's or organisation's) threads newer than the last match — a few round trips for a filter
 * most threads match, a walk of the whole listing for one none does. Same order and cursors as unfiltered pages.
 */
async function listFiltered(
  context: OpContext,
  owner: ListingOwner,
  input: ValidListThreads,
  filter: NonNullable<ValidListThreads['metadata']>,
): Promise<ThreadPage> {
  const matches: ChatThread[] = [];
  const chunk = Math.min(LIMITS.pageSize, Math.max(FILTER_CHUNK, input.limit + 1));
  let cursor = input.cursor;
  for (;;) {
    const page = await listPage(context, owner, { limit: chunk, ...(cursor === undefined ? {} : { cursor }) });
    for (const thread of page.threads) {
      if (metadataMatches(thread.metadata, filter)) matches.push(thread);
      if (matches.length > input.limit) return buildThreadPage(matches, input.limit);
    }
    const last = page.threads.at(-1);
    if (page.nextCursor === null || last === undefined) return buildThreadPage(matches, input.limit);
    cursor = { updatedAt: last.updatedAt, id: last.id };
  }
}

/**
 * A cursor's time as the sorted-set score the listing scripts compare with: epoch ms as plain decimal digits,
 * which Redis always parses as a float. Core's cursor decoding admits only whole ms from 1970 to the year 9999
 * (at most 15 digits, below 2^53, so `String` never writes an exponent or a fraction); anything else is refused
 * here too, so no cursor can reach Redis as `ERR value is not a valid float`.
 * @throws ValidationError naming `cursor`.
 */
export function cursorScore(updatedAt: Date): string {
  const ms = updatedAt.getTime();
  if (!Number.isSafeInteger(ms) || ms < 0) throw new ValidationError('cursor', 'is not a thread cursor');
  return String(ms);
}

async function listInline(
  context: OpContext,
  owner: ListingOwner,
  want: number,
  cursor: string[],
): Promise<ChatThread[]> {
  const args = [want, ...cursor, context.keys.prefix, owner.orgId, owner.userId ?? ''];
  const packed = (await runScript(context.client, LIST, [owner.index], args)) as string[];
  return packed.map(decodePackedThread);
}

async function listSeparate(
  context: OpContext,
  owner: ListingOwner,
  want: number,
  cursor: string[],
): Promise<ChatThread[]> {
  const { client, keys } = context;
  for (let round = 1; ; round++) {
    const flat =
      cursor[0] === ''
        ? await client.zrevrange(owner.index, 0, want - 1, 'WITHSCORES')
        : ((await runScript(client, PAGE, [owner.index], [want, ...cursor])) as string[]);
    const entries: { member: string; id: string; score: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const member = flat[i] as string;
      entries.push({ member, id: decodeKeyPart(member), score: Number(flat[i + 1]) });
    }
    const rows = await Promise.all(
      entries.map(({ id }) => client.hmget(keys.thread(id).thread, ...THREAD_FIELDS) as Promise<ThreadRow>),
    );
    const threads: ChatThread[] = [];
    const repairs: Promise<unknown>[] = [];
    entries.forEach(({ member, id, score }, i) => {
      const row = rows[i];
      const thread = row === undefined || row[0] === null ? undefined : decodeThread(id, row);
      if (!belongsTo(thread, owner)) {
        repairs.push(runScript(client, FIX, [owner.index], [member, score, '']));
      } else if (thread.updatedAt.getTime() !== score) {
        repairs.push(runScript(client, FIX, [owner.index], [member, score, thread.updatedAt.getTime()]));
      } else threads.push(thread);
    });
    if (repairs.length === 0 || round >= MAX_REPAIR_ROUNDS) return threads;
    await Promise.all(repairs);
  }
}

/** Whether the thread exists and belongs to the listing's owner. */
function belongsTo(thread: ChatThread | undefined, owner: ListingOwner): thread is ChatThread {
  return thread?.orgId === owner.orgId && (owner.userId === undefined || thread.userId === owner.userId);
}

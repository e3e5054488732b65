import { randomUUID } from 'node:crypto';
import type { ChatThread, Scope } from '@fluxibly/core';
import type { ValidCreateThread, ValidFork, ValidUpdateThread } from '@fluxibly/core/adapter';
import {
  forkPointError,
  LIMITS,
  metadataConflict,
  metadataPatchTooLarge,
  threadIdTaken,
  threadNotFound,
} from '@fluxibly/core/adapter';
import type { ThreadRow } from './codec.js';
import { decodeThread, messageKey } from './codec.js';
import type { OpContext } from './context.js';
import { encodeKeyPart } from './keys.js';
import { registerOrg } from './registry.js';
import { indexKeys, putIndexEntries, runThreadScript, syncIndexes } from './context.js';
import { GET_THREAD, FORK_SOURCE } from './scripts/reads.js';
import { INDEX_DROP, INDEX_FIX } from './scripts/listing.js';
import { runScript, script } from './scripts/run.js';
import { CLEAR, CREATE, DELETE_THREAD, UPDATE } from './scripts/thread-writes.js';

const S = {
  create: script(CREATE),
  get: script(GET_THREAD),
  update: script(UPDATE),
  remove: script(DELETE_THREAD),
  clear: script(CLEAR),
  forkSource: script(FORK_SOURCE),
  drop: script(INDEX_DROP),
  fix: script(INDEX_FIX),
};

type RowReply = ['OK', ThreadRow] | ['NF'] | ['CF'];

interface NewThread {
  id: string;
  name: string;
  metadataJson: string;
  lastSeq: number;
  parentJson: string;
  /** The fork's summarySeq, `''` for none. */
  summarySeq: string;
  /** Triples (seq, id, stored message) of copied messages. */
  copies: string[];
}

/**
 * Create a thread in one script. In separate mode (cluster) the listing entries are written first (`NX`), so a
 * crash can only leave an entry whose thread is missing (readers drop it), never a thread no listing shows; after
 * the thread write they are raised to its `updatedAt` (also re-adding an entry a reader dropped meanwhile). On a
 * conflict, entries this call added are removed again.
 */
async function create(context: OpContext, scope: Scope, input: NewThread): Promise<ChatThread> {
  const now = Date.now();
  let added: boolean[] = [];
  if (!context.inline) {
    added = await putIndexEntries(context, scope, input.id, now, 'NX');
    context.crash?.('before-thread-write');
  }
  const { owner } = context.keys.scope(scope.orgId, scope.userId);
  const args = [
    input.name,
    input.metadataJson,
    input.parentJson,
    input.lastSeq,
    randomUUID(),
    owner,
    input.summarySeq,
    ...input.copies,
  ];
  const reply = (await runThreadScript(context, S.create, scope, input.id, args, now)) as RowReply;
  if (reply[0] !== 'OK') {
    const indexes = indexKeys(context, scope);
    const undo: Promise<unknown>[] = [];
    added.forEach((wasAdded, i) => {
      if (wasAdded)
        undo.push(runScript(context.client, S.fix, [indexes[i] as string], [encodeKeyPart(input.id), now, '']));
    });
    await Promise.all(undo);
    throw threadIdTaken();
  }
  const thread = decodeThread(input.id, reply[1]);
  await Promise.all([
    syncIndexes(context, scope, thread.id, thread.updatedAt.getTime()),
    registerOrg(context, scope.orgId),
  ]);
  return thread;
}

/** Create an empty thread. @throws ConflictError when the id is used by any thread. */
export function createThread(context: OpContext, scope: Scope, input: ValidCreateThread): Promise<ChatThread> {
  return create(context, scope, {
    id: input.id,
    name: input.name,
    metadataJson: JSON.stringify(input.metadata),
    lastSeq: 0,
    parentJson: '',
    summarySeq: '',
    copies: [],
  });
}

/** The thread, or `null` when it does not exist for `scope`. One round trip. */
export async function getThread(context: OpContext, scope: Scope, threadId: string): Promise<ChatThread | null> {
  const reply = (await runThreadScript(context, S.get, scope, threadId)) as RowReply;
  return reply[0] === 'OK' ? decodeThread(threadId, reply[1]) : null;
}

/**
 * Rename, replace or patch the metadata (with an optional compare-and-set), move `updatedAt`, in one script.
 * @throws NotFoundError, ConflictError (`expectedMetadata`), ValidationError (patched metadata too large).
 */
export async function updateThread(context: OpContext, scope: Scope, input: ValidUpdateThread): Promise<ChatThread> {
  const args: (string | number)[] = [
    input.name === undefined ? '0' : '1',
    input.name ?? '',
    input.metadata === undefined ? '0' : '1',
    input.metadata === undefined ? '' : JSON.stringify(input.metadata),
    LIMITS.metadataBytes,
  ];
  const expected = Object.entries(input.expectedMetadata ?? {});
  args.push(expected.length);
  for (const [key, value] of expected) args.push(JSON.stringify(key), JSON.stringify(value));
  const patch = input.metadataPatch;
  args.push(patch?.remove.length ?? 0);
  if (patch !== undefined) {
    for (const key of patch.remove) args.push(JSON.stringify(key));
    for (const [key, value] of Object.entries(patch.set)) args.push(JSON.stringify(key), JSON.stringify(value));
  }
  const reply = (await runThreadScript(context, S.update, scope, input.threadId, args)) as RowReply | ['BIG'];
  if (reply[0] === 'CF') throw metadataConflict();
  if (reply[0] === 'BIG') throw metadataPatchTooLarge();
  if (reply[0] !== 'OK') throw threadNotFound();
  const thread = decodeThread(input.threadId, reply[1]);
  await syncIndexes(context, scope, thread.id, thread.updatedAt.getTime());
  return thread;
}

/**
 * Delete a thread's keys in one script; in separate mode its listing entries go next (a crash in between leaves
 * entries whose thread is missing: readers drop them). An entry whose score is newer than the deleted thread
 * (a new thread with the same id) is kept.
 */
export async function deleteThread(context: OpContext, scope: Scope, threadId: string): Promise<boolean> {
  const reply = (await runThreadScript(context, S.remove, scope, threadId)) as ['OK', string] | ['NF'];
  if (reply[0] !== 'OK') return false;
  if (!context.inline) {
    context.crash?.('after-thread-write');
    await Promise.all(
      indexKeys(context, scope).map((index) =>
        runScript(context.client, S.drop, [index], [encodeKeyPart(threadId), reply[1]]),
      ),
    );
  }
  return true;
}

/** Remove every message, keep the thread and `lastSeq`. @throws NotFoundError. */
export async function clearThread(context: OpContext, scope: Scope, threadId: string): Promise<number> {
  const reply = (await runThreadScript(context, S.clear, scope, threadId)) as ['OK', number, string] | ['NF'];
  if (reply[0] !== 'OK') throw threadNotFound();
  await syncIndexes(context, scope, threadId, Number(reply[2]));
  return reply[1];
}

/**
 * Fork: read the source's messages up to `atSeq` in one script (a consistent snapshot), then create the new
 * thread with all its copies in one script, so the fork appears whole or not at all.
 * @throws NotFoundError, then ValidationError (`atSeq` beyond `lastSeq`), then ConflictError.
 */
export async function forkThread(context: OpContext, scope: Scope, input: ValidFork): Promise<ChatThread> {
  const source = (await runThreadScript(context, S.forkSource, scope, input.threadId, [input.atSeq ?? ''])) as
    ['OK', ThreadRow, string[]] | ['NF'] | ['BAD', string];
  if (source[0] === 'NF') throw threadNotFound();
  if (source[0] === 'BAD') throw forkPointError(input.atSeq ?? 0, Number(source[1]));
  const [, row, stored] = source;
  const atSeq = input.atSeq ?? Number(row[6]);
  const sourceSummary = row[9];
  const copies: string[] = [];
  for (const message of stored) {
    const { seq, id } = messageKey(message);
    copies.push(String(seq), id, message);
  }
  return create(context, scope, {
    id: input.id,
    name: input.name ?? row[2],
    metadataJson: input.metadata === undefined ? row[3] : JSON.stringify(input.metadata),
    lastSeq: atSeq,
    parentJson: JSON.stringify({ threadId: input.threadId, seq: atSeq }),
    summarySeq:
      sourceSummary !== undefined && sourceSummary !== null && Number(sourceSummary) <= atSeq ? sourceSummary : '',
    copies,
  });
}

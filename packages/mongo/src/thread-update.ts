import { setTimeout as delay } from 'node:timers/promises';
import type { ChatThread, JsonObject, Scope } from '@fluxibly/core';
import { UnavailableError } from '@fluxibly/core';
import type { ValidUpdateThread } from '@fluxibly/core/adapter';
import { applyMetadataPatch, metadataConflict, metadataMatches, threadNotFound } from '@fluxibly/core/adapter';
import type { Filter } from 'mongodb';
import type { ThreadDocument } from './codec.js';
import { metadataFields, toChatThread, touchTime } from './codec.js';
import type { ReadyConnection } from './connection.js';
import { DEFAULT_RETRY_POLICY } from './transactions.js';

/**
 * `updateThread`: a single-document write on the thread, atomic without a transaction, in a compare-and-swap loop:
 * read the thread, decide, then write with a `findOneAndUpdate` whose filter requires what the decision rests on.
 *
 * - **Decide.** Check `expectedMetadata` (`metadataMatches`), merge `metadataPatch` (`applyMetadataPatch`, which
 *   also checks the merged size: conflict first, then size; nothing written on either), or take the new
 *   `metadata`; `updatedAt` becomes `max(now, updatedAt read)`.
 * - **Write only on what was read.** The filter requires the scope, `updatedAt <= ` the new `updatedAt` (so it never
 *   goes backwards, whatever a concurrent writer's clock said) and, with a patch or an expectation, the exact
 *   metadata text that was read. A concurrent change in between makes the write match nothing, and the loop
 *   decides again on a fresh read. So 32 concurrent patches of different keys each land once and none is lost, and
 *   of 32 writers with the same expectation the first write changes the metadata and the others then see the
 *   expectation fail (`ConflictError`, nothing written).
 *
 * Why not a server-side pipeline update (`$setField` / `$unsetField` on a BSON copy of the metadata): keys holding
 * `.` or starting with `$` need `$getField`/`$setField` (MongoDB 5.0+), the JSON text and the listing tags
 * (`metadata-tags.ts`) could not be kept in the same write (aggregation cannot produce JSON text), and the pinned
 * stand-in the tests run on has no pipeline updates (nor `$max`), so that path could not be tested. The loop uses
 * only `$set` on fields whose names never come from the caller, so any key is safe.
 *
 * No new attempt starts after the transactions' retry budget (30 s): the call then fails with `UnavailableError`.
 * @throws NotFoundError, ConflictError (`expectedMetadata`), ValidationError (`metadataPatch` too large).
 */
export async function updateThread(db: ReadyConnection, scope: Scope, input: ValidUpdateThread): Promise<ChatThread> {
  const owner = { _id: input.threadId, orgId: scope.orgId, userId: scope.userId };
  const onMetadata = input.metadataPatch !== undefined || input.expectedMetadata !== undefined;
  const policy = DEFAULT_RETRY_POLICY;
  const deadline = policy.clock() + policy.timeLimitMs;
  for (let attempt = 1; ; attempt++) {
    const doc = await db.collections.threads.findOne(owner);
    if (doc === null) throw threadNotFound();
    const updatedAt = touchTime(doc.updatedAt, db.now());
    const set: ThreadFields = { updatedAt };
    if (input.name !== undefined) set.name = input.name;
    const metadata = onMetadata ? decide(input, JSON.parse(doc.metadata) as JsonObject) : input.metadata;
    if (metadata !== undefined) Object.assign(set, metadataFields(metadata));
    const filter: Filter<ThreadDocument> = { ...owner, updatedAt: { $lte: updatedAt } };
    if (onMetadata) filter.metadata = doc.metadata;
    const written = await db.collections.threads.findOneAndUpdate(filter, { $set: set }, { returnDocument: 'after' });
    if (written !== null) return toChatThread(written);
    if (policy.clock() >= deadline) {
      throw new UnavailableError('MongoDB updateThread gave up: the thread kept changing for 30 s');
    }
    await casPause(attempt);
  }
}

/**
 * Wait before the next compare-and-swap attempt: a short jittered back-off (`random × min(1 ms × 1.5^attempt,
 * 50 ms)`). Some writer wins every round, so a loser only needs to step aside briefly, not the transactions' 500 ms.
 */
function casPause(attempt: number): Promise<void> {
  return delay(Math.random() * Math.min(1.5 ** attempt, 50)).then(() => undefined);
}

/** What an update sets. */
type ThreadFields = Partial<Pick<ThreadDocument, 'name' | 'metadata' | 'metadataTags' | 'updatedAt'>>;

/**
 * The metadata to write, decided on `current`: `ConflictError` when `expectedMetadata` does not match, then the
 * patched (size-checked) or replacing metadata, or `undefined` to leave it.
 */
function decide(input: ValidUpdateThread, current: JsonObject): JsonObject | undefined {
  if (input.expectedMetadata !== undefined && !metadataMatches(current, input.expectedMetadata)) {
    throw metadataConflict();
  }
  return input.metadataPatch === undefined ? input.metadata : applyMetadataPatch(current, input.metadataPatch);
}

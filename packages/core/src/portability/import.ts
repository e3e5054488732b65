import type { ConversationRepository } from '../contract/repository.js';
import { ConflictError, ValidationError } from '../errors/errors.js';
import type { ValidImportedMessage } from '../validation/lifecycle.js';
import { LIMITS } from '../validation/limits.js';
import type { ExportHeader } from './format.js';
import type { ValidThreadRecord } from './validate.js';
import { lineField, recordType, validateHeader, validateMessageRecord, validateThreadRecord } from './validate.js';

/** What {@link importConversations} does with a thread whose id is already stored in the same scope. */
export type ImportConflict = 'skip' | 'fail';

/** Options of {@link importConversations}. */
export interface ImportOptions {
  /**
   * A thread id already stored for the same user: `'skip'` (default) keeps the stored thread and adds the
   * messages it lacks (so repeating an interrupted import completes it, and repeating a whole import writes
   * nothing); `'fail'` throws `ConflictError`. A thread id stored under another scope is a `ConflictError` either way.
   */
  onConflict?: ImportConflict;
  /** Called after each stored batch (and each thread) with the running counts, e.g. for a progress bar. */
  onProgress?: (progress: ImportResult) => void;
}

/** What {@link importConversations} did. */
export interface ImportResult {
  /** Threads created. */
  threads: number;
  /** Messages written (a message already stored is not counted). */
  messages: number;
  /** Threads that already existed in their scope (with `onConflict: 'skip'`): their missing messages were added. */
  skippedThreads: number;
  /** Records read, header included. */
  records: number;
}

/**
 * Store an export ({@link exportConversations}, or `parseJsonLines` of a file) in `repository`, any
 * {@link ConversationRepository}: each thread with `importThread` in its own scope (`orgId`/`userId` of its record),
 * then its messages with `importMessages` in batches (at most `LIMITS.batchSize` messages and `LIMITS.batchBytes`),
 * exactly as exported: ids, seqs, timestamps, statuses, forks' parents and summaries. It streams: memory holds one
 * batch.
 *
 * Idempotent with `onConflict: 'skip'`: messages already stored are skipped by id, so importing a file twice
 * writes nothing the second time and an import interrupted halfway, repeated, completes it.
 *
 * @throws ValidationError naming the record (`line N`, 1-based, the header being line 1) and the field. Nothing of
 *   that record is stored; records before it may be (up to the last stored batch): after fixing the file, import it
 *   again with `'skip'`.
 * @throws ConflictError when a thread id is stored under another scope, or (with `onConflict: 'fail'`) in the same
 *   scope; or when a seq is held by another message id in the stored thread.
 */
export async function importConversations(
  repository: ConversationRepository,
  records: AsyncIterable<unknown> | Iterable<unknown>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const onConflict = options.onConflict ?? 'skip';
  if (onConflict !== 'skip' && onConflict !== 'fail') {
    throw new ValidationError('onConflict', `must be "skip" or "fail", got ${JSON.stringify(onConflict)}`);
  }
  const result: ImportResult = { threads: 0, messages: 0, skippedThreads: 0, records: 0 };
  const report = (): void => options.onProgress?.({ ...result });
  let header: ExportHeader | undefined;
  let current: ValidThreadRecord | undefined;
  let batch: ValidImportedMessage[] = [];
  let batchBytes = 0;
  const seen = new Set<string>();

  const flush = async (): Promise<void> => {
    if (current === undefined || batch.length === 0) return;
    result.messages += await repository.importMessages(current.scope, { threadId: current.thread.id, messages: batch });
    batch = [];
    batchBytes = 0;
    seen.clear();
    report();
  };

  for await (const record of records) {
    const line = ++result.records;
    if (header === undefined) {
      header = validateHeader(record);
      continue;
    }
    if (recordType(record, line) === 'thread') {
      await flush();
      current = validateThreadRecord(record, line, header);
      await startThread(repository, current, onConflict, result);
      report();
      continue;
    }
    if (current === undefined) {
      throw new ValidationError(lineField(line, 'threadId'), 'a message before any thread record');
    }
    const { message, bytes } = validateMessageRecord(record, line, current.thread);
    if (seen.has(message.id)) throw new ValidationError(lineField(line, 'id'), 'appears twice in the thread');
    if (batch.length === LIMITS.batchSize || batchBytes + bytes > LIMITS.batchBytes) await flush();
    batch.push(message);
    seen.add(message.id);
    batchBytes += bytes;
  }
  if (header === undefined) throw new ValidationError(lineField(1), 'is missing: an export starts with its header');
  await flush();
  return result;
}

/** Create the thread, or (it exists) decide by `onConflict`. */
async function startThread(
  repository: ConversationRepository,
  record: ValidThreadRecord,
  onConflict: ImportConflict,
  result: ImportResult,
): Promise<void> {
  if (await repository.importThread(record.scope, record.thread)) {
    result.threads += 1;
    return;
  }
  const stored = await repository.getThread(record.scope, record.thread.id);
  if (stored === null) {
    throw new ConflictError(`thread ${JSON.stringify(record.thread.id)} exists under another scope; nothing imported`);
  }
  if (onConflict === 'fail') {
    throw new ConflictError(`thread ${JSON.stringify(record.thread.id)} already exists (onConflict: 'fail')`);
  }
  result.skippedThreads += 1;
}

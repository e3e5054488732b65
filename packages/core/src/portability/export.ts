import type { ConversationRepository } from '../contract/repository.js';
import type { ChatMessage } from '../model/message.js';
import type { ChatThread } from '../model/thread.js';
import { LIMITS } from '../validation/limits.js';
import { validateId, validateInputObject } from '../validation/primitives.js';
import type { ExportHeader, ExportRecord, MessageRecord, ThreadRecord } from './format.js';
import { EXPORT_FORMAT, EXPORT_VERSION } from './format.js';
import { iterateMessages, iterateThreads } from './iterate.js';

/** What {@link exportConversations} exports: an organisation's threads, or one user's. */
export interface ExportScope {
  orgId: string;
  /** Only this user's threads. */
  userId?: string;
}

/** Options of {@link exportConversations}. */
export interface ExportOptions {
  /** Threads and messages read per call (1–1000). Default 1000. */
  pageSize?: number;
  /** The header's `exportedAt`. Default: now. */
  now?: () => Date;
}

/**
 * Every thread of an organisation (or of one user) and every message of each, as {@link ExportRecord}s: the header
 * first, then each thread followed by its messages, oldest first. Works on any {@link ConversationRepository}.
 *
 * It streams: threads are read a page at a time (`listOrgThreads` / `listThreads` with cursors) and each thread's
 * messages a page at a time (`getMessages` forward from seq 0), so memory stays constant whatever the store holds.
 * A thread's messages are those up to the `lastSeq` its listing showed (a message appended later is left out, so
 * the thread record always covers its messages). Threads are listed newest activity first: a thread written to
 * while the export runs may move in the listing, and be left out or exported twice (importing skips the repeat);
 * export a store that is not being written for an exact snapshot.
 * @throws ValidationError naming `orgId` / `userId` (when the iteration starts).
 */
export async function* exportConversations(
  repository: ConversationRepository,
  scope: ExportScope,
  options: ExportOptions = {},
): AsyncGenerator<ExportRecord> {
  const object = validateInputObject(scope, 'scope');
  const orgId = validateId(object.orgId, 'orgId');
  const userId = object.userId === undefined ? undefined : validateId(object.userId, 'userId');
  const limit = options.pageSize ?? LIMITS.pageSize;
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: (options.now ?? (() => new Date()))(),
    orgId,
    ...(userId === undefined ? {} : { userId }),
  };
  yield header;
  for await (const thread of iterateThreads(
    repository,
    { orgId, ...(userId === undefined ? {} : { userId }) },
    limit,
  )) {
    yield* threadRecords(repository, thread, limit);
  }
}

/**
 * One thread's record and its messages' records. The thread record is yielded after its messages were read,
 * so its `messageCount` is the number of messages that follow it.
 */
async function* threadRecords(
  repository: ConversationRepository,
  thread: ChatThread,
  limit: number,
): AsyncGenerator<ExportRecord> {
  const scope = { orgId: thread.orgId, userId: thread.userId };
  // The record comes first and says how many messages follow it: the listing's count, unless the thread changed.
  const count = await countMessages(repository, scope, thread);
  if (count === null) return; // deleted since it was listed
  yield threadRecord(thread, count);
  for await (const message of iterateMessages(repository, scope, thread.id, limit)) {
    if (message.seq > thread.lastSeq) return;
    yield messageRecord(message);
  }
}

/**
 * How many messages with `seq <= thread.lastSeq` the thread holds: the listing's `messageCount` when the thread is
 * unchanged since it was listed (the common case: no extra read), else counted by paging ids.
 */
async function countMessages(
  repository: ConversationRepository,
  scope: { orgId: string; userId: string },
  thread: ChatThread,
): Promise<number | null> {
  const now = await repository.getThread(scope, thread.id);
  if (now === null) return null;
  if (now.updatedAt.getTime() === thread.updatedAt.getTime() && now.messageCount === thread.messageCount) {
    return thread.messageCount;
  }
  let count = 0;
  for await (const message of iterateMessages(repository, scope, thread.id))
    if (message.seq <= thread.lastSeq) count += 1;
  return count;
}

/** A thread as its export record. */
export function threadRecord(thread: ChatThread, messageCount = thread.messageCount): ThreadRecord {
  return {
    type: 'thread',
    id: thread.id,
    orgId: thread.orgId,
    userId: thread.userId,
    name: thread.name,
    metadata: thread.metadata,
    createdAt: thread.createdAt,
    updatedAt: thread.updatedAt,
    lastSeq: thread.lastSeq,
    messageCount,
    ...(thread.parent === undefined ? {} : { parent: { threadId: thread.parent.threadId, seq: thread.parent.seq } }),
    ...(thread.summarySeq === undefined ? {} : { summarySeq: thread.summarySeq }),
  };
}

/** A message as its export record. */
export function messageRecord(message: ChatMessage): MessageRecord {
  return {
    type: 'message',
    id: message.id,
    threadId: message.threadId,
    seq: message.seq,
    role: message.role,
    content: message.content,
    ...(message.name === undefined ? {} : { name: message.name }),
    ...(message.toolCallId === undefined ? {} : { toolCallId: message.toolCallId }),
    metadata: message.metadata,
    status: message.status,
    ...(message.tokenCount === undefined ? {} : { tokenCount: message.tokenCount }),
    ...(message.summaryOf === undefined
      ? {}
      : { summaryOf: { fromSeq: message.summaryOf.fromSeq, toSeq: message.summaryOf.toSeq } }),
    createdAt: message.createdAt,
    ...(message.editedAt === undefined ? {} : { editedAt: message.editedAt }),
  };
}

import type { ConversationRepository } from '../contract/repository.js';
import { encodeMessageCursor } from '../cursor/cursor.js';
import type { ChatMessage } from '../model/message.js';
import type { Scope } from '../model/scope.js';
import type { ChatThread } from '../model/thread.js';
import { LIMITS } from '../validation/limits.js';

/** Which threads {@link iterateThreads} reads: an organisation's, or one user's. */
export interface ThreadsScope {
  orgId: string;
  userId?: string;
}

/**
 * Every thread of an organisation (`listOrgThreads`) or of one user (`listThreads`), newest activity first, read a
 * page at a time by cursor (`pageSize`, default 1000): constant memory whatever the count.
 */
export async function* iterateThreads(
  repository: ConversationRepository,
  scope: ThreadsScope,
  pageSize: number = LIMITS.pageSize,
): AsyncGenerator<ChatThread> {
  let cursor: string | undefined;
  for (;;) {
    const input = cursor === undefined ? { limit: pageSize } : { limit: pageSize, cursor };
    const page =
      scope.userId === undefined
        ? await repository.listOrgThreads({ orgId: scope.orgId }, input)
        : await repository.listThreads({ orgId: scope.orgId, userId: scope.userId }, input);
    yield* page.threads;
    if (page.nextCursor === null || page.threads.length === 0) return;
    cursor = page.nextCursor;
  }
}

/**
 * Every message of a thread, oldest first (forward from seq 0 by cursor, `pageSize` at a time, default 1000);
 * nothing when the thread does not exist for this scope.
 */
export async function* iterateMessages(
  repository: ConversationRepository,
  scope: Scope,
  threadId: string,
  pageSize: number = LIMITS.pageSize,
): AsyncGenerator<ChatMessage> {
  let after = encodeMessageCursor(0);
  for (;;) {
    const page = await repository.getMessages(scope, { threadId, after, limit: pageSize });
    if (page === null) return;
    yield* page.messages;
    if (page.messages.length < pageSize || page.newerCursor === null) return;
    after = page.newerCursor;
  }
}

import { encodeMessageCursor } from '../cursor/cursor.js';
import type { ChatMessage } from '../model/message.js';
import { LIMITS } from '../validation/limits.js';
import type { HistoryMessage, HistoryStore, WindowBudget } from './types.js';

/** Page size used to read backward when only `maxTokens` bounds the window. */
const TOKEN_WINDOW_PAGE = 200;
/** Page size used to look for the system messages at the start of a thread. */
const LEADING_SYSTEM_PAGE = 50;

/**
 * Read the newest messages of a thread that can fit the window, oldest first, ready for trimming:
 * - pages backward from the newest message until the thread's start, or until what was read already exceeds the
 *   budget (anything older would be trimmed away);
 * - when older messages were left unread, also reads the thread's leading system messages (those before its
 *   first non-system message: the system prompt), so they stay pinned, and drops the tool results at the start
 *   of what was read, whose tool call lies in the unread part (a call and its results go together).
 * With no budget it reads the whole thread.
 */
export async function readWindowCandidates(
  store: HistoryStore,
  threadId: string,
  budget: WindowBudget,
  count: (message: HistoryMessage) => number,
): Promise<ChatMessage[]> {
  const limit =
    budget.maxMessages !== undefined
      ? Math.min(LIMITS.pageSize, budget.maxMessages + 1)
      : budget.maxTokens !== undefined
        ? TOKEN_WINDOW_PAGE
        : LIMITS.pageSize;
  let read: ChatMessage[] = [];
  let tokens = 0;
  let before: string | undefined;
  for (;;) {
    const page = await store.getMessagesPage({ threadId, limit, before });
    read = page.messages.concat(read);
    if (budget.maxTokens !== undefined) tokens += page.messages.reduce((sum, message) => sum + count(message), 0);
    if (page.olderCursor === null || page.messages.length === 0) return read;
    const over =
      (budget.maxMessages !== undefined && read.length > budget.maxMessages) ||
      (budget.maxTokens !== undefined && tokens > budget.maxTokens);
    if (over) break;
    before = page.olderCursor;
  }
  const leading = await readLeadingSystem(store, threadId, read[0]?.seq ?? 0);
  return leading.concat(dropLeadingToolResults(read));
}

/** The system messages at the very start of a thread, older than `beforeSeq`. */
async function readLeadingSystem(store: HistoryStore, threadId: string, beforeSeq: number): Promise<ChatMessage[]> {
  const found: ChatMessage[] = [];
  let after = encodeMessageCursor(0);
  for (;;) {
    const page = await store.getMessagesPage({ threadId, after, limit: LEADING_SYSTEM_PAGE });
    for (const message of page.messages) {
      if (message.seq >= beforeSeq || message.role !== 'system') return found;
      found.push(message);
    }
    if (page.messages.length < LEADING_SYSTEM_PAGE || page.newerCursor === null) return found;
    after = page.newerCursor;
  }
}

/** Drop the tool messages before the first user/assistant message (system messages are kept). */
function dropLeadingToolResults(messages: ChatMessage[]): ChatMessage[] {
  const firstOther = messages.findIndex((message) => message.role === 'user' || message.role === 'assistant');
  const end = firstOther === -1 ? messages.length : firstOther;
  return messages.filter((message, index) => index >= end || message.role !== 'tool');
}

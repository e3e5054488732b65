import type { ChatMessage } from '../model/message.js';
import { threadNotFound } from '../state-manager/support.js';
import type { SummaryMessage } from '../state-manager/summary.js';
import { newestSummary, readLeadingSystem } from '../state-manager/summary.js';
import { LIMITS } from '../validation/limits.js';
import type { HistoryMessage, HistoryStore, WindowBudget } from './types.js';

/** Page size used to read backward when only `maxTokens` bounds the window. */
const TOKEN_WINDOW_PAGE = 200;

/**
 * Read the newest messages of a thread that can fit the window, oldest first, ready for trimming:
 * - pages backward from the newest message until the thread's start, or until what was read already exceeds the
 *   budget (anything older would be trimmed away);
 * - when older messages were left unread, also reads the thread's leading system messages (those before its
 *   first non-system message: the system prompt), so they stay pinned, and drops the tool results at the start
 *   of what was read, whose tool call lies in the unread part (a call and its results go together).
 * With no budget it reads the whole thread.
 *
 * When the thread has a summary (`summarySeq`), the summary stands for the range it covers: the read stops at its
 * range, and the candidates are the leading system messages, the summary, then the newest messages after the range
 * (older summaries left out). The summary is found by its seq, never by scanning the thread.
 * @throws NotFoundError when the thread does not exist for the store's user.
 */
export async function readWindowCandidates(
  store: HistoryStore,
  threadId: string,
  budget: WindowBudget,
  count: (message: HistoryMessage) => number,
): Promise<ChatMessage[]> {
  const thread = await store.getThread(threadId);
  if (thread === null) throw threadNotFound(threadId);
  const summary = await newestSummary(store, thread);
  if (summary !== null) return readAfterSummary(store, threadId, summary, budget, count);
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

/** The candidates of a thread with a summary: leading system messages, the summary, the newest after its range. */
async function readAfterSummary(
  store: HistoryStore,
  threadId: string,
  summary: SummaryMessage,
  budget: WindowBudget,
  count: (message: HistoryMessage) => number,
): Promise<ChatMessage[]> {
  const { fromSeq, toSeq } = summary.summaryOf;
  const limit = Math.min(LIMITS.pageSize, (budget.maxMessages ?? LIMITS.pageSize) + 1);
  let read: ChatMessage[] = [];
  let tokens = count(summary);
  let before: string | undefined;
  for (;;) {
    const page = await store.getMessagesPage({ threadId, limit, before });
    const fresh = page.messages.filter((message) => message.seq > toSeq && message.summaryOf === undefined);
    read = fresh.concat(read);
    if (budget.maxTokens !== undefined) tokens += fresh.reduce((sum, message) => sum + count(message), 0);
    if (page.olderCursor === null || page.messages.length === 0 || (page.messages[0]?.seq ?? 0) <= toSeq) break;
    const over =
      (budget.maxMessages !== undefined && read.length + 1 > budget.maxMessages) ||
      (budget.maxTokens !== undefined && tokens > budget.maxTokens);
    if (over) break;
    before = page.olderCursor;
  }
  const leading = await readLeadingSystem(store, threadId, fromSeq);
  // A tool result whose call the summary covers (or that is older than what was read) goes with its call.
  return [...leading, summary, ...dropLeadingToolResults(read)];
}

/** Drop the tool messages before the first user/assistant message (system messages are kept). */
function dropLeadingToolResults(messages: ChatMessage[]): ChatMessage[] {
  const firstOther = messages.findIndex((message) => message.role === 'user' || message.role === 'assistant');
  const end = firstOther === -1 ? messages.length : firstOther;
  return messages.filter((message, index) => index >= end || message.role !== 'tool');
}

import type { MessagePage } from '../contract/options.js';
import { encodeMessageCursor } from '../cursor/cursor.js';
import type { ChatMessage } from '../model/message.js';
import type { ChatThread } from '../model/thread.js';
import { LIMITS } from '../validation/limits.js';

/** What reading from a thread's summary needs: a `StateManager` has both. */
export interface SummaryReader {
  getThread(threadId: string): Promise<ChatThread | null>;
  getMessagesPage(options: { threadId: string; after?: string; before?: string; limit?: number }): Promise<MessagePage>;
}

/** A summary message: one with its `summaryOf` range. */
export type SummaryMessage = ChatMessage & { readonly summaryOf: NonNullable<ChatMessage['summaryOf']> };

/** Page size used to look for the system messages at the start of a thread. */
const LEADING_SYSTEM_PAGE = 50;

/**
 * The thread's newest summary: the message at `thread.summarySeq`, read by its seq (one small page, whatever the
 * thread's length). `null` when there is none or it was deleted since.
 */
export async function newestSummary(reader: SummaryReader, thread: ChatThread): Promise<SummaryMessage | null> {
  const seq = thread.summarySeq;
  if (seq === undefined) return null;
  const page = await reader.getMessagesPage({ threadId: thread.id, after: encodeMessageCursor(seq - 1), limit: 1 });
  const message = page.messages[0];
  return message?.seq === seq && message.summaryOf !== undefined ? (message as SummaryMessage) : null;
}

/**
 * The system messages at the very start of a thread (its system prompt: those before its first other message),
 * older than `beforeSeq`.
 */
export async function readLeadingSystem(
  reader: Pick<SummaryReader, 'getMessagesPage'>,
  threadId: string,
  beforeSeq: number,
): Promise<ChatMessage[]> {
  const found: ChatMessage[] = [];
  let after = encodeMessageCursor(0);
  for (;;) {
    const page = await reader.getMessagesPage({ threadId, after, limit: LEADING_SYSTEM_PAGE });
    for (const message of page.messages) {
      if (message.seq >= beforeSeq || message.role !== 'system') return found;
      found.push(message);
    }
    if (page.messages.length < LEADING_SYSTEM_PAGE || page.newerCursor === null) return found;
    after = page.newerCursor;
  }
}

/** Every message with `seq > afterSeq`, oldest first, in pages of {@link LIMITS.pageSize}. */
export async function readAfter(
  reader: Pick<SummaryReader, 'getMessagesPage'>,
  threadId: string,
  afterSeq: number,
): Promise<ChatMessage[]> {
  const all: ChatMessage[] = [];
  let after = encodeMessageCursor(afterSeq);
  for (;;) {
    const page = await reader.getMessagesPage({ threadId, after, limit: LIMITS.pageSize });
    all.push(...page.messages);
    if (page.messages.length < LIMITS.pageSize || page.newerCursor === null) return all;
    after = page.newerCursor;
  }
}

/**
 * A thread read from its newest summary: the leading system messages, the summary, then every message after the
 * range it covers except summaries. `null` when the thread has no (remaining) summary.
 */
export async function readFromSummary(reader: SummaryReader, thread: ChatThread): Promise<ChatMessage[] | null> {
  const summary = await newestSummary(reader, thread);
  if (summary === null) return null;
  const [leading, after] = await Promise.all([
    readLeadingSystem(reader, thread.id, summary.summaryOf.fromSeq),
    readAfter(reader, thread.id, summary.summaryOf.toSeq),
  ]);
  return [...leading, summary, ...after.filter((message) => message.summaryOf === undefined)];
}

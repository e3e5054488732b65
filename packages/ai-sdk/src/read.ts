import type { ChatMessage, ChatThread, StateManager } from '@fluxibly/core';
import { NotFoundError } from '@fluxibly/core';

/** Options naming the thread a helper works on. */
export interface ThreadOptions {
  threadId: string;
}

/** The thread and all its messages, oldest first (read newest page first, 1000 at a time). */
export async function readThread(
  state: StateManager,
  threadId: string,
): Promise<{ thread: ChatThread; messages: ChatMessage[] }> {
  const thread = await state.getThread(threadId);
  if (thread === null) throw new NotFoundError(`thread ${threadId} not found`);
  const pages: ChatMessage[][] = [];
  let before: string | undefined;
  for (;;) {
    const page = await state.getMessagesPage({ threadId, limit: 1000, before });
    pages.unshift(page.messages);
    if (page.olderCursor === null || page.messages.length === 0) break;
    before = page.olderCursor;
  }
  return { thread, messages: pages.flat() };
}

import type { ChatMessage, ChatThread, StateManager } from '@fluxibly/core';
import { NotFoundError } from '@fluxibly/core';

/** Options naming the thread a helper works on. */
export interface ThreadOptions {
  threadId: string;
}

/**
 * The thread and all its messages, oldest first. The thread is read first, so its `lastSeq` is never newer than the
 * messages read (a write in between makes a guarded write conflict and retry).
 */
export async function readThread(
  state: StateManager,
  threadId: string,
): Promise<{ thread: ChatThread; messages: ChatMessage[] }> {
  const thread = await state.getThread(threadId);
  if (thread === null) throw new NotFoundError(`thread ${threadId} not found`);
  return { thread, messages: await state.loadConversationHistory({ threadId }) };
}

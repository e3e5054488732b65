import { uuidv7, type ChatThread, type StateManager } from '@fluxibly/core';
import type { ThreadOptions } from './read.js';

/** The thread metadata key that names the stream a thread's reply is being written by. */
export const ACTIVE_STREAM_KEY = 'activeStreamId';

/** A UUIDv7 message id: pass as `toUIMessageStreamResponse({ generateMessageId })` so UI ids are stored ids. */
export function generateMessageId(): string {
  return uuidv7();
}

/**
 * Claims the thread for a resumable stream: sets `activeStreamId` only if no stream owns the thread (one atomic
 * compare-and-set). Throws `ConflictError` when another request already owns it.
 */
export async function setActiveStreamId(
  state: StateManager,
  options: ThreadOptions & { streamId: string },
): Promise<ChatThread> {
  return state.updateThread({
    threadId: options.threadId,
    metadataPatch: { [ACTIVE_STREAM_KEY]: options.streamId },
    expectedMetadata: { [ACTIVE_STREAM_KEY]: null },
  });
}

/** Releases the thread: clears `activeStreamId` only if `streamId` still owns it (`ConflictError` otherwise). */
export async function clearActiveStreamId(
  state: StateManager,
  options: ThreadOptions & { streamId: string },
): Promise<ChatThread> {
  return state.updateThread({
    threadId: options.threadId,
    metadataPatch: { [ACTIVE_STREAM_KEY]: null },
    expectedMetadata: { [ACTIVE_STREAM_KEY]: options.streamId },
  });
}

/** The id of the stream that owns the thread, or `null` (for `useChat`'s resume route). */
export async function getActiveStreamId(state: StateManager, options: ThreadOptions): Promise<string | null> {
  const thread = await state.getThread(options.threadId);
  const value = thread?.metadata[ACTIVE_STREAM_KEY];
  return typeof value === 'string' ? value : null;
}

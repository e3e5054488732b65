import type { StateManager } from '@fluxibly/core';
import type { UIMessage } from 'ai';
import { readThread, type ThreadOptions } from './read.js';
import { toUIMessages } from './ui-messages.js';

/** The whole thread as UI messages, for `useChat({ messages })`. */
export async function loadUIMessages(state: StateManager, options: ThreadOptions): Promise<UIMessage[]> {
  return toUIMessages((await readThread(state, options.threadId)).messages);
}

/** Options of {@link loadModelSafeUIMessages}. */
export interface ModelSafeOptions extends ThreadOptions {
  /** At most this many of the newest messages. */
  limit: number;
}

/** Tool states that `convertToModelMessages` cannot send: the call has no result yet. */
const UNFINISHED = new Set(['input-streaming', 'input-available']);

function isUnfinishedTool(part: { type: string; state?: unknown }): boolean {
  return (part.type.startsWith('tool-') || part.type === 'dynamic-tool') && UNFINISHED.has(String(part.state));
}

/**
 * The newest `limit` messages, safe to convert and send to a model: the window starts at a user (or system) message,
 * never in the middle of a turn (so never with a tool result whose call it cut off), and tool calls that never got a
 * result (`input-streaming`, `input-available`, e.g. from an aborted stream) are left out, with any message emptied
 * by that.
 */
export async function loadModelSafeUIMessages(state: StateManager, options: ModelSafeOptions): Promise<UIMessage[]> {
  const all = toUIMessages((await readThread(state, options.threadId)).messages);
  let window = all.slice(Math.max(0, all.length - options.limit));
  const start = window.findIndex((message) => message.role !== 'assistant');
  window = start < 0 ? [] : window.slice(start);
  return window.flatMap((message) => {
    const parts = message.parts.filter((part) => !isUnfinishedTool(part as { type: string; state?: unknown }));
    if (parts.length === 0 && message.parts.length > 0) return [];
    return [{ ...message, parts }];
  });
}

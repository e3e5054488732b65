import {
  ConflictError,
  type ChatMessage,
  type MessageStatus,
  type NewMessage,
  type StateManager,
} from '@fluxibly/core';
import type { UIMessage } from 'ai';
import { readThread, type ThreadOptions } from './read.js';
import { fromUIMessages } from './ui-messages.js';

/** Options of {@link saveUIMessages}. */
export interface SaveUIMessagesOptions extends ThreadOptions {
  /** `onFinish`'s `isAborted`: the last assistant message is stored with `status: 'incomplete'`. */
  isAborted?: boolean;
  /** How often to re-read and retry when another writer moved the thread in between (default 3). */
  retries?: number;
}

/** What {@link saveUIMessages} did. */
export interface SaveResult {
  appended: number;
  edited: number;
  /** Stored messages removed because the client's history diverged (a regenerate, an edit-and-resend). */
  replaced: number;
}

/** `status` is set only on the aborted reply: a message resent unchanged keeps the status it has (an earlier
 * aborted reply stays `incomplete`); a changed one (e.g. a resumed stream finished it) becomes `completed`. */
type Incoming = NewMessage & { id: string; status?: MessageStatus };

/** JSON with object keys sorted: stores such as Postgres `jsonb` return keys in their own order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    typeof field === 'object' && field !== null && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : field,
  );
}

function sameMessage(stored: ChatMessage, incoming: Incoming): boolean {
  return (
    stored.role === incoming.role &&
    (incoming.status === undefined || stored.status === incoming.status) &&
    canonical(stored.content) === canonical(incoming.content) &&
    canonical(stored.metadata) === canonical(incoming.metadata ?? {})
  );
}

/**
 * Saves the chat as the client holds it — what `onFinish({ messages, isAborted })` calls. It never duplicates:
 * ids already stored and unchanged are skipped, changed ones are edited (guarded by their stored status), new ones are
 * appended. When the client's history diverges from the stored one after the last common message (a regenerate, an
 * edit-and-resend), the stored tail after it is replaced in one atomic `replaceAfterSeq` append guarded by
 * `expectedLastSeq`; a concurrent writer makes it re-read and retry. `uiMessages` may start anywhere in the stored
 * history (a client that sends only the newest messages): it is aligned on its first id.
 */
export async function saveUIMessages(
  state: StateManager,
  uiMessages: readonly UIMessage[],
  options: SaveUIMessagesOptions,
): Promise<SaveResult> {
  const incoming: Incoming[] = fromUIMessages(uiMessages);
  if (options.isAborted === true) {
    const last = incoming.findLastIndex((message) => message.role === 'assistant');
    if (last >= 0) (incoming[last] as Incoming).status = 'incomplete';
  }
  for (let attempt = 0; ; attempt++) {
    try {
      return await saveOnce(state, incoming, options.threadId);
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= (options.retries ?? 3)) throw error;
    }
  }
}

async function saveOnce(state: StateManager, incoming: readonly Incoming[], threadId: string): Promise<SaveResult> {
  const { thread, messages: stored } = await readThread(state, threadId);
  const result: SaveResult = { appended: 0, edited: 0, replaced: 0 };
  const first = incoming[0];
  if (first === undefined) return result;
  const start = stored.findIndex((message) => message.id === first.id);
  if (start < 0) {
    // Nothing the client holds is stored yet (or it sends only new messages): append; stored ids are skipped.
    const added = await state.addMessages(incoming, { threadId, expectedLastSeq: thread.lastSeq });
    result.appended = added.length;
    return result;
  }
  // Length of the common prefix (same ids in the same order from `start`).
  let common = 0;
  while (common < incoming.length && stored[start + common]?.id === (incoming[common] as Incoming).id) common++;
  const storedTail = stored.length - start - common;
  if (storedTail === 0) {
    for (let i = 0; i < common; i++) {
      const before = stored[start + i] as ChatMessage;
      const after = incoming[i] as Incoming;
      if (sameMessage(before, after)) continue;
      await state.editMessage(before.id, {
        threadId,
        content: after.content,
        metadata: after.metadata ?? {},
        status: after.status ?? 'completed',
        expectedStatus: before.status,
      });
      result.edited++;
    }
    const fresh = incoming.slice(common);
    if (fresh.length > 0) {
      const added = await state.addMessages(fresh, { threadId, expectedLastSeq: thread.lastSeq });
      result.appended = added.length;
    }
    return result;
  }
  // Divergence: cut after the last common message that is unchanged, and write the rest in one atomic step.
  let keep = 0;
  while (keep < common && sameMessage(stored[start + keep] as ChatMessage, incoming[keep] as Incoming)) keep++;
  const cutAfter = start + keep === 0 ? 0 : (stored[start + keep - 1] as ChatMessage).seq;
  const tail = incoming.slice(keep);
  await state.addMessages(tail, { threadId, replaceAfterSeq: cutAfter, expectedLastSeq: thread.lastSeq });
  result.replaced = stored.length - start - keep;
  result.appended = tail.length;
  return result;
}

import type { StateManager } from '@fluxibly/core';
import type { Backend } from '../support/backend.js';
import { expectEqual, expectPresent } from '../support/checks.js';
import type { Responder } from '../support/deterministic-responder.js';
import type { Cleanup } from '../support/run-program.js';

/** What each test of the RAG suite gets. */
export interface SuiteContext {
  readonly backend: Backend;
  readonly cleanup: Cleanup;
  readonly responder: Responder;
}

/**
 * How many messages a thread holds, read back from the repository twice over: the whole history
 * (`loadConversationHistory`) and the thread's `messageCount`. Throws when the two disagree.
 */
export async function storedCount(sm: StateManager, threadId: string): Promise<number> {
  const history = await sm.loadConversationHistory({ threadId });
  const thread = expectPresent(await sm.getThread(threadId), `thread ${threadId}`);
  expectEqual(thread.messageCount, history.length, `messageCount of thread ${threadId} vs its stored messages`);
  return history.length;
}

import { StateManager } from '@fluxibly/core';
import { expectEqual, expectPresent, ok } from '../support/checks.js';
import type { SuiteContext } from './context.js';

/** Test 3: clear a thread's messages (the thread stays), then delete the thread (it is gone). */
export async function cleanupTest({ backend, cleanup, responder }: SuiteContext): Promise<void> {
  console.log('\n--- Test 3: Conversation Cleanup ---');
  const sm = new StateManager({
    repository: backend.repository,
    userId: backend.scoped('cleanup_user'),
    orgId: backend.scoped('cleanup_org'),
  });
  const thread = await sm.createThread('Temporary Conversation');
  cleanup.add(() => sm.deleteThread(thread.id));
  const question = 'Summarise chapter 3 for tomorrow’s quiz';
  await sm.addMessages([
    { role: 'user', content: question },
    { role: 'assistant', content: responder.respond(question, []) },
    { role: 'user', content: 'Thanks!' },
  ]);

  const cleared = await sm.clearThread(thread.id);
  const kept = expectPresent(await sm.getThread(thread.id), 'the cleared thread');
  const left = await sm.getMessages({ threadId: thread.id });
  expectEqual([cleared, kept.messageCount, left.length], [3, 0, 0], 'clearThread result, messageCount, messages left');
  ok(`Cleared ${cleared} messages from thread`);

  const deleted = await sm.deleteThread(thread.id);
  expectEqual([deleted, await sm.getThread(thread.id)], [true, null], 'deleteThread result and getThread after it');
  ok(`Thread deleted: ${deleted}`);
}

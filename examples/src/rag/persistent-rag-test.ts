import { ConversationHistory, StateManager } from '@fluxibly/core';
import { check, expectEqual, expectPresent, ok } from '../support/checks.js';
import type { Responder } from '../support/deterministic-responder.js';
import { shorten, textOf } from '../support/text.js';
import type { SuiteContext } from './context.js';
import { storedCount } from './context.js';
import { resumeInChildProcess } from './resume-in-child.js';

const RAG_THREAD_NAME = 'RAG Template Filling - Internal Communications Planning';

const QUESTIONS = [
  'Fill the internal communications plan template for the Q3 product launch: audience, key messages, channels.',
  'Which channel should reach the remote support teams first?',
  'Now add a timeline with owners for each announcement.',
] as const;

const HISTORY_QUESTION = 'Draft the all-hands announcement email from the plan.';

/** One turn: the responder answers from the stored context; the question and the answer are stored one by one. */
async function turn(input: { sm: StateManager; responder: Responder; question: string; session: number }) {
  const { sm, responder, question, session } = input;
  const context = await sm.loadConversationHistory();
  const user = await sm.addMessage('user', question, { metadata: { session, template: 'internal-comms-plan' } });
  const answer = await sm.addMessage('assistant', responder.respond(question, context), {
    metadata: { session, responder: 'deterministic' },
  });
  return { context, user, answer };
}

/**
 * Session 3 of test 1: resume the thread from its id alone in a new session (`sm`), check that every message so far
 * loads, and answer the third question. Run in this process, or in a second one (`resume-child.ts`).
 */
export async function resumeSession(input: {
  sm: StateManager;
  responder: Responder;
  threadId: string;
  idsSoFar: readonly string[];
}): Promise<void> {
  const { sm, responder, threadId, idsSoFar } = input;
  const resumed = await sm.setCurrentThread(threadId);
  expectEqual(resumed.id, threadId, 'resumed thread id');
  ok(`Resumed thread: ${resumed.id}`);
  const loaded = await sm.loadConversationHistory();
  expectEqual(
    loaded.map((m) => m.id),
    idsSoFar,
    'messages loaded in the new session',
  );
  ok(`Loaded ${loaded.length} messages from database`);
  await turn({ sm, responder, question: QUESTIONS[2], session: 3 });
  const final = await sm.loadConversationHistory();
  const turns = final.filter((m) => m.role === 'user').length;
  expectEqual([final.length, turns, await storedCount(sm, threadId)], [6, 3, 6], 'messages and turns after session 3');
  ok(`Final conversation: ${final.length} messages across ${turns} turns`);
}

/**
 * Test 1: a multi-turn RAG template-filling conversation, continued in the same session, resumed in a new
 * session, and finally driven through ConversationHistory. Every printed count is read back from the repository.
 */
export async function persistentRagTest({ backend, cleanup, responder }: SuiteContext): Promise<void> {
  console.log('\n--- Test 1: Persistent RAG Workflow ---');
  const scope = { userId: backend.scoped('rag_user'), orgId: backend.scoped('rag_org') };
  const sm = new StateManager({ repository: backend.repository, ...scope });
  const created = await sm.createThread(RAG_THREAD_NAME, { metadata: { workflow: 'rag-template-filling' } });
  cleanup.add(() => sm.deleteThread(created.id));
  const thread = expectPresent(await sm.getThread(created.id), 'the new thread read back');
  expectEqual(thread.name, RAG_THREAD_NAME, 'thread name read back');
  ok(`Created conversation thread: ${thread.id}`);
  console.log(`  Thread name: ${thread.name}`);

  console.log('\nSESSION 1: Initial Template Filling Request');
  const first = await turn({ sm, responder, question: QUESTIONS[0], session: 1 });
  expectEqual([first.user.seq, first.user.role], [1, 'user'], 'stored user message');
  expectEqual(
    textOf(expectPresent(await sm.getMessage(first.user.id), 'user message read back').content),
    QUESTIONS[0],
    'user message text',
  );
  ok('Stored user message in database');
  expectEqual([first.answer.seq, first.answer.role], [2, 'assistant'], 'stored assistant message');
  check((await sm.getMessage(first.answer.id)) !== null, 'the assistant message reads back');
  ok('Stored assistant response in database');
  const afterSession1 = await storedCount(sm, thread.id);
  expectEqual(afterSession1, 2, 'messages after session 1');
  ok(`Conversation now has ${afterSession1} messages`);

  console.log('\nSESSION 2: Follow-up Question (same session)');
  const second = await turn({ sm, responder, question: QUESTIONS[1], session: 2 });
  expectEqual(second.context.length, 2, 'context the follow-up was answered with');
  check(
    textOf(second.answer.content).includes(shorten(QUESTIONS[0], 40)),
    'the follow-up answer uses the first question',
  );
  ok('Follow-up answer stored');
  const afterSession2 = await storedCount(sm, thread.id);
  expectEqual(afterSession2, 4, 'messages after session 2');
  ok(`Full conversation history: ${afterSession2} messages`);
  const idsSoFar = (await sm.loadConversationHistory()).map((m) => m.id);

  console.log('\nSESSION 3: Resume Conversation (simulated new session)');
  // On a real backend the new session gets its own repository instance; on memory, the same one (see backend.ts).
  // On a SQLite file, session 3 runs in a second Node process that opens the same file (see resume-child.ts).
  const session = await backend.openSession();
  try {
    const sm2 = new StateManager({ repository: session.repository, ...scope });
    if (backend.sharedWithOtherProcesses) {
      await resumeInChildProcess({ scope, threadId: thread.id, idsSoFar });
      await sm2.setCurrentThread(thread.id);
    } else await resumeSession({ sm: sm2, responder, threadId: thread.id, idsSoFar });
    const final = await sm2.loadConversationHistory();
    expectEqual(final.length, 6, 'messages after session 3, read by this process');

    console.log('\nSESSION 4: Integration with ConversationHistory class');
    const history = new ConversationHistory({
      maxMessages: 100,
      maxTokens: 8000,
      stateManager: sm2,
      persistToDb: true,
    });
    const window = await history.loadFromDb(thread.id);
    expectEqual(
      window.map((m) => m.id),
      final.map((m) => m.id),
      'ConversationHistory window',
    );
    ok(`Loaded ${window.length} messages into ConversationHistory`);
    const added = history.addUserMessage(HISTORY_QUESTION, { metadata: { session: 4 } });
    expectEqual(history.getMessages().at(-1)?.id, added.id, 'the newest message of the window');
    ok('Added new message through ConversationHistory (auto-persisted)');
    // Deliberate difference from the seed, which printed 6 here: it counted before the background write finished.
    await history.flush();
    const total = await storedCount(sm, thread.id);
    const newest = await sm.getMessages({ threadId: thread.id, limit: 1 });
    expectEqual([total, newest[0]?.id, newest[0]?.seq], [7, added.id, 7], 'messages stored after flush()');
    ok(`Database now contains ${total} total messages`);
  } finally {
    await session.release();
  }
}

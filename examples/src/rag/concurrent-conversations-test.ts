import { NotFoundError, StateManager } from '@fluxibly/core';
import { check, expectEqual, ok } from '../support/checks.js';
import { textOf } from '../support/text.js';
import type { SuiteContext } from './context.js';

/** The threads of Test 2: who owns each, and the question asked in it. */
const CONVERSATIONS = [
  { user: 'user1', name: 'Algebra Tutoring', question: 'How do I solve 2x + 3 = 11?' },
  { user: 'user1', name: 'Essay Feedback', question: 'Is my thesis statement specific enough?' },
  { user: 'user2', name: 'Chemistry Lab Prep', question: 'What safety gear do I need for titration?' },
] as const;

/**
 * Test 2: two users of organisation `edu_org` hold three conversations at once. Counts come from the
 * repository's listings; isolation is checked on the stored messages and by a cross-user read.
 */
export async function concurrentConversationsTest({ backend, cleanup, responder }: SuiteContext): Promise<void> {
  console.log('\n--- Test 2: Multiple Concurrent Conversations ---');
  const orgId = backend.scoped('edu_org');
  const managers = {
    user1: new StateManager({ repository: backend.repository, userId: backend.scoped('user1'), orgId }),
    user2: new StateManager({ repository: backend.repository, userId: backend.scoped('user2'), orgId }),
  };
  const threads = await Promise.all(
    CONVERSATIONS.map(async (c) => {
      const sm = managers[c.user];
      const thread = await sm.createThread(c.name);
      cleanup.add(() => sm.deleteThread(thread.id));
      await sm.addMessages(
        [
          { role: 'user', content: c.question },
          { role: 'assistant', content: responder.respond(c.question, []) },
        ],
        { threadId: thread.id },
      );
      return { ...c, sm, thread };
    }),
  );

  const orgThreads = await managers.user1.listThreads({ scope: 'org' });
  expectEqual(
    orgThreads.map((t) => t.id).sort(),
    threads.map((t) => t.thread.id).sort(),
    "threads listed for organisation 'edu_org'",
  );
  ok(`Organization 'edu_org' has ${orgThreads.length} total threads`);
  for (const user of ['user1', 'user2'] as const) {
    const listed = await managers[user].listThreads();
    const own = threads.filter((t) => t.user === user).map((t) => t.thread.id);
    expectEqual(listed.map((t) => t.id).sort(), own.sort(), `threads listed for '${user}'`);
    ok(`User '${user}' has ${listed.length} threads`);
  }

  for (const { sm, thread, question } of threads) {
    const messages = await sm.getMessages({ threadId: thread.id });
    expectEqual(
      messages.map((m) => [m.threadId, m.seq]),
      [
        [thread.id, 1],
        [thread.id, 2],
      ],
      `messages of "${thread.name}"`,
    );
    expectEqual(textOf(messages[0]?.content ?? ''), question, `question stored in "${thread.name}"`);
  }
  const foreign = threads.find((t) => t.user === 'user1');
  check(foreign !== undefined, 'user1 has a thread');
  expectEqual(await managers.user2.getThread(foreign.thread.id), null, "user2 reading user1's thread");
  try {
    await managers.user2.getMessages({ threadId: foreign.thread.id });
    check(false, "user2 must not read user1's messages");
  } catch (error) {
    check(
      error instanceof NotFoundError,
      `user2 reading user1's messages should give NotFoundError, got ${String(error)}`,
    );
  }
  ok('Message isolation between threads verified');
}

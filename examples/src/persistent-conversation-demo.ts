/**
 * A tour of conversation persistence with StateManager: configuration from the environment, creating threads and
 * messages, working with several threads, resuming a conversation in a new session, and managing threads (list,
 * clear, delete). Every step checks what the repository really stored.
 *
 * Run: `pnpm run demo` (DB_BACKEND=memory by default; see README.md for the other backends).
 */
import type { ChatMessage } from '@fluxibly/core';
import { NotFoundError, StateManager } from '@fluxibly/core';
import { check, expectEqual, expectPresent, ok } from './support/checks.js';
import { DeterministicResponder } from './support/deterministic-responder.js';
import { runProgram } from './support/run-program.js';
import { shorten, textOf } from './support/text.js';

function heading(title: string): void {
  console.log(`\n=== ${title} ===`);
}

function printMessages(messages: readonly ChatMessage[]): void {
  for (const m of messages) console.log(`    ${m.seq}. ${m.role}: ${shorten(textOf(m.content), 140)}`);
}

await runProgram(async (backend, cleanup) => {
  const responder = new DeterministicResponder('demo-bot');
  const { config } = backend;

  heading('1. Configuration-based setup');
  console.log(`  StateConfig.fromEnv() = ${JSON.stringify(config)}`);
  const userId = backend.scoped(config.userId);
  const orgId = backend.scoped(config.orgId);
  console.log(`  Acting as user '${config.userId}' in org '${config.orgId}' (stored as '${userId}' / '${orgId}',`);
  console.log('  a suffix unique to this run, so repeated runs on a shared database never meet)');
  const sm = new StateManager({ repository: backend.repository, userId, orgId });
  cleanup.add(async () => {
    for (const thread of await sm.listThreads()) await sm.deleteThread(thread.id);
  });

  heading('2. Basic thread creation');
  const travel = await sm.createThread('Travel Planning', { metadata: { topic: 'travel' } });
  expectEqual(sm.currentThreadId, travel.id, 'current thread after createThread');
  ok(`Created thread "${travel.name}" (${travel.id}); it is now the current thread`);
  const question = 'Plan a trip to Tokyo';
  await sm.addMessage('user', question, { metadata: { source: 'web' } });
  await sm.addMessage('assistant', responder.respond(question, []));
  const firstTwo = await sm.getMessages({ limit: 50 });
  expectEqual(
    firstTwo.map((m) => [m.seq, m.role]),
    [
      [1, 'user'],
      [2, 'assistant'],
    ],
    'stored messages',
  );
  expectEqual(firstTwo[0]?.metadata, { source: 'web' }, 'metadata of the first message');
  ok(`Stored ${firstTwo.length} messages, read back oldest first:`);
  printMessages(firstTwo);

  heading('3. Multiple threads');
  const recipes = await sm.createThread('Recipe Ideas');
  expectEqual(sm.currentThreadId, recipes.id, 'current thread after the second createThread');
  ok(`Created thread "${recipes.name}"; it is now the current thread`);
  await sm.addMessage('user', 'A quick vegetarian dinner?');
  await sm.addMessage('assistant', responder.respond('A quick vegetarian dinner?', []));
  const followUp = 'Which month has the cherry blossoms?';
  const travelContext = await sm.getMessages({ threadId: travel.id });
  await sm.addMessages(
    [
      { role: 'user', content: followUp },
      { role: 'assistant', content: responder.respond(followUp, travelContext) },
    ],
    { threadId: travel.id },
  );
  ok(`Added 2 messages to "${travel.name}" with { threadId }, without switching threads`);
  await sm.setCurrentThread(travel.id);
  const travelNow = await sm.loadConversationHistory();
  const recipesNow = await sm.getMessages({ threadId: recipes.id });
  expectEqual(travelNow.length, 4, `messages in "${travel.name}"`);
  expectEqual(recipesNow.length, 2, `messages in "${recipes.name}"`);
  ok(
    `Switched back to "${travel.name}": ${travelNow.length} messages; "${recipes.name}" keeps its own ${recipesNow.length}`,
  );
  const newestTwo = await sm.getMessages({ limit: 2 });
  expectEqual(
    newestTwo.map((m) => m.seq),
    [3, 4],
    'getMessages({ limit: 2 }) seqs',
  );
  ok('getMessages({ limit: 2 }) returns the newest 2, oldest first (seq 3, 4)');

  heading('4. Cross-session resumption');
  const session = await backend.openSession();
  try {
    console.log(`  Session 2: ${session.explanation}`);
    const sm2 = new StateManager({ repository: session.repository, userId, orgId });
    const resumed = await sm2.setCurrentThread(travel.id);
    const history = await sm2.loadConversationHistory();
    expectEqual(
      history.map((m) => m.id),
      travelNow.map((m) => m.id),
      'the resumed history',
    );
    ok(`Resumed "${resumed.name}" in session 2: loaded ${history.length} messages, full context`);
    const next = 'What should I pack?';
    await sm2.addMessage('user', next);
    await sm2.addMessage('assistant', responder.respond(next, history));
    printMessages(await sm2.getMessages({ limit: 2 }));
    const seenBySession1 = await sm.loadConversationHistory();
    expectEqual(seenBySession1.length, 6, 'messages session 1 sees after session 2 wrote');
    ok(`Session 1 sees session 2's messages too: ${seenBySession1.length} messages`);
  } finally {
    await session.release();
  }

  heading('5. Thread management');
  const scratch = await sm.createThread('Scratch');
  await sm.addMessages([
    { role: 'user', content: 'Remember the number 42' },
    { role: 'assistant', content: 'Noted: 42.' },
  ]);
  const listed = await sm.listThreads();
  expectEqual(
    listed.map((t) => t.name),
    ['Scratch', 'Travel Planning', 'Recipe Ideas'],
    'listThreads order',
  );
  ok(`listThreads(): ${listed.length} threads, newest activity first:`);
  for (const t of listed) console.log(`    "${t.name}": ${t.messageCount} messages`);

  const cleared = await sm.clearThread(scratch.id);
  const afterClear = expectPresent(await sm.getThread(scratch.id), 'the cleared thread');
  expectEqual([cleared, afterClear.messageCount, (await sm.getMessages()).length], [2, 0, 0], 'after clearThread');
  ok(`clearThread: removed ${cleared} messages; the thread is kept (messageCount 0, lastSeq ${afterClear.lastSeq})`);

  const deleted = await sm.deleteThread(scratch.id);
  expectEqual(
    [deleted, await sm.getThread(scratch.id), await sm.deleteThread(scratch.id)],
    [true, null, false],
    'deleteThread',
  );
  ok('deleteThread: true; getThread then gives null, and deleting again gives false');

  try {
    await sm.setCurrentThread(scratch.id);
    check(false, 'setCurrentThread on a deleted thread must throw');
  } catch (error) {
    check(error instanceof NotFoundError, `expected NotFoundError, got ${String(error)}`);
    ok(`setCurrentThread(deleted id) throws ${error.name}: handle missing threads`);
  }

  const stranger = new StateManager({ repository: backend.repository, userId: backend.scoped('mallory'), orgId });
  expectEqual(await stranger.getThread(travel.id), null, "another user's getThread");
  expectEqual((await stranger.listThreads({ scope: 'org' })).length, 2, 'threads in the organisation');
  ok(`Another user of the same org cannot read "${travel.name}" (null), though listThreads({ scope: 'org' }) counts 2`);
});

/**
 * What a chat application does around its appends, each one atomic call: stream a reply into a stored message
 * and finish it exactly once (an abort racing onFinish), regenerate a reply, claim a resumable stream once, find
 * threads by metadata, and compact a long thread into a stored summary that a new session resumes from. The "model"
 * is a deterministic stand-in that streams words; every step checks what the repository really stored.
 *
 * Run: `pnpm run flows` (DB_BACKEND=memory by default; see README.md for the other backends).
 */
import type { ChatMessage, HistoryMessage } from '@fluxibly/core';
import { ConflictError, ConversationHistory, StateManager } from '@fluxibly/core';
import { check, expectEqual, expectPresent, ok } from './support/checks.js';
import { runProgram } from './support/run-program.js';
import { textOf } from './support/text.js';

function heading(title: string): void {
  console.log(`\n=== ${title} ===`);
}

/** A stand-in for a streaming model: the words of a fixed reply, one chunk at a time. */
async function* streamWords(reply: string): AsyncGenerator<string> {
  for (const word of reply.split(' ')) yield `${word} `;
}

await runProgram(async (backend, cleanup) => {
  const sm = new StateManager({
    repository: backend.repository,
    userId: backend.scoped(backend.config.userId),
    orgId: backend.scoped(backend.config.orgId),
  });
  cleanup.add(async () => {
    for (const thread of await sm.listThreads()) await sm.deleteThread(thread.id);
  });

  heading('1. Stream a reply into a stored message');
  const chat = await sm.createThread('Story time', { metadata: { project: 'stories', pinned: true } });
  await sm.addMessage('user', 'Tell me a short story');
  const draft = await sm.addMessage('assistant', '', { status: 'in_progress' });
  let text = '';
  for await (const chunk of streamWords('Once upon a time a kettle learned to sing.')) {
    text += chunk;
    await sm.editMessage(draft.id, { content: text.trim(), expectedStatus: 'in_progress' });
  }
  // onFinish and an abort handler race to finish the same message: exactly one of them wins.
  const [finish, abort] = await Promise.allSettled([
    sm.editMessage(draft.id, {
      content: text.trim(),
      status: 'completed',
      tokenCount: 11,
      expectedStatus: 'in_progress',
    }),
    sm.editMessage(draft.id, { content: text.trim(), status: 'incomplete', expectedStatus: 'in_progress' }),
  ]);
  const outcomes = [finish, abort].map((o) => o.status);
  check(
    outcomes.filter((s) => s === 'fulfilled').length === 1,
    `exactly one finisher wins, got ${outcomes.join(', ')}`,
  );
  const loser = [finish, abort].find((o): o is PromiseRejectedResult => o.status === 'rejected');
  check(loser?.reason instanceof ConflictError, 'the other finisher gets a ConflictError');
  const finished = expectPresent(await sm.getMessage(draft.id), 'the streamed message');
  check(finished.status !== 'in_progress', `the streamed message is finished, got '${finished.status}'`);
  ok(`Streamed ${text.trim().split(' ').length} words into message ${finished.seq}; finished exactly once`);
  ok('The racing finisher got ConflictError and wrote nothing');

  heading('2. Regenerate the reply');
  const question = expectPresent(
    (await sm.getMessages()).find((m) => m.role === 'user'),
    'the question',
  );
  const replyId = `${chat.id}-reply-2`;
  const [regenerated] = await sm.addMessages(
    [{ id: replyId, role: 'assistant', content: 'A lighthouse kept a diary of ships.' }],
    { replaceAfterSeq: question.seq },
  );
  const again = await sm.addMessages(
    [{ id: replyId, role: 'assistant', content: 'A lighthouse kept a diary of ships.' }],
    {
      replaceAfterSeq: question.seq,
    },
  );
  expectEqual(again, [regenerated], 'a retried regenerate returns the stored reply');
  const afterRegenerate = await sm.getMessages();
  expectEqual(
    afterRegenerate.map((m) => [m.seq, m.role]),
    [
      [1, 'user'],
      [3, 'assistant'],
    ],
    'messages after regenerating',
  );
  ok(`Replaced the reply atomically: seqs ${afterRegenerate.map((m) => m.seq).join(', ')} (seq 2 is never reused)`);
  ok('Retrying the same regenerate wrote nothing');

  heading('3. Claim a resumable stream once');
  const claims = await Promise.allSettled(
    ['stream-a', 'stream-b', 'stream-c'].map((id) =>
      sm.updateThread({ metadataPatch: { activeStreamId: id }, expectedMetadata: { activeStreamId: null } }),
    ),
  );
  check(claims.filter((c) => c.status === 'fulfilled').length === 1, 'exactly one claim wins');
  const claimed = expectPresent(await sm.getThread(chat.id), 'the thread').metadata;
  ok(`3 writers raced for activeStreamId; one won and the others got ConflictError`);
  expectEqual(claimed.project, 'stories', 'the patch keeps the other metadata keys');
  await sm.updateThread({ metadataPatch: { activeStreamId: null } });
  ok('Released the claim; the other metadata keys were kept');

  heading('4. Find threads by metadata');
  await sm.createThread('Shopping list', { metadata: { project: 'errands' } });
  await sm.createThread('Bedtime stories', { metadata: { project: 'stories' } });
  const stories = await sm.listThreads({ metadata: { project: 'stories' } });
  expectEqual(
    stories.map((t) => t.name),
    ['Bedtime stories', 'Story time'],
    'threads of project stories, newest first',
  );
  const pinned = await sm.listThreads({ metadata: { project: 'stories', pinned: true } });
  expectEqual(
    pinned.map((t) => t.name),
    ['Story time'],
    'pinned stories',
  );
  ok(`project=stories: ${stories.map((t) => t.name).join(', ')}; pinned: ${pinned.map((t) => t.name).join(', ')}`);

  heading('5. Compact a long thread, then resume from the summary');
  const long = await sm.createThread('Long chat');
  await sm.addMessages([
    { role: 'system', content: 'You are a helpful assistant.' },
    ...Array.from({ length: 20 }, (_, i) => ({
      role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: `turn ${i + 1}`,
    })),
  ]);
  const history = new ConversationHistory({ stateManager: sm, maxMessages: 10 });
  await history.loadFromDb(long.id);
  const summarize = (messages: readonly HistoryMessage[]): string =>
    `Summary of ${messages.length} messages (${textOf(messages[0]?.content ?? '')} … ${textOf(messages.at(-1)?.content ?? '')})`;
  const summary: ChatMessage = expectPresent(await history.compact({ summarize, keepLast: 4 }), 'the summary');
  const stored = expectPresent(await sm.getThread(long.id), 'the long thread');
  expectEqual(stored.messageCount, 22, 'raw messages are kept');
  expectEqual(stored.summarySeq, summary.seq, 'the thread names its newest summary');
  ok(`Stored "${textOf(summary.content)}" covering seqs ${summary.summaryOf?.fromSeq}–${summary.summaryOf?.toSeq}`);
  const session = await backend.openSession();
  console.log(`  Session 2: ${session.explanation}`);
  let resumed: ChatMessage[];
  try {
    const later = new StateManager({ repository: session.repository, userId: sm.userId, orgId: sm.orgId });
    resumed = await later.loadConversationHistory({ threadId: long.id, fromSummary: true });
  } finally {
    await session.release();
  }
  expectEqual(
    resumed.map((m) => textOf(m.content)),
    ['You are a helpful assistant.', textOf(summary.content), 'turn 17', 'turn 18', 'turn 19', 'turn 20'],
    'a new session reads the system prompt, the summary and the newest turns',
  );
  ok(`A new session resumed from the summary: ${resumed.length} messages instead of ${stored.messageCount}`);
});

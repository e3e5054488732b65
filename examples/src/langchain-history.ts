/**
 * LangChain.js with a Fluxibly State chat history: `RunnableWithMessageHistory` over several turns and two sessions,
 * then a new session (a second repository, as a new process gets) resumes one of them. The model is LangChain's own
 * `FakeListChatModel` (no network).
 *
 * Run: `pnpm run langchain` (DB_BACKEND=memory by default; see README.md for the other backends).
 */
import type { StateManager } from '@fluxibly/core';
import { FluxiblyChatMessageHistory, messageHistoryFactory } from '@fluxibly/langchain';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { RunnableWithMessageHistory } from '@langchain/core/runnables';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { expectEqual } from './support/checks.js';
import { runProgram } from './support/run-program.js';
import { scopedUser } from './support/scoped-user.js';

const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'You are a travel agent.'],
  new MessagesPlaceholder('history'),
  ['human', '{question}'],
]);
const model: BaseChatModel = new FakeListChatModel({
  responses: ['Tokyo in spring.', 'Seven days.', 'Lisbon!', 'Book the Shinkansen early.'],
});

await runProgram(async (backend, cleanup) => {
  const user = scopedUser(backend, cleanup);
  const { stateManager } = user;
  const chainFor = (sm: StateManager) =>
    new RunnableWithMessageHistory({
      runnable: prompt.pipe(model),
      getMessageHistory: messageHistoryFactory(sm),
      inputMessagesKey: 'question',
      historyMessagesKey: 'history',
    });

  const trip = `trip-${backend.runId}`;
  const other = `weekend-${backend.runId}`;
  const chain = chainFor(stateManager);
  for (const [sessionId, question] of [
    [trip, 'Where should I go?'],
    [trip, 'How long?'],
    [other, 'A weekend city?'],
  ] as const) {
    const answer = await chain.invoke({ question }, { configurable: { sessionId } });
    console.log(`✓ ${sessionId === trip ? 'trip' : 'weekend'}: ${question} → ${answer.text}`);
  }

  const second = await backend.openSession();
  cleanup.add(() => second.release());
  const resumed = chainFor(user.on(second.repository));
  await resumed.invoke({ question: 'Any tips?' }, { configurable: { sessionId: trip } });
  const messages = await new FluxiblyChatMessageHistory({ stateManager, threadId: trip }).getMessages();
  expectEqual(
    messages.map((m) => `${m.getType()}: ${m.text}`).join(' | '),
    'human: Where should I go? | ai: Tokyo in spring. | human: How long? | ai: Seven days. | human: Any tips? | ai: Book the Shinkansen early.',
    'resumed history',
  );
  console.log(`✓ Resumed the trip session in a new session: ${messages.length} messages, in order`);
});

import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import type { BaseMessage } from '@langchain/core/messages';
import type { ChatPromptValue } from '@langchain/core/prompt_values';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { RunnableLambda, RunnableWithMessageHistory } from '@langchain/core/runnables';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FluxiblyChatMessageHistory, messageHistoryFactory } from '../src/index.js';
import { backends, newUser } from '@fluxibly/test-backends';
import type { Backend } from '@fluxibly/test-backends';

const BACKENDS = backends('langchain');

const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'You are terse.'],
  new MessagesPlaceholder('history'),
  ['human', '{question}'],
]);

describe.each(BACKENDS)('RunnableWithMessageHistory on $name', ({ create }) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await create();
  });
  afterAll(async () => backend.dispose());

  it('keeps several turns per session, separates sessions and users, and resumes in another instance', async () => {
    const userId = `lc-${Math.random()}`;
    const model = new FakeListChatModel({ responses: ['one', 'two', 'three', 'four', 'five'] });
    const seen: BaseMessage[][] = [];
    const spy = RunnableLambda.from((value: ChatPromptValue) => {
      seen.push(value.toChatMessages());
      return value;
    });
    const chain = (userOf: string, repositoryIndex: number) =>
      new RunnableWithMessageHistory({
        runnable: prompt.pipe(spy).pipe(model),
        getMessageHistory: messageHistoryFactory(newUser(backends[repositoryIndex] ?? backend.open(), userOf)),
        inputMessagesKey: 'question',
        historyMessagesKey: 'history',
      });
    const backends = [backend.open(), backend.open()];
    const a = chain(userId, 0);
    await a.invoke({ question: 'hi' }, { configurable: { sessionId: 'lc-s1' } });
    await a.invoke({ question: 'again' }, { configurable: { sessionId: 'lc-s1' } });
    await a.invoke({ question: 'other' }, { configurable: { sessionId: 'lc-s2' } });
    expect(seen[1]?.map((m) => m.content)).toEqual(['You are terse.', 'hi', 'one', 'again']);
    expect(seen[2]?.map((m) => m.content)).toEqual(['You are terse.', 'other']);

    // A second repository instance (another process) resumes session 1.
    const b = chain(userId, 1);
    await b.invoke({ question: 'more' }, { configurable: { sessionId: 'lc-s1' } });
    expect(seen[3]?.map((m) => m.content)).toEqual(['You are terse.', 'hi', 'one', 'again', 'two', 'more']);

    // Another user of the same org cannot reach that session id.
    const stranger = chain(`${userId}-other`, 1);
    // (RunnableWithMessageHistory logs the ConflictError of its save instead of throwing it.)
    await stranger.invoke({ question: 'peek' }, { configurable: { sessionId: 'lc-s1' } });
    expect(seen[4]?.map((m) => m.content)).toEqual(['You are terse.', 'peek']);
    const owner = new FluxiblyChatMessageHistory({ stateManager: newUser(backend.open(), userId), threadId: 'lc-s1' });
    expect((await owner.getMessages()).map((m) => m.content)).toEqual(['hi', 'one', 'again', 'two', 'more', 'four']);
  });

  it('stores a tool-calling turn losslessly', async () => {
    const stateManager = newUser(backend.open());
    const callingModel = RunnableLambda.from(
      () =>
        new AIMessage({
          content: '',
          tool_calls: [{ id: 'call_1', name: 'weather', args: { city: 'Paris' }, type: 'tool_call' }],
          usage_metadata: { input_tokens: 3, output_tokens: 5, total_tokens: 8 },
          response_metadata: { model_name: 'fake', finish_reason: 'tool_calls' },
        } as never),
    );
    const chain = new RunnableWithMessageHistory({
      runnable: prompt.pipe(callingModel),
      getMessageHistory: messageHistoryFactory(stateManager),
      inputMessagesKey: 'question',
      historyMessagesKey: 'history',
    });
    await chain.invoke({ question: 'weather?' }, { configurable: { sessionId: 'lc-tools' } });
    const history = new FluxiblyChatMessageHistory({ stateManager, threadId: 'lc-tools' });
    const toolResult = new ToolMessage({
      content: 'sunny',
      tool_call_id: 'call_1',
      status: 'success',
      artifact: { raw: { temperature: 21 } },
    });
    await history.addMessages([toolResult]);
    const stored = await new FluxiblyChatMessageHistory({
      stateManager: newUser(backend.open(), stateManager.userId),
      threadId: 'lc-tools',
    }).getMessages();
    expect(stored.map((m) => m.getType())).toEqual(['human', 'ai', 'tool']);
    expect(stored[0]).toEqual(new HumanMessage('weather?'));
    const ai = stored[1] as AIMessage;
    expect(ai.tool_calls).toEqual([{ id: 'call_1', name: 'weather', args: { city: 'Paris' }, type: 'tool_call' }]);
    expect(ai.usage_metadata).toEqual({ input_tokens: 3, output_tokens: 5, total_tokens: 8 });
    expect(ai.response_metadata).toEqual({ model_name: 'fake', finish_reason: 'tool_calls' });
    expect(stored[2]).toEqual(toolResult);
    await history.clear();
    expect(await history.getMessages()).toEqual([]);
  });
});

import { convertToModelMessages, type UIMessage } from 'ai';
import { afterEach, describe, expect, test } from 'vitest';
import {
  getActiveStreamId,
  clearActiveStreamId,
  loadModelSafeUIMessages,
  loadUIMessages,
  saveUIMessages,
  setActiveStreamId,
} from '../src/index.js';
import { BACKENDS, type Backend } from './backends.js';
import { chatRequest, openState, scriptedModel, textReply, toolCallReply, userMessage } from './chat.js';

/** Every backend runs the scenarios; one whose server is missing is skipped locally and fails under CI=true. */
const runs = await Promise.all(BACKENDS.map(async (factory) => ({ factory, missing: await factory.unavailable() })));

describe.each(runs)('AI SDK chat persisted on $factory.name', ({ factory, missing }) => {
  if (missing !== undefined && process.env.CI === 'true') {
    throw new Error(`${factory.name} is required when CI=true: ${missing}`);
  }
  const open: Backend[] = [];
  const makeBackend = (): Backend => {
    const backend = factory.make();
    open.push(backend);
    return backend;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((backend) => backend.close()));
  });
  const it = missing === undefined ? test : test.skip;
  async function newThread(backend: Backend): Promise<string> {
    return (await (await openState(backend)).createThread('chat')).id;
  }

  it('streams, saves, reloads in a new process, and continues with a tool call', async () => {
    const backend = makeBackend();
    const threadId = await newThread(backend);
    const first = await chatRequest(
      await openState(backend),
      threadId,
      [userMessage('hello')],
      scriptedModel([textReply('hi there')]),
    );
    const loaded = await loadUIMessages(await openState(backend), { threadId });
    expect(loaded).toEqual(first.messages);
    expect(loaded.map((m) => m.role)).toEqual(['user', 'assistant']);

    const model = scriptedModel([toolCallReply('call-1', 'Oslo'), textReply('it is sunny')]);
    const second = await chatRequest(
      await openState(backend),
      threadId,
      [...loaded, userMessage('weather in Oslo?')],
      model,
    );
    const reloaded = await loadUIMessages(await openState(backend), { threadId });
    expect(reloaded).toEqual(second.messages);
    const toolPart = reloaded[3]?.parts.find((part) => part.type === 'tool-weather');
    expect(toolPart).toMatchObject({
      state: 'output-available',
      toolCallId: 'call-1',
      input: { city: 'Oslo' },
      output: { city: 'Oslo', forecast: 'sunny' },
    });
    expect(reloaded[3]?.parts.map((p) => p.type)).toEqual([
      'step-start',
      'reasoning',
      'tool-weather',
      'step-start',
      'text',
    ]);
    // The stored history converts back for the next turn.
    const modelMessages = await convertToModelMessages(reloaded);
    expect(modelMessages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'tool', 'assistant']);
    const third = await chatRequest(
      await openState(backend),
      threadId,
      [...reloaded, userMessage('thanks')],
      scriptedModel([textReply('welcome')]),
    );
    expect(third.messages).toHaveLength(6);
    expect(await loadUIMessages(await openState(backend), { threadId })).toEqual(third.messages);
  });

  it('a client that resends the whole history with the same ids 10 times stores no duplicates', async () => {
    const backend = makeBackend();
    const threadId = await newThread(backend);
    const state = await openState(backend);
    const { messages } = await chatRequest(state, threadId, [userMessage('hello')], scriptedModel([textReply('hi')]));
    for (let i = 0; i < 10; i++) {
      const result = await saveUIMessages(await openState(backend), messages, { threadId });
      expect(result).toEqual({ appended: 0, edited: 0, replaced: 0 });
    }
    const thread = await state.getThread(threadId);
    expect(thread?.messageCount).toBe(2);
    expect(await loadUIMessages(state, { threadId })).toEqual(messages);
  });

  it('regenerate replaces the stored reply atomically, guarded by expectedLastSeq', async () => {
    const backend = makeBackend();
    const threadId = await newThread(backend);
    const state = await openState(backend);
    const first = await chatRequest(state, threadId, [userMessage('joke?')], scriptedModel([textReply('joke one')]));
    const beforeReply = first.messages.slice(0, 1);
    const regenerated = await chatRequest(
      await openState(backend),
      threadId,
      beforeReply,
      scriptedModel([textReply('joke two')]),
    );
    const loaded = await loadUIMessages(state, { threadId });
    expect(loaded).toEqual(regenerated.messages);
    expect(loaded).toHaveLength(2);
    expect(loaded[1]?.id).not.toBe(first.messages[1]?.id);
    expect((await state.getThread(threadId))?.messageCount).toBe(2);
    // Edit-and-resend: the user message changes in place (same id) and the reply after it is replaced.
    const edited: UIMessage = { ...(loaded[0] as UIMessage), parts: [{ type: 'text', text: 'a better joke?' }] };
    const resent = await chatRequest(state, threadId, [edited], scriptedModel([textReply('joke three')]));
    expect(await loadUIMessages(state, { threadId })).toEqual(resent.messages);
    expect((await state.getThread(threadId))?.messageCount).toBe(2);
  });

  it('keeps an aborted reply as incomplete, and the model-safe window leaves out what cannot be sent', async () => {
    const backend = makeBackend();
    const threadId = await newThread(backend);
    const state = await openState(backend);
    const aborted = await chatRequest(
      state,
      threadId,
      [userMessage('long story')],
      scriptedModel([textReply('once upon a time there was')], 5),
      {
        abortAfterChunks: 5,
      },
    );
    expect(aborted.isAborted).toBe(true);
    const stored = await state.getMessages({ threadId });
    expect(stored.map((m) => m.status)).toEqual(['completed', 'incomplete']);
    const partial = await loadUIMessages(state, { threadId });
    expect(partial).toEqual(aborted.messages);
    // Continuing after the abort works: the next turn converts the partial reply.
    const next = await chatRequest(
      state,
      threadId,
      [...partial, userMessage('go on')],
      scriptedModel([textReply('the end')]),
    );
    expect(await loadUIMessages(state, { threadId })).toEqual(next.messages);
    // Resending the partial reply unchanged leaves it incomplete.
    expect((await state.getMessages({ threadId })).map((m) => m.status)).toEqual([
      'completed',
      'incomplete',
      'completed',
      'completed',
    ]);

    // An unfinished tool call (no result) and a window that would start mid-turn.
    const unfinished: UIMessage = {
      id: 'a-unfinished',
      role: 'assistant',
      parts: [{ type: 'tool-weather', toolCallId: 'c9', state: 'input-available', input: { city: 'Rome' } }],
    };
    await saveUIMessages(state, [...next.messages, userMessage('weather?'), unfinished], {
      threadId,
      isAborted: true,
    });
    const window = await loadModelSafeUIMessages(state, { threadId, limit: 4 });
    expect(window[0]?.role).toBe('user');
    expect(window.some((m) => m.id === 'a-unfinished')).toBe(false);
    await expect(convertToModelMessages(window)).resolves.toBeDefined();
  });

  it('two racing regenerates leave one consistent history, never two replies', async () => {
    const backend = makeBackend();
    const threadId = await newThread(backend);
    const state = await openState(backend);
    const first = await chatRequest(state, threadId, [userMessage('q')], scriptedModel([textReply('a0')]));
    const user = first.messages[0] as UIMessage;
    const reply = (text: string): UIMessage => ({ id: text, role: 'assistant', parts: [{ type: 'text', text }] });
    const saves = await Promise.all(
      ['a1', 'a2', 'a3'].map(async (text) =>
        saveUIMessages(await openState(backend), [user, reply(text)], { threadId }),
      ),
    );
    expect(saves.every((save) => save.appended === 1)).toBe(true);
    const stored = await loadUIMessages(state, { threadId });
    expect(stored).toHaveLength(2);
    expect(['a1', 'a2', 'a3']).toContain(stored[1]?.id);
    expect((await state.getThread(threadId))?.messageCount).toBe(2);
  });

  it('lets only one request own a thread’s stream', async () => {
    const backend = makeBackend();
    const threadId = await newThread(backend);
    const [a, b] = [await openState(backend), await openState(backend)];
    const results = await Promise.allSettled([
      setActiveStreamId(a, { threadId, streamId: 's1' }),
      setActiveStreamId(b, { threadId, streamId: 's2' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const owner = await getActiveStreamId(a, { threadId });
    expect(['s1', 's2']).toContain(owner);
    await expect(clearActiveStreamId(a, { threadId, streamId: owner === 's1' ? 's2' : 's1' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await clearActiveStreamId(a, { threadId, streamId: owner as string });
    expect(await getActiveStreamId(b, { threadId })).toBeNull();
  });
});

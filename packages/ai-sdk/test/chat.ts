import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { StateManager } from '@fluxibly/core';
import { convertToModelMessages, stepCountIs, streamText, tool, type UIMessage } from 'ai';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';
import { z } from 'zod';
import { generateMessageId, saveUIMessages } from '../src/index.js';
import type { Backend } from './backends.js';

const usage = {
  inputTokens: { total: 3, noCache: 3, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};
const finish = (unified: 'stop' | 'tool-calls'): LanguageModelV3StreamPart => ({
  type: 'finish',
  finishReason: { unified, raw: undefined },
  usage,
});

/** A reply of text only. */
export function textReply(text: string): LanguageModelV3StreamPart[] {
  const words = text.split(' ');
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't1' },
    ...words.map((word, i): LanguageModelV3StreamPart => ({
      type: 'text-delta',
      id: 't1',
      delta: i === 0 ? word : ` ${word}`,
    })),
    { type: 'text-end', id: 't1' },
    finish('stop'),
  ];
}

/** A step that calls the weather tool. */
export function toolCallReply(toolCallId: string, city: string): LanguageModelV3StreamPart[] {
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'reasoning-start', id: 'r1' },
    { type: 'reasoning-delta', id: 'r1', delta: 'need weather' },
    { type: 'reasoning-end', id: 'r1' },
    { type: 'tool-call', toolCallId, toolName: 'weather', input: JSON.stringify({ city }) },
    finish('tool-calls'),
  ];
}

/** A mock model answering each call with the next scripted stream. */
export function scriptedModel(steps: LanguageModelV3StreamPart[][], chunkDelayInMs?: number): MockLanguageModelV3 {
  let call = 0;
  return new MockLanguageModelV3({
    doStream: async () => ({
      stream: simulateReadableStream({
        chunks: steps[call++] ?? textReply('(no more script)'),
        chunkDelayInMs: chunkDelayInMs ?? null,
      }),
    }),
  });
}

export const tools = {
  weather: tool({
    description: 'the weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, forecast: 'sunny' }),
  }),
};

/** A fresh StateManager over a new repository of the backend: what a new request (or process) has. */
export async function openState(backend: Backend): Promise<StateManager> {
  return new StateManager({ repository: await backend.open(), userId: 'u1', orgId: 'o1' });
}

/**
 * One chat request as a route handler runs it: convert, stream with the mock model, and save in `onFinish`.
 * Returns the messages `onFinish` saw.
 */
export async function chatRequest(
  state: StateManager,
  threadId: string,
  messages: UIMessage[],
  model: MockLanguageModelV3,
  options: { abortAfterChunks?: number } = {},
): Promise<{ messages: UIMessage[]; isAborted: boolean }> {
  const controller = new AbortController();
  const result = streamText({
    model,
    messages: await convertToModelMessages(messages),
    tools,
    stopWhen: stepCountIs(3),
    abortSignal: controller.signal,
  });
  let finished: { messages: UIMessage[]; isAborted: boolean } | undefined;
  const stream = result.toUIMessageStream({
    originalMessages: messages,
    generateMessageId,
    onFinish: async ({ messages: all, isAborted }) => {
      await saveUIMessages(state, all, { threadId, isAborted });
      finished = { messages: all, isAborted };
    },
  });
  let chunks = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
    if (++chunks === options.abortAfterChunks) controller.abort();
  }
  // onFinish runs when the stream closes.
  for (let i = 0; i < 50 && finished === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (finished === undefined) throw new Error('onFinish was not called');
  return finished;
}

/** A user message as `useChat` sends it. */
export function userMessage(text: string): UIMessage {
  return { id: generateMessageId(), role: 'user', parts: [{ type: 'text', text }] };
}

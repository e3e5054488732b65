import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';

/**
 * The AI SDK's own mock language model, answering `reply <n>: <the last user text>` word by word (n counts the
 * calls, so a regenerate gives a different reply). Swap it for a real provider's model in an app.
 */
export function echoModel(): MockLanguageModelV3 {
  let calls = 0;
  return new MockLanguageModelV3({
    doStream: async ({ prompt }) => {
      const last = [...prompt].reverse().find((message) => message.role === 'user');
      const text = last?.content.map((part) => (part.type === 'text' ? part.text : '')).join('') ?? '';
      const words = `reply ${++calls}: ${text}`.split(' ');
      const chunks: LanguageModelV3StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: 't' },
        ...words.map((word, i): LanguageModelV3StreamPart => ({
          type: 'text-delta',
          id: 't',
          delta: i === 0 ? word : ` ${word}`,
        })),
        { type: 'text-end', id: 't' },
        {
          type: 'finish',
          finishReason: { unified: 'stop', raw: undefined },
          usage: {
            inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
            outputTokens: { total: words.length, text: words.length, reasoning: undefined },
          },
        },
      ];
      return { stream: simulateReadableStream({ chunks, chunkDelayInMs: 5 }) };
    },
  });
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fromAnthropic,
  fromOpenAIChat,
  fromOpenAIResponses,
  toAnthropic,
  toOpenAIChat,
  toOpenAIResponses,
} from '../src/index.js';
import { anthropicConversations, chatMessages, responsesItems } from './arbitraries.js';

const runs = { numRuns: 300 };
/** fast-check builds null-prototype records; the converters return plain JSON. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('provider round trips are deep-equal over generated inputs', () => {
  it('OpenAI Chat Completions: to(from(x)) = x and from(to(m)) = m', () => {
    fc.assert(
      fc.property(chatMessages, (generated) => {
        const input = plain(generated);
        const messages = fromOpenAIChat(input);
        expect(toOpenAIChat(messages)).toStrictEqual(input);
        expect(fromOpenAIChat(toOpenAIChat(messages))).toStrictEqual(messages);
      }),
      runs,
    );
  });

  it('OpenAI Responses input items: to(from(x)) = x and from(to(m)) = m', () => {
    fc.assert(
      fc.property(responsesItems, (generated) => {
        const input = plain(generated);
        const messages = fromOpenAIResponses(input);
        expect(toOpenAIResponses(messages)).toStrictEqual(input);
        expect(fromOpenAIResponses(toOpenAIResponses(messages))).toStrictEqual(messages);
      }),
      runs,
    );
  });

  it('Anthropic Messages: to(from(x)) = x and from(to(m)) = m', () => {
    fc.assert(
      fc.property(anthropicConversations, (generated) => {
        const input = plain(generated);
        const messages = fromAnthropic(input);
        expect(toAnthropic(messages)).toStrictEqual(input);
        expect(fromAnthropic(toAnthropic(messages))).toStrictEqual(messages);
      }),
      runs,
    );
  });
});

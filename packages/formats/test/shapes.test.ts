import { ValidationError } from '@fluxibly/core';
import { describe, expect, it } from 'vitest';
import {
  fromAnthropic,
  fromOpenAIChat,
  toAnthropic,
  toOpenAIChat,
  toOpenAIResponses,
  type MessageInput,
} from '../src/index.js';

describe('provider shapes the to… side guarantees', () => {
  const orphan: MessageInput[] = [
    { id: 'm1', role: 'user', content: 'hi' },
    { id: 'm2', role: 'tool', toolCallId: 'call_1', content: '42' },
  ];

  it.each([
    ['Chat Completions', toOpenAIChat],
    ['Responses', toOpenAIResponses],
    ['Anthropic', toAnthropic],
  ] as const)(
    '%s: a tool result without its call right before is a ValidationError naming the message',
    (_name, to) => {
      expect(() => to(orphan)).toThrow(ValidationError);
      expect(() => to(orphan)).toThrow(/messages\[1\] \(id m2\): tool result call_1 does not follow its tool call/);
    },
  );

  it('keeps thinking blocks byte-for-byte and in order', () => {
    const signature = 'EqQBCkgIARABGAIiQ+/=\u00e9';
    const conversation = {
      messages: [
        { role: 'user' as const, content: 'q' },
        {
          role: 'assistant' as const,
          content: [
            { type: 'thinking' as const, thinking: 'a', signature },
            { type: 'redacted_thinking' as const, data: 'xyz' },
            { type: 'thinking' as const, thinking: 'b', signature: `${signature}2` },
            { type: 'text' as const, text: 'answer' },
          ],
        },
      ],
    };
    const messages = fromAnthropic(conversation);
    expect(messages[1]?.content).toEqual([
      { type: 'reasoning', text: 'a', signature },
      { type: 'redacted-reasoning', data: 'xyz' },
      { type: 'reasoning', text: 'b', signature: `${signature}2` },
      { type: 'text', text: 'answer' },
    ]);
    expect(toAnthropic(messages)).toEqual(conversation);
  });

  it('converts across formats through ChatMessage: Chat Completions tool turn → Anthropic', () => {
    const messages = fromOpenAIChat([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
    ]);
    expect(toAnthropic(messages)).toEqual({
      system: 'be brief',
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'weather', input: { city: 'Oslo' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1', content: 'sunny' }] },
      ],
    });
  });

  it('throws on a part a format cannot carry, or drops it when asked', () => {
    const messages: MessageInput[] = [
      {
        id: 'r1',
        role: 'assistant',
        content: [
          { type: 'redacted-reasoning', data: 'x' },
          { type: 'text', text: 'hi' },
        ],
      },
    ];
    expect(() => toOpenAIChat(messages)).toThrow(
      /messages\[0\] \(id r1\): a redacted-reasoning part has no Chat Completions form/,
    );
    expect(toOpenAIChat(messages, { unsupportedParts: 'drop' })).toEqual([
      { role: 'assistant', content: [{ type: 'text', text: 'hi' }] },
    ]);
  });

  it('puts a system message after the conversation started in a ValidationError', () => {
    expect(() =>
      toAnthropic([
        { role: 'user', content: 'a' },
        { id: 's', role: 'system', content: 'late' },
      ]),
    ).toThrow(/messages\[1\] \(id s\)/);
  });
});

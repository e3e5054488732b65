import { fieldOf } from './support/field-of.js';
import { describe, expect, it } from 'vitest';
import type { ContentPart, HistoryMessage } from '../src/index.js';
import { ConversationHistory, ValidationError, estimateTokens, groupUnits, trimWindow } from '../src/index.js';

const texts = (messages: readonly HistoryMessage[]): string[] =>
  messages.map((m) => (typeof m.content === 'string' ? m.content : `${m.role}:parts`));

const toolCall = (toolCallId: string): ContentPart => ({
  type: 'tool-call',
  toolCallId,
  toolName: 'weather',
  input: { city: 'Tokyo' },
});

describe('ConversationHistory window (persistToDb: false)', () => {
  it('adds messages synchronously, in order, with UUIDv7 ids', () => {
    const history = new ConversationHistory();
    const user = history.addUserMessage('What is the weather?', { metadata: { source: 'web' } });
    history.addAssistantMessage("It's sunny today!");
    expect(history.length).toBe(2);
    expect(texts(history.getMessages())).toEqual(['What is the weather?', "It's sunny today!"]);
    expect(user).toMatchObject({ role: 'user', metadata: { source: 'web' } });
    expect(user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(history.getMessages()[0]).toBe(user);
  });

  it('keeps at most maxMessages, dropping the oldest first', () => {
    const history = new ConversationHistory({ maxMessages: 3 });
    for (let i = 1; i <= 5; i++) history.addUserMessage(`m${i}`);
    expect(texts(history.getMessages())).toEqual(['m3', 'm4', 'm5']);
  });

  it('pins system messages: they are never trimmed and count towards the limit', () => {
    const history = new ConversationHistory({ maxMessages: 3 });
    history.addSystemMessage('You are a travel agent.');
    for (let i = 1; i <= 5; i++) history.addUserMessage(`m${i}`);
    expect(texts(history.getMessages())).toEqual(['You are a travel agent.', 'm4', 'm5']);
    history.addSystemMessage('Answer in French.');
    expect(texts(history.getMessages())).toEqual(['You are a travel agent.', 'm5', 'Answer in French.']);
  });

  it('trims by tokens with the default estimate: ceil(chars / 4) + 4 per message', () => {
    expect(estimateTokens({ id: 'x', role: 'user', content: 'abcdefgh', metadata: {} })).toBe(2 + 4);
    expect(estimateTokens({ id: 'x', role: 'user', content: 'abcdefghi', metadata: {} })).toBe(3 + 4);
    const parts = [{ type: 'text', text: 'hi' }];
    expect(estimateTokens({ id: 'x', role: 'user', content: parts, metadata: {} })).toBe(
      Math.ceil(JSON.stringify(parts).length / 4) + 4,
    );
    const history = new ConversationHistory({ maxTokens: 20 }); // each 8-char message costs 6
    for (let i = 1; i <= 5; i++) history.addUserMessage(`message${i}`.slice(0, 8));
    expect(history.length).toBe(3);
  });

  it('uses a pluggable token counter', () => {
    const counted: string[] = [];
    const history = new ConversationHistory({
      maxTokens: 10,
      tokenCounter: (message) => {
        counted.push(message.id);
        return typeof message.content === 'string' ? message.content.length : 100;
      },
    });
    history.addUserMessage('aaaa');
    history.addUserMessage('bbbb');
    history.addUserMessage('cccc');
    expect(texts(history.getMessages())).toEqual(['bbbb', 'cccc']);
    expect(new Set(counted).size).toBe(3); // each message is counted once, then remembered
  });

  it('rejects a token counter returning a bad number, before queueing or adding', () => {
    const history = new ConversationHistory({ maxTokens: 10, tokenCounter: () => NaN });
    expect(() => history.addUserMessage('x')).toThrow(ValidationError);
    expect(history.length).toBe(0);
  });

  it('keeps an assistant tool call and its results together when trimming', () => {
    const history = new ConversationHistory({ maxMessages: 4 });
    history.addSystemMessage('system');
    history.addUserMessage('weather in Tokyo and Paris?');
    history.addAssistantMessage([toolCall('call-1'), toolCall('call-2')]);
    history.addToolMessage('call-1', 'sunny');
    history.addToolMessage('call-2', 'rainy');
    // 5 messages > 4: the user message is dropped; the call and both results stay together.
    expect(texts(history.getMessages())).toEqual(['system', 'assistant:parts', 'sunny', 'rainy']);
    history.addAssistantMessage('Tokyo is sunny, Paris is rainy.');
    // The call unit (3 messages) is now the oldest: it goes whole, never leaving a result without its call.
    expect(texts(history.getMessages())).toEqual(['system', 'Tokyo is sunny, Paris is rainy.']);
  });

  it('never keeps a tool result without its call, even when it arrives after the call was dropped', () => {
    const history = new ConversationHistory({ maxMessages: 2 });
    history.addAssistantMessage([toolCall('late')]);
    history.addUserMessage('meanwhile 1');
    history.addUserMessage('meanwhile 2');
    expect(texts(history.getMessages())).toEqual(['meanwhile 1', 'meanwhile 2']);
    history.addToolMessage('late', 'result for a dropped call');
    expect(texts(history.getMessages())).toEqual(['meanwhile 1', 'meanwhile 2']);
  });

  it('always keeps the newest group, even when it alone exceeds the budget', () => {
    const history = new ConversationHistory({ maxMessages: 2 });
    history.addSystemMessage('system');
    history.addUserMessage('question');
    history.addAssistantMessage([toolCall('a'), toolCall('b')]);
    history.addToolMessage('a', 'A');
    history.addToolMessage('b', 'B');
    expect(texts(history.getMessages())).toEqual(['system', 'assistant:parts', 'A', 'B']);
  });

  it('groups tool-result parts with their call too', () => {
    const units = groupUnits([
      { id: '1', role: 'user', content: 'q', metadata: {} },
      { id: '2', role: 'assistant', content: [toolCall('c1')], metadata: {} },
      { id: '3', role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', output: 'ok' }], metadata: {} },
      { id: '4', role: 'tool', content: 'orphan', toolCallId: 'unknown', metadata: {} },
      { id: '5', role: 'system', content: 's', metadata: {} },
    ]);
    expect(units.map((unit) => unit.indices)).toEqual([[0], [1, 2], [3]]);
    expect(units[1]?.callIds).toEqual(['c1']);
  });

  it('trimWindow without a budget keeps everything', () => {
    const messages: HistoryMessage[] = [{ id: '1', role: 'user', content: 'q', metadata: {} }];
    expect(trimWindow(messages, {}, () => 1).kept).toEqual(messages);
  });

  it('clear() empties the window; getMessages() returns a new array each time', () => {
    const history = new ConversationHistory();
    history.addUserMessage('a');
    const window = history.getMessages();
    window.pop();
    expect(history.length).toBe(1);
    history.clear();
    expect(history.length).toBe(0);
    expect(history.getMessages()).toEqual([]);
  });

  it('validates its input synchronously, naming the argument', () => {
    const history = new ConversationHistory();
    expect(fieldOf(() => history.addMessage('robot' as never, 'x'))).toBe('role');
    expect(fieldOf(() => history.addUserMessage(undefined as never))).toBe('content');
    expect(fieldOf(() => history.addUserMessage([{ type: 'text', at: new Date() }] as never))).toBe('content[0].at');
    expect(fieldOf(() => history.addUserMessage('x', { metadata: [] as never }))).toBe('metadata');
    expect(fieldOf(() => history.addToolMessage({ $gt: '' } as never, 'x'))).toBe('toolCallId');
    expect(fieldOf(() => history.addUserMessage('x', { id: '' }))).toBe('id');
    expect(history.length).toBe(0);
    expect(fieldOf(() => new ConversationHistory({ maxMessages: 0 }))).toBe('maxMessages');
    expect(fieldOf(() => new ConversationHistory({ maxTokens: 1.5 }))).toBe('maxTokens');
    expect(fieldOf(() => new ConversationHistory({ persistToDb: true }))).toBe('stateManager');
    expect(fieldOf(() => new ConversationHistory({ tokenCounter: 'x' as never }))).toBe('tokenCounter');
  });

  it('needs a stateManager to load', async () => {
    await expect(new ConversationHistory().loadFromDb('t')).rejects.toMatchObject({ field: 'stateManager' });
  });
});

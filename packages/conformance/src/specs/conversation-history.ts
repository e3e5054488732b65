import type { ChatMessage, ConversationRepository, HistoryMessage, NewMessage, Scope } from '@fluxibly/core';
import { ConversationHistory, FluxiblyError, StateManager } from '@fluxibly/core';
import { beforeAll, expect } from 'vitest';
import { defineGroup } from '../group.js';
import { range, readExistingMessages, rejectionOf } from '../support/index.js';

/** A thread with a system prompt, a question, a two-call tool round, an answer, and a second exchange. */
const TOOL_THREAD: NewMessage[] = [
  { role: 'system', content: 'You are a travel agent.' },
  { role: 'user', content: 'Weather in Tokyo and Paris?' },
  {
    role: 'assistant',
    content: [
      { type: 'text', text: 'Checking both.' },
      { type: 'tool-call', toolCallId: 'call-tokyo', toolName: 'weather', input: { city: 'Tokyo' } },
      { type: 'tool-call', toolCallId: 'call-paris', toolName: 'weather', input: { city: 'Paris' } },
    ],
  },
  {
    role: 'tool',
    toolCallId: 'call-tokyo',
    content: [{ type: 'tool-result', toolCallId: 'call-tokyo', output: 'sunny' }],
  },
  {
    role: 'tool',
    toolCallId: 'call-paris',
    content: [{ type: 'tool-result', toolCallId: 'call-paris', output: 'rain' }],
  },
  { role: 'assistant', content: 'Tokyo is sunny, Paris rainy.' },
  { role: 'user', content: 'Thanks!' },
  { role: 'assistant', content: 'You are welcome.' },
];

function callsOf(message: HistoryMessage): string[] {
  if (message.role !== 'assistant' || typeof message.content === 'string') return [];
  return message.content.flatMap((part) =>
    part.type === 'tool-call' && typeof part.toolCallId === 'string' ? [part.toolCallId] : [],
  );
}

/** A window never holds a tool result without its call, nor a call without all its stored results. */
function expectToolRoundsWhole(window: readonly HistoryMessage[], thread: readonly NewMessage[], what: string): void {
  const calls = new Set(window.flatMap(callsOf));
  const results = new Set(
    window.flatMap((m) => (m.role === 'tool' && m.toolCallId !== undefined ? [m.toolCallId] : [])),
  );
  for (const id of results)
    expect(calls.has(id), `${what}: tool result ${id} is in the window without its call`).toBe(true);
  for (const id of calls) {
    const stored = thread.some((m) => m.role === 'tool' && m.toolCallId === id);
    if (stored) expect(results.has(id), `${what}: tool call ${id} is in the window without its result`).toBe(true);
  }
}

/**
 * `ConversationHistory` end to end over the adapter: background writes stored in order by `flush()`, `loadFromDb`
 * windows (newest that fit, system pinned, tool rounds whole), and failed writes surfacing from `flush()`.
 */
export const CONVERSATION_HISTORY_GROUP = defineGroup({
  id: 'conversation-history',
  title: 'ConversationHistory over the adapter',
  tests: [
    'persists-in-order',
    'load-newest-that-fit',
    'tool-rounds-whole',
    'write-to-deleted-thread',
    'resume-on-second-instance',
  ],
  register(context) {
    const manager = (scope: Scope, repository: ConversationRepository = context.repo()): StateManager =>
      new StateManager({ repository, orgId: scope.orgId, userId: scope.userId });
    /** A second instance over the same store (its own connection). */
    let other: ConversationRepository;
    beforeAll(async () => {
      other = await context.extraRepo();
    });

    context.it('persists-in-order')(
      'persists every added message in order, and flush() resolves once they are stored',
      async () => {
        const scope = context.newScope();
        const sm = manager(scope);
        const thread = await sm.createThread('history');
        const history = new ConversationHistory({
          maxMessages: 5,
          maxTokens: 8000,
          stateManager: sm,
          persistToDb: true,
        });
        const added: HistoryMessage[] = [history.addSystemMessage('Be brief.')];
        for (const i of range(1, 12)) {
          added.push(
            i % 2 === 1 ? history.addUserMessage(`question ${i}`) : history.addAssistantMessage(`answer ${i}`),
          );
        }
        added.push(
          history.addAssistantMessage([{ type: 'tool-call', toolCallId: 'c1', toolName: 'clock', input: {} }]),
          history.addToolMessage('c1', 'noon', { metadata: { ms: 3 } }),
        );
        await history.flush();
        expect(history.pendingWrites).toBe(0);

        const stored = await readExistingMessages(other, scope, thread.id);
        expect(
          stored.map((m) => m.seq),
          'trimming the window never drops a write',
        ).toEqual(range(1, added.length));
        expect(stored.map((m) => [m.id, m.role, m.content])).toEqual(added.map((m) => [m.id, m.role, m.content]));
        expect(stored.at(-1)).toMatchObject({ toolCallId: 'c1', metadata: { ms: 3 } });
        expect(history.getMessages().length).toBeLessThanOrEqual(5);
        expect(history.getMessages()[0]).toMatchObject({ role: 'system', content: 'Be brief.' });
      },
    );

    context.it('load-newest-that-fit')(
      'loadFromDb loads the newest messages that fit, with the system prompt pinned',
      async () => {
        const scope = context.newScope();
        const thread = await context.repo().createThread(scope);
        const messages: NewMessage[] = [
          { role: 'system', content: 'prompt' },
          ...range(1, 40).map((i): NewMessage => ({ role: i % 2 === 1 ? 'user' : 'assistant', content: `m${i}` })),
        ];
        await context.repo().appendMessages(scope, { threadId: thread.id, messages });
        const sm = manager(scope, other);

        const byCount = new ConversationHistory({ maxMessages: 10, stateManager: sm });
        const window = await byCount.loadFromDb(thread.id);
        expect(window.map((m) => m.content)).toEqual(['prompt', ...range(32, 40).map((i) => `m${i}`)]);
        expect(byCount.getMessages()).toEqual(window);

        const byTokens = new ConversationHistory({ maxTokens: 50, tokenCounter: () => 10, stateManager: sm });
        expect((await byTokens.loadFromDb(thread.id)).map((m) => m.content)).toEqual([
          'prompt',
          'm37',
          'm38',
          'm39',
          'm40',
        ]);

        const unbounded = new ConversationHistory({ stateManager: sm });
        expect((await unbounded.loadFromDb(thread.id)).map((m) => m.content)).toEqual(messages.map((m) => m.content));
      },
    );

    // One test for every window size (the end-to-end groups run once per adapter, not as a matrix): each size
    // still gets its own window and its own assertions, named by the size.
    context.it('tool-rounds-whole')(
      'windows of 2 to 9 messages never separate a tool call from its results',
      async () => {
        const scope = context.newScope();
        const thread = await context.repo().createThread(scope);
        await context.repo().appendMessages(scope, { threadId: thread.id, messages: TOOL_THREAD });
        const threadRest = TOOL_THREAD.slice(1).map((m) => m.content);
        for (const maxMessages of range(2, 9)) {
          const size = `a window of ${maxMessages}`;
          const history = new ConversationHistory({ maxMessages, stateManager: manager(scope) });
          const window = await history.loadFromDb(thread.id);
          expectToolRoundsWhole(window, TOOL_THREAD, size);
          expect(window[0], `${size}: the system prompt is pinned`).toMatchObject({
            role: 'system',
            content: 'You are a travel agent.',
          });
          expect(window.at(-1), `${size}: the newest message is kept`).toMatchObject({ content: 'You are welcome.' });
          const rest = window.slice(1).map((m) => m.content);
          expect(rest, `${size}: the window is the newest part of the thread`).toEqual(
            threadRest.slice(threadRest.length - rest.length),
          );
          expect(window.length, size).toBeLessThanOrEqual(Math.max(maxMessages, 2));
        }
      },
    );

    context.it('write-to-deleted-thread')(
      'a write to a thread deleted underneath is dropped and reported by onError and flush(), never blocking later writes',
      async () => {
        const scope = context.newScope();
        const sm = manager(scope);
        const thread = await sm.createThread('doomed');
        const errors: unknown[] = [];
        const history = new ConversationHistory({
          stateManager: sm,
          persistToDb: true,
          onError: (e) => errors.push(e),
        });
        history.addUserMessage('stored');
        await history.flush();
        expect(await other.deleteThread(scope, thread.id)).toBe(true);

        history.addAssistantMessage('lost');
        const error = await rejectionOf(() => history.flush());
        expect(FluxiblyError.is(error, 'NOT_FOUND'), String(error)).toBe(true);
        expect(errors.length, 'onError saw the failure').toBeGreaterThan(0);
        expect(history.pendingWrites, 'a write that can never succeed is dropped, not retried for ever').toBe(0);
        expect(await context.repo().getThread(scope, thread.id), 'nothing brings the thread back').toBeNull();
        expect(history.discardPendingWrites()).toEqual([]);
        const next = await sm.createThread('next');
        await history.loadFromDb(next.id);
        history.addUserMessage('after');
        await history.flush();
        expect((await sm.getMessages({ threadId: next.id })).map((m) => m.content)).toEqual(['after']);
      },
    );

    context.it('resume-on-second-instance')(
      'a history on a second instance resumes the thread and appends after it',
      async () => {
        const scope = context.newScope();
        const first = manager(scope);
        const thread = await first.createThread('resume');
        const writer = new ConversationHistory({ stateManager: first, persistToDb: true });
        writer.addUserMessage('hello');
        writer.addAssistantMessage('hi there');
        await writer.flush();

        const second = manager(scope, other);
        const reader = new ConversationHistory({ stateManager: second, persistToDb: true, maxMessages: 50 });
        expect((await reader.loadFromDb(thread.id)).map((m) => m.content)).toEqual(['hello', 'hi there']);
        reader.addUserMessage('continuing');
        await reader.flush();
        const all: ChatMessage[] = await first.loadConversationHistory({ threadId: thread.id });
        expect(all.map((m) => [m.seq, m.content])).toEqual([
          [1, 'hello'],
          [2, 'hi there'],
          [3, 'continuing'],
        ]);
      },
    );
  },
});

import type { ChatMessage, ConversationRepository, HistoryMessage, NewMessage, Scope } from '@fluxibly/core';
import { ConversationHistory, StateManager } from '@fluxibly/core';
import { beforeAll, expect } from 'vitest';
import { defineGroup } from '../group.js';
import { range, readExistingMessages } from '../support/index.js';

/** A system prompt, then `count` alternating user / assistant messages `m1…m<count>` (seqs 2…count+1). */
function conversation(count: number): NewMessage[] {
  return [
    { role: 'system', content: 'prompt' },
    ...range(1, count).map((i): NewMessage => ({ role: i % 2 === 1 ? 'user' : 'assistant', content: `m${i}` })),
  ];
}

/** A summarizer that records what it was given and summarises it as `S[<contents>]`. */
function recordingSummarizer(): { calls: HistoryMessage[][]; summarize: (m: readonly HistoryMessage[]) => string } {
  const calls: HistoryMessage[][] = [];
  return {
    calls,
    summarize: (messages) => {
      calls.push([...messages]);
      return `S[${messages.map((m) => (typeof m.content === 'string' ? m.content : 'parts')).join(',')}]`;
    },
  };
}

const contents = (messages: readonly Pick<HistoryMessage, 'content'>[]): unknown[] => messages.map((m) => m.content);

/**
 * Durable compaction (`ConversationHistory.compact`) and reading from a summary (`loadFromDb`,
 * `StateManager.loadConversationHistory({ fromSummary: true })`) over the adapter: the summary is a stored message
 * with its `summaryOf` range, the thread's `summarySeq` names it, raw messages are never deleted, and another
 * process resumes from the summary. Also token counts given by the caller driving the window.
 */
export const COMPACTION_GROUP = defineGroup({
  id: 'compaction',
  title: 'summaries and token counts',
  tests: [
    'compact-stores-summary',
    'resume-from-summary',
    'compact-again',
    'nothing-to-compact',
    'tool-round-not-split',
    'summary-removed',
    'appends-during-compaction',
    'token-counts',
  ],
  register(context) {
    const manager = (scope: Scope, repository: ConversationRepository = context.repo()): StateManager =>
      new StateManager({ repository, orgId: scope.orgId, userId: scope.userId });
    let other: ConversationRepository;
    beforeAll(async () => {
      other = await context.extraRepo();
    });

    async function threadWith(scope: Scope, messages: NewMessage[]): Promise<string> {
      const thread = await context.repo().createThread(scope);
      await context.repo().appendMessages(scope, { threadId: thread.id, messages });
      return thread.id;
    }

    context.it('compact-stores-summary')(
      'compact() stores one summary of the older messages, names it in summarySeq, and deletes nothing',
      async () => {
        const scope = context.newScope();
        const threadId = await threadWith(scope, conversation(10));
        const history = new ConversationHistory({ stateManager: manager(scope), threadId });
        await history.loadFromDb();
        const recorder = recordingSummarizer();

        const summary = await history.compact({ summarize: recorder.summarize, keepLast: 2, metadata: { v: 1 } });

        expect(recorder.calls.map(contents), 'the leading system prompt stays out; the newest 2 too').toEqual([
          range(1, 8).map((i) => `m${i}`),
        ]);
        expect(summary).toMatchObject({
          seq: 12,
          role: 'system',
          content: 'S[m1,m2,m3,m4,m5,m6,m7,m8]',
          summaryOf: { fromSeq: 2, toSeq: 9 },
          metadata: { v: 1 },
          status: 'completed',
        });
        const thread = await other.getThread(scope, threadId);
        expect(thread).toMatchObject({ summarySeq: 12, lastSeq: 12, messageCount: 12 });
        const stored = await readExistingMessages(other, scope, threadId);
        expect(
          stored.map((m) => m.seq),
          'raw messages are never deleted',
        ).toEqual(range(1, 12));
        expect(stored.at(-1)?.summaryOf).toEqual({ fromSeq: 2, toSeq: 9 });
        expect(contents(history.getMessages()), 'the window is reloaded from the summary').toEqual([
          'prompt',
          'S[m1,m2,m3,m4,m5,m6,m7,m8]',
          'm9',
          'm10',
        ]);
      },
    );

    context.it('resume-from-summary')(
      'another instance loads the system prompt, the newest summary and what follows its range',
      async () => {
        const scope = context.newScope();
        const threadId = await threadWith(scope, conversation(6));
        const mine = manager(scope);
        await new ConversationHistory({ stateManager: mine, threadId }).compact({
          summarize: () => 'summary',
          keepLast: 1,
        });
        await mine.addMessages([{ role: 'user', content: 'after' }], { threadId });

        const theirs = manager(scope, other);
        const window = await new ConversationHistory({ stateManager: theirs }).loadFromDb(threadId);
        expect(contents(window)).toEqual(['prompt', 'summary', 'm6', 'after']);
        const bounded = await new ConversationHistory({ stateManager: theirs, maxMessages: 3 }).loadFromDb(threadId);
        expect(contents(bounded), 'the summary is pinned like the system prompt').toEqual([
          'prompt',
          'summary',
          'after',
        ]);

        const fromSummary = await theirs.loadConversationHistory({ threadId, fromSummary: true });
        expect(contents(fromSummary)).toEqual(['prompt', 'summary', 'm6', 'after']);
        const whole = await theirs.loadConversationHistory({ threadId });
        expect(
          whole.map((m) => m.seq),
          'without fromSummary: the whole thread',
        ).toEqual(range(1, 9));
      },
    );

    context.it('compact-again')(
      'a second compact() summarises the previous summary plus what came after it, keeping the range start',
      async () => {
        const scope = context.newScope();
        const threadId = await threadWith(scope, conversation(4));
        const sm = manager(scope);
        const history = new ConversationHistory({ stateManager: sm, threadId });
        const first = await history.compact({ summarize: () => 'first', keepLast: 1 });
        expect(first?.summaryOf).toEqual({ fromSeq: 2, toSeq: 4 });
        await sm.addMessages(
          range(5, 8).map((i): NewMessage => ({ role: i % 2 === 1 ? 'user' : 'assistant', content: `m${i}` })),
          { threadId },
        );
        const recorder = recordingSummarizer();
        const second = await history.compact({ summarize: recorder.summarize, keepLast: 2 });
        expect(recorder.calls.map(contents)).toEqual([['first', 'm4', 'm5', 'm6']]);
        expect(second).toMatchObject({ summaryOf: { fromSeq: 2, toSeq: 8 }, content: 'S[first,m4,m5,m6]' });
        expect((await other.getThread(scope, threadId))?.summarySeq).toBe(second?.seq);
        expect(contents(await manager(scope, other).loadConversationHistory({ threadId, fromSummary: true }))).toEqual([
          'prompt',
          'S[first,m4,m5,m6]',
          'm7',
          'm8',
        ]);
      },
    );

    context.it('nothing-to-compact')(
      'compact() with nothing to summarise returns null and writes nothing',
      async () => {
        const scope = context.newScope();
        const threadId = await threadWith(scope, conversation(2));
        let called = 0;
        const history = new ConversationHistory({ stateManager: manager(scope), threadId });
        const summarize = (): string => {
          called += 1;
          return 'x';
        };
        expect(await history.compact({ summarize, keepLast: 2 })).toBeNull();
        const onlyPrompt = await threadWith(scope, [{ role: 'system', content: 'prompt' }]);
        expect(
          await new ConversationHistory({ stateManager: manager(scope) }).compact({ summarize }, onlyPrompt),
        ).toBeNull();
        expect(called).toBe(0);
        expect(await other.getThread(scope, threadId)).toMatchObject({ lastSeq: 3, messageCount: 3 });
        expect(await other.getThread(scope, threadId)).not.toHaveProperty('summarySeq');
      },
    );

    context.it('tool-round-not-split')(
      'keepLast never leaves a tool result outside the summary that holds its call',
      async () => {
        const scope = context.newScope();
        const threadId = await threadWith(scope, [
          { role: 'system', content: 'prompt' },
          { role: 'user', content: 'q' },
          { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 't', input: {} }] },
          { role: 'tool', toolCallId: 'c1', content: 'r1' },
          { role: 'assistant', content: 'answer' },
        ]);
        const recorder = recordingSummarizer();
        const history = new ConversationHistory({ stateManager: manager(scope), threadId });
        const summary = await history.compact({ summarize: recorder.summarize, keepLast: 2 });
        expect(recorder.calls.map((call) => call.map((m) => m.role))).toEqual([['user', 'assistant', 'tool']]);
        expect(summary?.summaryOf).toEqual({ fromSeq: 2, toSeq: 4 });
        expect(contents(history.getMessages())).toEqual(['prompt', summary?.content, 'answer']);
      },
    );

    context.it('summary-removed')(
      'a summary removed by truncateThread or deleteMessage no longer counts: loads fall back to the thread',
      async () => {
        const scope = context.newScope();
        const threadId = await threadWith(scope, conversation(4));
        const sm = manager(scope);
        const summary = await new ConversationHistory({ stateManager: sm, threadId }).compact({
          summarize: () => 'gone soon',
        });
        expect(summary?.seq).toBe(6);
        expect(await context.repo().truncateThread(scope, { threadId, afterSeq: 5 })).toBe(1);
        expect(await other.getThread(scope, threadId), 'truncation unsets summarySeq').not.toHaveProperty('summarySeq');
        expect(contents(await new ConversationHistory({ stateManager: sm }).loadFromDb(threadId))).toEqual(
          contents(conversation(4)),
        );

        const again = await new ConversationHistory({ stateManager: sm, threadId }).compact({ summarize: () => 's2' });
        expect(await context.repo().deleteMessage(scope, { threadId, messageId: again?.id ?? '' })).toBe(true);
        expect(contents(await manager(scope, other).loadConversationHistory({ threadId, fromSummary: true }))).toEqual(
          contents(conversation(4)),
        );
        expect(contents(await new ConversationHistory({ stateManager: sm }).loadFromDb(threadId))).toEqual(
          contents(conversation(4)),
        );
      },
    );

    context.it('appends-during-compaction')(
      'messages appended by another writer while summarize() runs are after the range and never lost',
      async () => {
        const scope = context.newScope();
        const threadId = await threadWith(scope, conversation(4));
        const theirs = manager(scope, other);
        const history = new ConversationHistory({ stateManager: manager(scope), threadId });
        const summary = await history.compact({
          summarize: async () => {
            await theirs.addMessages([{ role: 'user', content: 'racing' }], { threadId });
            return 'summary';
          },
        });
        expect(summary).toMatchObject({ seq: 7, summaryOf: { fromSeq: 2, toSeq: 5 } });
        expect(contents(history.getMessages())).toEqual(['prompt', 'summary', 'racing']);
      },
    );

    context.it('token-counts')(
      'a token count given by the caller is stored, and the window counts it instead of the estimate',
      async () => {
        const scope = context.newScope();
        const sm = manager(scope);
        const thread = await sm.createThread('tokens');
        const writer = new ConversationHistory({ stateManager: sm, persistToDb: true, maxTokens: 1000 });
        writer.addSystemMessage('prompt', { tokenCount: 5 });
        writer.addUserMessage('short', { tokenCount: 400 });
        writer.addAssistantMessage('short too', { tokenCount: 400 });
        writer.addUserMessage('tiny', { tokenCount: 0 });
        writer.addAssistantMessage('last', { tokenCount: 300 });
        expect(contents(writer.getMessages()), 'the live window counts the given tokens').toEqual([
          'prompt',
          'short too',
          'tiny',
          'last',
        ]);
        await writer.flush();
        const stored: ChatMessage[] = await readExistingMessages(other, scope, thread.id);
        expect(stored.map((m) => m.tokenCount)).toEqual([5, 400, 400, 0, 300]);
        const reader = new ConversationHistory({ stateManager: manager(scope, other), maxTokens: 1000 });
        expect(contents(await reader.loadFromDb(thread.id)), 'a loaded window counts the stored tokens').toEqual([
          'prompt',
          'short too',
          'tiny',
          'last',
        ]);
      },
    );
  },
});

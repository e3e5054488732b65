import type { ChatThread, ConversationRepository, Scope } from '@fluxibly/core';
import { StateManager } from '@fluxibly/core';
import { expect } from 'vitest';
import { defineGroup } from '../group.js';
import { expectNotFound, expectValidation, range } from '../support/index.js';

/**
 * The user-facing `StateManager` end to end over the adapter: current thread, messages oldest-first, tenant
 * isolation, listings, clear/delete, `{ threadId }` overrides, and resumption from a fresh repository instance.
 */
export const STATE_MANAGER_GROUP = defineGroup({
  id: 'state-manager',
  title: 'StateManager over the adapter',
  tests: [
    'current-thread',
    'set-current-thread',
    'load-history',
    'tenant',
    'no-current-thread',
    'thread-override',
    'resume',
  ],
  register(context) {
    const manager = (scope: Scope, repository: ConversationRepository = context.repo()): StateManager =>
      new StateManager({ repository, orgId: scope.orgId, userId: scope.userId });

    context.it('current-thread')(
      'createThread makes the new thread current; addMessage and getMessages act on it, oldest first',
      async () => {
        const scope = context.newScope();
        const sm = manager(scope);
        const thread = await sm.createThread('Travel Planning');
        expect(thread).toMatchObject({ name: 'Travel Planning', orgId: scope.orgId, userId: scope.userId, lastSeq: 0 });
        const first = await sm.addMessage('user', 'Plan a trip to Tokyo', { metadata: { source: 'web' } });
        expect(first).toMatchObject({
          threadId: thread.id,
          seq: 1,
          role: 'user',
          content: 'Plan a trip to Tokyo',
          metadata: { source: 'web' },
        });
        for (const i of range(2, 6)) await sm.addMessage(i % 2 === 0 ? 'assistant' : 'user', `message ${i}`);
        const last3 = await sm.getMessages({ limit: 3 });
        expect(last3.map((m) => m.seq)).toEqual([4, 5, 6]);
        expect(last3.map((m) => m.content)).toEqual(['message 4', 'message 5', 'message 6']);
        const other = await sm.createThread('Second');
        await sm.addMessage('user', 'in the second thread');
        expect((await sm.getMessages({ limit: 10 })).map((m) => m.threadId)).toEqual([other.id]);
      },
    );

    context.it('set-current-thread')(
      'setCurrentThread switches threads, and throws NotFoundError for a missing or foreign id',
      async () => {
        const scope = context.newScope();
        const sm = manager(scope);
        const first = await sm.createThread('first');
        const thread2 = await sm.createThread('second');
        await sm.setCurrentThread(first.id);
        await sm.addMessage('user', 'back in first');
        expect(
          (await context.repo().getMessages(scope, { threadId: first.id }))?.messages.map((m) => m.content),
        ).toEqual(['back in first']);

        const colleague = manager({ orgId: scope.orgId, userId: context.newScope().userId });
        const foreign = await colleague.createThread('not yours');
        await expectNotFound(() => sm.setCurrentThread(foreign.id));
        await expectNotFound(() => sm.setCurrentThread(`missing ${thread2.id}`));
        await sm.addMessage('user', 'still in first');
        expect((await context.repo().getThread(scope, first.id))?.messageCount).toBe(2);
        expect((await colleague.loadConversationHistory()).length).toBe(0);
      },
    );

    context.it('load-history')(
      'loadConversationHistory returns the whole thread oldest first, beyond one page',
      async () => {
        const scope = context.newScope();
        const sm = manager(scope);
        const thread = await sm.createThread('long');
        const count = 130;
        for (let start = 1; start <= count; start += 50) {
          await context.repo().appendMessages(scope, {
            threadId: thread.id,
            messages: range(start, Math.min(count, start + 49)).map((i) => ({
              role: 'user' as const,
              content: `m${i}`,
            })),
          });
        }
        const all = await sm.loadConversationHistory();
        expect(all.map((m) => m.seq)).toEqual(range(1, count));
        expect(all.map((m) => m.content)).toEqual(range(1, count).map((i) => `m${i}`));
      },
    );

    context.it('tenant')(
      'getThread, listThreads (user and org), clearThread and deleteThread respect the tenant',
      async () => {
        const scope = context.newScope();
        const sm = manager(scope);
        const colleague = manager({ orgId: scope.orgId, userId: context.newScope().userId });
        const outsider = manager({ orgId: context.newScope().orgId, userId: scope.userId });
        const mine = await sm.createThread('mine');
        await sm.addMessage('user', 'a');
        await sm.addMessage('assistant', 'b');
        const theirs = await colleague.createThread('theirs');
        const elsewhere = await outsider.createThread('elsewhere');

        expect(await sm.getThread(mine.id)).toMatchObject({ id: mine.id, messageCount: 2, lastSeq: 2 });
        expect(await sm.getThread(theirs.id)).toBeNull();
        expect(await sm.getThread(elsewhere.id)).toBeNull();
        const ids = (threads: ChatThread[]): string[] => threads.map((t) => t.id).sort();
        expect(ids(await sm.listThreads())).toEqual([mine.id]);
        expect(ids(await sm.listThreads({ scope: 'org' }))).toEqual([mine.id, theirs.id].sort());

        await expectNotFound(() => sm.clearThread(theirs.id));
        expect(await sm.clearThread(mine.id)).toBe(2);
        expect(await sm.getThread(mine.id)).toMatchObject({ messageCount: 0, lastSeq: 2 });
        expect(await sm.deleteThread(theirs.id)).toBe(false);
        expect(await colleague.getThread(theirs.id)).not.toBeNull();
        expect(await sm.deleteThread(mine.id)).toBe(true);
        expect(await sm.deleteThread(mine.id)).toBe(false);
        expect(await sm.getThread(mine.id)).toBeNull();
      },
    );

    context.it('no-current-thread')(
      'without a current thread (none yet, or it was deleted) thread calls name threadId',
      async () => {
        const scope = context.newScope();
        const sm = manager(scope);
        await expectValidation(() => sm.addMessage('user', 'nowhere'), 'threadId');
        const thread = await sm.createThread('short-lived');
        expect(await sm.deleteThread()).toBe(true);
        await expectValidation(() => sm.getMessages(), 'threadId');
        await expectNotFound(() => sm.addMessage('user', 'gone', { threadId: thread.id }));
      },
    );

    context.it('thread-override')(
      '{ threadId } acts on another of this user thread without changing the current one',
      async () => {
        const scope = context.newScope();
        const sm = manager(scope);
        const other = await sm.createThread('other');
        const current = await sm.createThread('current');
        const stored = await sm.addMessage('user', 'hi', { threadId: other.id });
        expect(stored).toMatchObject({ threadId: other.id, seq: 1 });
        expect((await sm.getMessages({ threadId: other.id, limit: 20 })).map((m) => m.content)).toEqual(['hi']);
        await sm.addMessage('user', 'in current');
        expect((await sm.getMessages({ limit: 20 })).map((m) => m.threadId)).toEqual([current.id]);
        expect((await sm.loadConversationHistory({ threadId: other.id })).map((m) => m.content)).toEqual(['hi']);

        const foreign = await manager(context.newScope()).createThread('foreign');
        await expectNotFound(() => sm.addMessage('user', 'intrusion', { threadId: foreign.id }));
      },
    );

    context.it('resume')(
      'resumes: a second StateManager on a fresh repository instance sees and continues the conversation',
      async () => {
        const scope = context.newScope();
        const sm = manager(scope);
        const thread = await sm.createThread('resumable');
        await sm.addMessage('system', 'You are a travel agent.');
        await sm.addMessage('user', 'Plan a trip to Tokyo');
        await sm.addMessage('assistant', 'Sure: when?');

        const resumed = manager(scope, await context.extraRepo());
        expect((await resumed.listThreads()).map((t) => t.id)).toEqual([thread.id]);
        await resumed.setCurrentThread(thread.id);
        const history = await resumed.loadConversationHistory();
        expect(history.map((m) => m.content)).toEqual([
          'You are a travel agent.',
          'Plan a trip to Tokyo',
          'Sure: when?',
        ]);
        expect(history.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
        const next = await resumed.addMessage('user', 'Next month');
        expect(next.seq).toBe(4);
        expect((await sm.getMessages({ limit: 2 })).map((m) => m.content)).toEqual(['Sure: when?', 'Next month']);
      },
    );
  },
});

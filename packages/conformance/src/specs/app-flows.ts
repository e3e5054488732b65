import type { Scope } from '@fluxibly/core';
import { ConflictError, StateManager } from '@fluxibly/core';
import { expect } from 'vitest';
import { defineGroup } from '../group.js';
import { expectConflict, range, readExistingMessages } from '../support/index.js';

/**
 * The flows the README's recipes show, through `StateManager` as an application writes them: regenerate a reply
 * (`replaceAfterSeq`), stream into a message (`status` + `expectedStatus`), claim a resumable stream once
 * (`expectedMetadata`), and find threads by metadata.
 */
export const APP_FLOWS_GROUP = defineGroup({
  id: 'app-flows',
  title: 'regenerate, stream, claim and filter through StateManager',
  tests: ['regenerate-reply', 'edit-and-resend', 'stream-into-message', 'claim-stream-once', 'list-by-metadata'],
  register(context) {
    const manager = (scope: Scope): StateManager =>
      new StateManager({ repository: context.repo(), orgId: scope.orgId, userId: scope.userId });

    context.it('regenerate-reply')(
      'regenerating the last reply replaces it atomically; the retry of that call is a no-op',
      async () => {
        const scope = context.newScope();
        const sm = manager(scope);
        const thread = await sm.createThread('regenerate');
        const question = await sm.addMessage('user', 'Name a colour');
        await sm.addMessage('assistant', 'Red');
        const reply = { id: 'reply-2', role: 'assistant' as const, content: 'Blue' };

        const [regenerated] = await sm.addMessages([reply], { replaceAfterSeq: question.seq });
        expect(regenerated).toMatchObject({ id: 'reply-2', seq: 3, content: 'Blue' });
        const retried = await sm.addMessages([reply], { replaceAfterSeq: question.seq });
        expect(retried, 'a retry returns the stored message and writes nothing').toEqual([regenerated]);

        const stored = await readExistingMessages(context.repo(), scope, thread.id);
        expect(stored.map((m) => [m.seq, m.content])).toEqual([
          [1, 'Name a colour'],
          [3, 'Blue'],
        ]);
        expect(await sm.getThread(thread.id)).toMatchObject({ lastSeq: 3, messageCount: 2 });
      },
    );

    context.it('edit-and-resend')(
      'edit-and-resend replaces the question and everything after it; a stale expectedLastSeq is a conflict',
      async () => {
        const scope = context.newScope();
        const sm = manager(scope);
        const thread = await sm.createThread('edit');
        await sm.addMessages(
          range(1, 6).map((i) => ({ role: i % 2 ? ('user' as const) : ('assistant' as const), content: `m${i}` })),
        );
        await expectConflict(() =>
          sm.addMessages([{ role: 'user', content: 'x' }], { replaceAfterSeq: 2, expectedLastSeq: 5 }),
        );
        const edited = await sm.addMessages(
          [
            { role: 'user', content: 'm3 edited' },
            { role: 'assistant', content: 'new answer', tokenCount: 7 },
          ],
          { replaceAfterSeq: 2, expectedLastSeq: 6 },
        );
        expect(edited.map((m) => m.seq)).toEqual([7, 8]);
        expect((await sm.getMessages()).map((m) => m.content)).toEqual(['m1', 'm2', 'm3 edited', 'new answer']);
        expect(await sm.truncateThread({ afterSeq: 7, threadId: thread.id })).toBe(1);
        expect(await sm.getThread(thread.id)).toMatchObject({ lastSeq: 8, messageCount: 3 });
      },
    );

    context.it('stream-into-message')(
      'a streamed reply is stored in progress and finished exactly once when onFinish and an abort race',
      async () => {
        const scope = context.newScope();
        const sm = manager(scope);
        await sm.createThread('stream');
        await sm.addMessage('user', 'Tell me a story');
        const draft = await sm.addMessage('assistant', '', { status: 'in_progress', id: 'draft' });
        expect(draft.status).toBe('in_progress');
        await sm.editMessage('draft', { content: 'Once upon', expectedStatus: 'in_progress' });

        const outcomes = await Promise.allSettled([
          sm.editMessage('draft', {
            content: 'Once upon a time.',
            status: 'completed',
            tokenCount: 5,
            expectedStatus: 'in_progress',
          }),
          sm.editMessage('draft', { content: 'Once upon', status: 'incomplete', expectedStatus: 'in_progress' }),
        ]);
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]?.reason).toBeInstanceOf(ConflictError);
        const final = await sm.getMessage('draft');
        const winner = (won[0] as PromiseFulfilledResult<unknown>).value;
        expect(final).toEqual(winner);
        expect(['completed', 'incomplete']).toContain(final?.status);
      },
    );

    context.it('claim-stream-once')(
      'of racing writers claiming activeStreamId with expectedMetadata, exactly one wins',
      async () => {
        const scope = context.newScope();
        const sm = manager(scope);
        const thread = await sm.createThread('resumable');
        const claims = await Promise.allSettled(
          range(1, 8).map((i) =>
            sm.updateThread({ metadataPatch: { activeStreamId: `s${i}` }, expectedMetadata: { activeStreamId: null } }),
          ),
        );
        const winners = claims.filter((c) => c.status === 'fulfilled');
        expect(winners).toHaveLength(1);
        for (const claim of claims) if (claim.status === 'rejected') expect(claim.reason).toBeInstanceOf(ConflictError);
        const claimed = (await sm.getThread(thread.id))?.metadata.activeStreamId;
        expect(
          (winners[0] as PromiseFulfilledResult<{ metadata: Record<string, unknown> }>).value.metadata.activeStreamId,
        ).toBe(claimed);
        const released = await sm.updateThread({
          metadataPatch: { activeStreamId: null },
          expectedMetadata: { activeStreamId: claimed as string },
        });
        expect(released.metadata).not.toHaveProperty('activeStreamId');
      },
    );

    context.it('list-by-metadata')('listThreads and listThreadsPage filter by metadata, newest first', async () => {
      const scope = context.newScope();
      const sm = manager(scope);
      const a = await sm.createThread('a', { metadata: { project: 'x', pinned: true } });
      await sm.createThread('b', { metadata: { project: 'y', pinned: true } });
      const c = await sm.createThread('c', { metadata: { project: 'x' } });
      expect((await sm.listThreads({ metadata: { project: 'x' } })).map((t) => t.id)).toEqual([c.id, a.id]);
      expect((await sm.listThreads({ metadata: { project: 'x', pinned: true } })).map((t) => t.id)).toEqual([a.id]);
      const page = await sm.listThreadsPage({ metadata: { project: 'x' }, limit: 1 });
      expect(page.threads.map((t) => t.id)).toEqual([c.id]);
      const next = await sm.listThreadsPage({ metadata: { project: 'x' }, limit: 1, cursor: page.nextCursor ?? '' });
      expect(next.threads.map((t) => t.id)).toEqual([a.id]);
      expect((await sm.listThreads({ scope: 'org', metadata: { project: 'y' } })).map((t) => t.name)).toEqual(['b']);
    });
  },
});

import type { ConversationRepository } from '@fluxibly/core';
import { expect } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import {
  expectNotFound,
  listAllOrgThreads,
  listAllThreads,
  readExistingMessages,
  seedThread,
  seqsOf,
  textMessage,
  textMessages,
  waitForStoreTimeAfter,
} from '../support/index.js';

/** Guarantee 5: a deleted thread stays deleted and leaves no trace; clearing keeps the thread and its `lastSeq`. */
export const LIFECYCLE_GROUP = defineGroup({
  id: 'lifecycle',
  title: 'delete and clear',
  tests: ['deleted-thread', 'clear-thread', 'clear-missing'],
  register(context) {
    const repo = (): ConversationRepository => context.repo();

    context.it('deleted-thread')(
      'a deleted thread stays deleted: every call treats it as missing, and the store keeps no trace of it',
      async () => {
        const scope = context.newScope();
        const witness = await seedThread(repo(), scope, 2);
        const rawBefore = await context.inspector()?.snapshot(scope.orgId);

        const threadId = freshId('doomed');
        await repo().createThread(scope, { id: threadId, name: 'doomed', metadata: { k: 1 } });
        const batch = textMessages(3);
        const stored = await repo().appendMessages(scope, { threadId, messages: batch });
        expect(await repo().deleteThread(scope, threadId)).toBe(true);

        const messageId = stored[0]?.id ?? '';
        for (const reader of [repo(), await context.extraRepo()]) {
          await expectNotFound(() =>
            reader.appendMessages(scope, { threadId, messages: [textMessage('user', 'again')] }),
          );
          await expectNotFound(() => reader.appendMessages(scope, { threadId, messages: batch }));
          await expectNotFound(() => reader.appendMessages(scope, { threadId, messages: batch, expectedLastSeq: 3 }));
          await expectNotFound(() => reader.editMessage(scope, { threadId, messageId, content: 'x' }));
          await expectNotFound(() => reader.clearThread(scope, threadId));
          await expectNotFound(() => reader.updateThread(scope, { threadId, name: 'back' }));
          await expectNotFound(() => reader.forkThread(scope, { threadId, atSeq: 0 }));
          expect(await reader.deleteMessage(scope, { threadId, messageId })).toBe(false);
          expect(await reader.deleteThread(scope, threadId)).toBe(false);
          expect(await reader.getThread(scope, threadId)).toBeNull();
          expect(await reader.getMessages(scope, { threadId })).toBeNull();
          expect(await reader.getMessage(scope, { threadId, messageId })).toBeNull();
        }
        expect((await listAllThreads(repo(), scope)).map((t) => t.id)).toEqual([witness.thread.id]);
        expect((await listAllOrgThreads(repo(), scope.orgId)).map((t) => t.id)).toEqual([witness.thread.id]);
        expect(await repo().getThread(scope, witness.thread.id)).toEqual(witness.thread);

        const inspector = context.inspector();
        if (inspector !== undefined) {
          expect(await inspector.messageSeqs(threadId)).toEqual([]);
          expect(await inspector.snapshot(scope.orgId), 'the org holds exactly what it held before the thread').toEqual(
            rawBefore,
          );
        }
      },
    );

    context.it('clear-thread')(
      'clearThread removes every message, returns how many, and keeps the thread, its lastSeq and its cursors',
      async () => {
        const scope = context.newScope();
        const { thread, messages } = await seedThread(repo(), scope, 4, { name: 'keep me' });
        await repo().updateThread(scope, { threadId: thread.id, metadata: { keep: true } });
        await repo().deleteMessage(scope, { threadId: thread.id, messageId: messages[1]?.id ?? '' });
        const page = await repo().getMessages(scope, { threadId: thread.id, limit: 2 });
        const before = await repo().getThread(scope, thread.id);
        if (before === null || page === null) throw new Error('the thread is missing');
        await waitForStoreTimeAfter(repo(), before.updatedAt);

        expect(await repo().clearThread(scope, thread.id), 'removed 3 messages (one was deleted before)').toBe(3);
        const cleared = await repo().getThread(scope, thread.id);
        expect(cleared).toMatchObject({
          id: thread.id,
          name: 'keep me',
          metadata: { keep: true },
          lastSeq: 4,
          messageCount: 0,
        });
        expect(cleared?.createdAt).toEqual(thread.createdAt);
        expect(cleared?.updatedAt.getTime(), 'clearing moves updatedAt').toBeGreaterThan(before.updatedAt.getTime());
        expect(await repo().getMessages(scope, { threadId: thread.id })).toEqual({
          messages: [],
          olderCursor: null,
          newerCursor: null,
        });
        expect(await repo().getMessage(scope, { threadId: thread.id, messageId: messages[0]?.id ?? '' })).toBeNull();
        expect(
          (await listAllThreads(repo(), scope)).map((t) => t.id),
          'a cleared thread is still listed',
        ).toEqual([thread.id]);
        expect(await repo().clearThread(scope, thread.id), 'clearing an empty thread').toBe(0);
        const inspector = context.inspector();
        if (inspector !== undefined) expect(await inspector.messageSeqs(thread.id)).toEqual([]);

        const next = await repo().appendMessages(scope, { threadId: thread.id, messages: textMessages(2) });
        expect(seqsOf(next), 'appends continue after the kept lastSeq').toEqual([5, 6]);
        expect(await repo().getThread(scope, thread.id)).toMatchObject({ lastSeq: 6, messageCount: 2 });
        const newer = await repo().getMessages(scope, { threadId: thread.id, after: page.newerCursor ?? '' });
        expect(seqsOf(newer?.messages ?? []), 'a cursor from before the clear still means the same position').toEqual([
          5, 6,
        ]);
        const older = await repo().getMessages(scope, { threadId: thread.id, before: page.olderCursor ?? '' });
        expect(older?.messages).toEqual([]);
        expect(older?.olderCursor).toBeNull();
        expect(await readExistingMessages(repo(), scope, thread.id)).toEqual(next);
      },
    );

    context.it('clear-missing')(
      'clearThread of a thread that was never created, or was deleted, is a NotFoundError',
      async () => {
        const scope = context.newScope();
        await expectNotFound(() => repo().clearThread(scope, freshId('missing')));
        const { thread } = await seedThread(repo(), scope, 1);
        await repo().deleteThread(scope, thread.id);
        await expectNotFound(() => repo().clearThread(scope, thread.id));
      },
    );
  },
});

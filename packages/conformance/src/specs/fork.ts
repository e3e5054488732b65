import type { ChatMessage, ChatThread, ConversationRepository, Scope } from '@fluxibly/core';
import { uuidv7 } from '@fluxibly/core';
import { expect } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import {
  captureState,
  expectConflict,
  expectNotFound,
  expectStateUnchanged,
  expectUuidV7,
  expectValidation,
  listAllThreads,
  readExistingMessages,
  seqsOf,
  textMessage,
  textMessages,
  waitForStoreTimeAfter,
} from '../support/index.js';

/** The copies a fork of `source` at `atSeq` must hold: every message with `seq <= atSeq`, re-homed. */
function expectedCopies(source: readonly ChatMessage[], atSeq: number, forkId: string): ChatMessage[] {
  return source.filter((m) => m.seq <= atSeq).map((m) => ({ ...m, threadId: forkId }));
}

/** Forking a thread at a `seq` (not optional): copies, parent, independence, bounds. */
export const FORK_GROUP = defineGroup({
  id: 'fork',
  title: 'forkThread',
  tests: ['copies-up-to-at-seq', 'defaults', 'at-zero', 'independent', 'at-seq-beyond', 'id-taken', 'missing-source'],
  register(context) {
    const repo = (): ConversationRepository => context.repo();

    /** A source thread of 6 messages: #2 edited, #4 deleted, #3 a tool message with name and toolCallId. */
    async function source(scope: Scope): Promise<{ thread: ChatThread; messages: ChatMessage[] }> {
      const thread = await repo().createThread(scope, { name: 'source', metadata: { topic: 'fork' } });
      const stored = await repo().appendMessages(scope, {
        threadId: thread.id,
        messages: [
          textMessage('user', 'one'),
          textMessage('assistant', 'two'),
          {
            role: 'tool',
            content: [{ type: 'tool-result', value: 3 }],
            name: 'calc',
            toolCallId: 'c-1',
            metadata: { m: 1 },
          },
          textMessage('user', 'four'),
          textMessage('assistant', 'five'),
          textMessage('user', 'six'),
        ],
      });
      await repo().editMessage(scope, { threadId: thread.id, messageId: stored[1]?.id ?? '', content: 'two (edited)' });
      await repo().deleteMessage(scope, { threadId: thread.id, messageId: stored[3]?.id ?? '' });
      const current = await repo().getThread(scope, thread.id);
      if (current === null) throw new Error('the source thread is missing');
      // A fork made later than this must still copy the original createdAt/editedAt, not stamp new ones.
      await waitForStoreTimeAfter(repo(), current.updatedAt);
      return { thread: current, messages: await readExistingMessages(repo(), scope, thread.id) };
    }

    context.it('copies-up-to-at-seq')(
      'copies the messages up to atSeq (ids, seqs, content, timestamps) into a new thread of the same scope',
      async () => {
        const scope = context.newScope();
        const src = await source(scope);
        const fork = await repo().forkThread(scope, { threadId: src.thread.id, atSeq: 5 });
        expectUuidV7(fork.id, 'a generated fork id');
        expect(fork.id).not.toBe(src.thread.id);
        expect(fork).toMatchObject({
          orgId: scope.orgId,
          userId: scope.userId,
          name: 'source',
          metadata: { topic: 'fork' },
          lastSeq: 5,
          messageCount: 4,
          parent: { threadId: src.thread.id, seq: 5 },
        });
        expect(await repo().getThread(scope, fork.id)).toEqual(fork);
        const copies = await readExistingMessages(repo(), scope, fork.id);
        expect(seqsOf(copies)).toEqual([1, 2, 3, 5]);
        expect(
          copies,
          'copies keep id, seq, role, content, name, toolCallId, metadata, createdAt and editedAt',
        ).toEqual(expectedCopies(src.messages, 5, fork.id));
        expect(await repo().getMessage(scope, { threadId: fork.id, messageId: copies[1]?.id ?? '' })).toEqual(
          copies[1],
        );
        expect(new Set((await listAllThreads(repo(), scope)).map((t) => t.id))).toEqual(
          new Set([src.thread.id, fork.id]),
        );
        expect(await repo().getThread(scope, src.thread.id), 'the source is unchanged').toEqual(src.thread);
        expect(await readExistingMessages(repo(), scope, src.thread.id)).toEqual(src.messages);
      },
    );

    context.it('defaults')('defaults atSeq to the source lastSeq; takes a caller id, name and metadata', async () => {
      const scope = context.newScope();
      const src = await source(scope);
      await repo().deleteMessage(scope, { threadId: src.thread.id, messageId: src.messages.at(-1)?.id ?? '' });
      const id = freshId('fork');
      const fork = await repo().forkThread(scope, {
        threadId: src.thread.id,
        id,
        name: 'copy',
        metadata: { mine: true },
      });
      expect(fork).toMatchObject({
        id,
        name: 'copy',
        metadata: { mine: true },
        lastSeq: 6,
        messageCount: 4,
        parent: { threadId: src.thread.id, seq: 6 },
      });
      expect(await readExistingMessages(repo(), scope, id)).toEqual(expectedCopies(src.messages.slice(0, -1), 6, id));
      const [next] = await repo().appendMessages(scope, { threadId: id, messages: [textMessage('user', 'seven')] });
      expect(next?.seq, 'the fork continues after atSeq, even when that message was deleted').toBe(7);
    });

    context.it('at-zero')('at 0 makes an empty thread whose first append gets seq 1', async () => {
      const scope = context.newScope();
      const src = await source(scope);
      const fork = await repo().forkThread(scope, { threadId: src.thread.id, atSeq: 0 });
      expect(fork).toMatchObject({ lastSeq: 0, messageCount: 0, parent: { threadId: src.thread.id, seq: 0 } });
      expect(await repo().getMessages(scope, { threadId: fork.id })).toEqual({
        messages: [],
        olderCursor: null,
        newerCursor: null,
      });
      const [first] = await repo().appendMessages(scope, {
        threadId: fork.id,
        messages: [textMessage('user', 'fresh start')],
      });
      expect(first?.seq).toBe(1);
    });

    context.it('independent')('later writes to either thread never affect the other', async () => {
      const scope = context.newScope();
      const src = await source(scope);
      const fork = await repo().forkThread(scope, { threadId: src.thread.id, atSeq: 3 });
      const copies = await readExistingMessages(repo(), scope, fork.id);
      const forkAppend = await repo().appendMessages(scope, {
        threadId: fork.id,
        messages: textMessages(2, { prefix: 'fork' }),
      });
      expect(seqsOf(forkAppend)).toEqual([4, 5]);
      const srcAppend = await repo().appendMessages(scope, {
        threadId: src.thread.id,
        messages: textMessages(1, { prefix: 'src' }),
      });
      expect(seqsOf(srcAppend)).toEqual([7]);
      const shared = copies[0]?.id ?? '';
      const editedCopy = await repo().editMessage(scope, {
        threadId: fork.id,
        messageId: shared,
        content: 'fork edit',
      });
      expect(await repo().deleteMessage(scope, { threadId: src.thread.id, messageId: copies[2]?.id ?? '' })).toBe(true);

      expect(await readExistingMessages(repo(), scope, src.thread.id)).toEqual([
        ...src.messages.filter((m) => m.id !== copies[2]?.id),
        ...srcAppend,
      ]);
      expect(await readExistingMessages(repo(), scope, fork.id)).toEqual([
        editedCopy,
        copies[1],
        copies[2],
        ...forkAppend,
      ]);
      expect(await repo().getThread(scope, src.thread.id)).toMatchObject({ lastSeq: 7, messageCount: 5 });
      expect(await repo().getThread(scope, fork.id)).toMatchObject({ lastSeq: 5, messageCount: 5 });

      expect(await repo().clearThread(scope, fork.id)).toBe(5);
      expect(await repo().getThread(scope, src.thread.id)).toMatchObject({ lastSeq: 7, messageCount: 5 });
      await repo().appendMessages(scope, { threadId: fork.id, messages: textMessages(1) });
      expect(await repo().deleteThread(scope, src.thread.id)).toBe(true);
      expect(
        await repo().getThread(scope, fork.id),
        'deleting the source keeps the fork and its parent link',
      ).toMatchObject({
        lastSeq: 6,
        messageCount: 1,
        parent: { threadId: src.thread.id, seq: 3 },
      });
      expect(seqsOf(await readExistingMessages(repo(), scope, fork.id))).toEqual([6]);
    });

    context.it('at-seq-beyond')(
      'atSeq beyond the source lastSeq is a ValidationError naming atSeq, and nothing is created',
      async () => {
        const scope = context.newScope();
        const src = await source(scope);
        const id = freshId('fork');
        const watched = [{ scope, threadIds: [src.thread.id, id] }];
        const before = await captureState(context, watched);
        await expectValidation(() => repo().forkThread(scope, { threadId: src.thread.id, atSeq: 7 }), 'atSeq');
        await expectValidation(() => repo().forkThread(scope, { threadId: src.thread.id, atSeq: 7, id }), 'atSeq');
        await expectValidation(() => repo().forkThread(scope, { threadId: src.thread.id, atSeq: 1_000_000 }), 'atSeq');
        await expectValidation(() => repo().forkThread(scope, { threadId: src.thread.id, atSeq: -1 }), 'atSeq');
        await expectStateUnchanged(context, watched, before);
        expect((await repo().createThread(scope, { id })).id, 'the fork id was not taken').toBe(id);
      },
    );

    context.it('id-taken')('a caller id that is taken is a ConflictError and nothing is created', async () => {
      const scope = context.newScope();
      const src = await source(scope);
      const taken = await repo().createThread({ orgId: freshId('org'), userId: freshId('user') });
      const watched = [{ scope, threadIds: [src.thread.id] }];
      const before = await captureState(context, watched);
      await expectConflict(() => repo().forkThread(scope, { threadId: src.thread.id, id: src.thread.id }));
      await expectConflict(() => repo().forkThread(scope, { threadId: src.thread.id, id: taken.id }));
      await expectStateUnchanged(context, watched, before);
    });

    context.it('missing-source')('forking a thread that does not exist is a NotFoundError', async () => {
      await expectNotFound(() => repo().forkThread(context.newScope(), { threadId: uuidv7() }));
      await expectNotFound(() => repo().forkThread(context.newScope(), { threadId: uuidv7(), atSeq: 5 }));
    });
  },
});

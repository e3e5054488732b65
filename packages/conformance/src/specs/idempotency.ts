import type { ChatThread, ConversationRepository, Scope } from '@fluxibly/core';
import { describe, expect } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import type { StateCapture } from '../support/index.js';
import {
  captureState,
  expectConflict,
  expectValidation,
  readExistingMessages,
  textMessage,
  waitForStoreTimeAfter,
} from '../support/index.js';

/**
 * Guarantees 3 and 4: idempotent append by caller-supplied message id (retries are safe and write nothing) and
 * optimistic concurrency with `expectedLastSeq` (a conflict writes nothing).
 */
export const IDEMPOTENCY_GROUP = defineGroup({
  id: 'idempotency',
  title: 'idempotency',
  tests: [
    'retry-returns-stored',
    'retry-stale-expected-last-seq',
    'partial-batch',
    'partial-batch-expected-last-seq',
    'id-per-thread',
    'deleted-id-reused',
    'duplicate-in-batch',
    'expected-last-seq-matches',
    'expected-last-seq-mismatch',
    'expected-last-seq-after-clear',
  ],
  register(context) {
    const repo = (): ConversationRepository => context.repo();

    /** What the thread, its messages and the raw store look like now. */
    const state = (scope: Scope, threadId: string): Promise<StateCapture> =>
      captureState(context, [{ scope, threadIds: [threadId] }]);

    /**
     * The state before a call that must write nothing. Then waits until the store's clock has moved past the
     * thread's `updatedAt`, so that a call which wrongly touches the thread is seen (a new `updatedAt`).
     */
    async function stateBeforeNoOp(scope: Scope, threadId: string): Promise<StateCapture> {
      const before = await state(scope, threadId);
      const thread = await repo().getThread(scope, threadId);
      if (thread !== null) await waitForStoreTimeAfter(repo(), thread.updatedAt);
      return before;
    }

    async function threadWith(scope: Scope, texts: string[]): Promise<{ thread: ChatThread; ids: string[] }> {
      const thread = await repo().createThread(scope);
      const ids = texts.map(() => freshId('m'));
      await repo().appendMessages(scope, {
        threadId: thread.id,
        messages: texts.map((t, i) => textMessage('user', t, ids[i])),
      });
      return { thread, ids };
    }

    describe('idempotent append', () => {
      context.it('retry-returns-stored')(
        'a retried batch returns the stored messages with their original seqs and writes nothing',
        async () => {
          const scope = context.newScope();
          const thread = await repo().createThread(scope);
          await repo().appendMessages(scope, { threadId: thread.id, messages: [textMessage('system', 'first')] });
          const batch = [textMessage('user', 'a', freshId('m')), textMessage('assistant', 'b', freshId('m'))];
          const first = await repo().appendMessages(scope, { threadId: thread.id, messages: batch });
          expect(first.map((m) => m.seq)).toEqual([2, 3]);
          const before = await stateBeforeNoOp(scope, thread.id);

          const retry = await repo().appendMessages(scope, { threadId: thread.id, messages: batch });
          expect(retry).toEqual(first);
          const other = await (
            await context.extraRepo()
          ).appendMessages(scope, { threadId: thread.id, messages: batch });
          expect(other).toEqual(first);
          expect(await state(scope, thread.id), 'a retry writes nothing (not even updatedAt)').toEqual(before);
        },
      );

      context.it('retry-stale-expected-last-seq')(
        'a retry succeeds even when its expectedLastSeq is now stale',
        async () => {
          const scope = context.newScope();
          const thread = await repo().createThread(scope);
          const batch = [textMessage('user', 'q', freshId('m')), textMessage('assistant', 'r', freshId('m'))];
          const first = await repo().appendMessages(scope, {
            threadId: thread.id,
            messages: batch,
            expectedLastSeq: 0,
          });
          await repo().appendMessages(scope, {
            threadId: thread.id,
            messages: [textMessage('user', 'later')],
            expectedLastSeq: 2,
          });
          const before = await stateBeforeNoOp(scope, thread.id);
          const retry = await repo().appendMessages(scope, {
            threadId: thread.id,
            messages: batch,
            expectedLastSeq: 0,
          });
          expect(retry).toEqual(first);
          expect(await state(scope, thread.id)).toEqual(before);
        },
      );

      context.it('partial-batch')(
        'a partly stored batch appends only the new messages and returns stored + new in input order',
        async () => {
          const scope = context.newScope();
          const { thread, ids } = await threadWith(scope, ['one', 'two']);
          const [one, two] = await readExistingMessages(repo(), scope, thread.id);
          const newIds = [freshId('m'), freshId('m')];
          const result = await repo().appendMessages(scope, {
            threadId: thread.id,
            messages: [
              textMessage('user', 'three', newIds[0]),
              textMessage('user', 'changed two', ids[1]), // already stored: the stored message wins
              textMessage('assistant', 'four', newIds[1]),
              textMessage('user', 'changed one', ids[0]),
            ],
          });
          expect(result.map((m) => m.seq)).toEqual([3, 2, 4, 1]);
          expect(result.map((m) => m.content)).toEqual(['three', 'two', 'four', 'one']);
          expect(result[1]).toEqual(two);
          expect(result[3]).toEqual(one);
          const stored = await readExistingMessages(repo(), scope, thread.id);
          expect(stored.map((m) => m.content)).toEqual(['one', 'two', 'three', 'four']);
          expect(await repo().getThread(scope, thread.id)).toMatchObject({ lastSeq: 4, messageCount: 4 });
        },
      );

      context.it('partial-batch-expected-last-seq')(
        'a partly stored batch still checks expectedLastSeq before appending the new messages',
        async () => {
          const scope = context.newScope();
          const { thread, ids } = await threadWith(scope, ['one']);
          const before = await stateBeforeNoOp(scope, thread.id);
          const error = await expectConflict(() =>
            repo().appendMessages(scope, {
              threadId: thread.id,
              expectedLastSeq: 0,
              messages: [textMessage('user', 'one', ids[0]), textMessage('user', 'two', freshId('m'))],
            }),
          );
          expect(error).toMatchObject({ expectedLastSeq: 0, actualLastSeq: 1 });
          expect(await state(scope, thread.id)).toEqual(before);
          const ok = await repo().appendMessages(scope, {
            threadId: thread.id,
            expectedLastSeq: 1,
            messages: [textMessage('user', 'one', ids[0]), textMessage('user', 'two', freshId('m'))],
          });
          expect(ok.map((m) => m.seq)).toEqual([1, 2]);
        },
      );

      context.it('id-per-thread')('the same message id in two threads (or two tenants) are two messages', async () => {
        const scope = context.newScope();
        const otherScope = context.newScope();
        const id = freshId('shared-msg');
        const a = await repo().createThread(scope);
        const b = await repo().createThread(scope);
        const c = await repo().createThread(otherScope);
        await repo().appendMessages(scope, {
          threadId: a.id,
          messages: [textMessage('user', 'x'), textMessage('user', 'in a', id)],
        });
        const [inB] = await repo().appendMessages(scope, {
          threadId: b.id,
          messages: [textMessage('user', 'in b', id)],
        });
        const [inC] = await repo().appendMessages(otherScope, {
          threadId: c.id,
          messages: [textMessage('user', 'in c', id)],
        });
        expect(inB).toMatchObject({ id, seq: 1, threadId: b.id, content: 'in b' });
        expect(inC).toMatchObject({ id, seq: 1, threadId: c.id, content: 'in c' });
        expect(await repo().getMessage(scope, { threadId: a.id, messageId: id })).toMatchObject({
          seq: 2,
          content: 'in a',
        });
        expect(await repo().getMessage(scope, { threadId: b.id, messageId: id })).toMatchObject({
          seq: 1,
          content: 'in b',
        });
      });

      context.it('deleted-id-reused')('a deleted message id can be appended again and gets a new seq', async () => {
        const scope = context.newScope();
        const { thread, ids } = await threadWith(scope, ['one', 'two']);
        const id = ids[0] as string;
        expect(await repo().deleteMessage(scope, { threadId: thread.id, messageId: id })).toBe(true);
        const [again] = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [textMessage('user', 'again', id)],
        });
        expect(again).toMatchObject({ id, seq: 3, content: 'again' });
      });

      context.it('duplicate-in-batch')(
        'a duplicate id inside one batch is a ValidationError and nothing is written',
        async () => {
          const scope = context.newScope();
          const { thread } = await threadWith(scope, ['one']);
          const before = await stateBeforeNoOp(scope, thread.id);
          const id = freshId('m');
          await expectValidation(
            () =>
              repo().appendMessages(scope, {
                threadId: thread.id,
                messages: [textMessage('user', 'a', id), textMessage('user', 'b'), textMessage('user', 'c', id)],
              }),
            ['messages[0].id', 'messages[2].id'],
          );
          expect(await state(scope, thread.id)).toEqual(before);
        },
      );
    });

    describe('expectedLastSeq', () => {
      context.it('expected-last-seq-matches')(
        'appends when it matches (0 on an empty thread, then lastSeq)',
        async () => {
          const scope = context.newScope();
          const thread = await repo().createThread(scope);
          const first = await repo().appendMessages(scope, {
            threadId: thread.id,
            expectedLastSeq: 0,
            messages: [textMessage('user', 'a')],
          });
          expect(first.map((m) => m.seq)).toEqual([1]);
          const second = await repo().appendMessages(scope, {
            threadId: thread.id,
            expectedLastSeq: 1,
            messages: [textMessage('user', 'b'), textMessage('assistant', 'c')],
          });
          expect(second.map((m) => m.seq)).toEqual([2, 3]);
        },
      );

      context.it('expected-last-seq-mismatch').each([
        ['behind', 1],
        ['ahead', 5],
        ['zero', 0],
      ])(
        'a mismatch (%s) is a ConflictError with expected and actual, and nothing is written',
        async (_name, expected) => {
          const scope = context.newScope();
          const { thread } = await threadWith(scope, ['one', 'two', 'three']);
          const before = await stateBeforeNoOp(scope, thread.id);
          const error = await expectConflict(() =>
            repo().appendMessages(scope, {
              threadId: thread.id,
              expectedLastSeq: expected,
              messages: [textMessage('user', 'x', freshId('m')), textMessage('user', 'y')],
            }),
          );
          expect(error).toMatchObject({ expectedLastSeq: expected, actualLastSeq: 3 });
          expect(await state(scope, thread.id)).toEqual(before);
        },
      );

      context.it('expected-last-seq-after-clear')(
        'compares with lastSeq, which clear and deleteMessage keep',
        async () => {
          const scope = context.newScope();
          const { thread, ids } = await threadWith(scope, ['one', 'two', 'three']);
          await repo().deleteMessage(scope, { threadId: thread.id, messageId: ids[2] as string });
          await expectConflict(() =>
            repo().appendMessages(scope, {
              threadId: thread.id,
              expectedLastSeq: 2,
              messages: [textMessage('user', 'x')],
            }),
          );
          await repo().appendMessages(scope, {
            threadId: thread.id,
            expectedLastSeq: 3,
            messages: [textMessage('user', 'four')],
          });
          await repo().clearThread(scope, thread.id);
          await expectConflict(() =>
            repo().appendMessages(scope, {
              threadId: thread.id,
              expectedLastSeq: 0,
              messages: [textMessage('user', 'x')],
            }),
          );
          const [five] = await repo().appendMessages(scope, {
            threadId: thread.id,
            expectedLastSeq: 4,
            messages: [textMessage('user', 'five')],
          });
          expect(five?.seq).toBe(5);
        },
      );
    });
  },
});

import type { ChatMessage, ChatThread, ConversationRepository, NewMessage, Scope } from '@fluxibly/core';
import { assert, expect } from 'vitest';
import { freshId } from '../context.js';
import { defineGroup } from '../group.js';
import {
  captureState,
  expectConflict,
  expectNotFound,
  expectSame,
  expectStateUnchanged,
  expectValidation,
  range,
  readExistingMessages,
  seedThread,
  seqsOf,
  textMessage,
  waitForStoreTimeAfter,
  readThread,
} from '../support/index.js';

/** A summary message of `fromSeq…toSeq`. */
function summary(text: string, fromSeq: number, toSeq: number, id?: string): NewMessage {
  return { ...textMessage('system', text, id), summaryOf: { fromSeq, toSeq } };
}

/**
 * Regenerate and edit-and-resend: `appendMessages({ replaceAfterSeq })` removes the tail and appends in one atomic
 * step, `truncateThread` removes the tail. Seqs are never reused (old cursors stay meaningful), `messageCount` is
 * right, a retry of a replace writes nothing, `expectedLastSeq` and the cut point are checked before anything is
 * written, `summarySeq` follows the summaries, and a replace racing plain appends leaves a consistent thread.
 */
export const TAIL_REPLACE_GROUP = defineGroup({
  id: 'tail-replace',
  title: 'tail replace and truncate',
  tests: [
    'truncate-removes-tail',
    'truncate-nothing',
    'truncate-errors',
    'replace-tail',
    'replace-retry',
    'replace-kept-ids',
    'replace-errors',
    'old-cursors',
    'summary-seq',
    'replace-races-appends',
  ],
  register(context) {
    const repo = (): ConversationRepository => context.repo();

    const threadOf = (scope: Scope, threadId: string): Promise<ChatThread> => readThread(repo(), scope, threadId);

    async function storedSeqs(scope: Scope, threadId: string): Promise<number[]> {
      return seqsOf(await readExistingMessages(repo(), scope, threadId));
    }

    async function expectRawSeqs(threadId: string, seqs: number[]): Promise<void> {
      const inspector = context.inspector();
      if (inspector !== undefined) expectSame(await inspector.messageSeqs(threadId), seqs, 'seqs really stored');
    }

    context.it('truncate-removes-tail')(
      'truncateThread removes every message after afterSeq, returns how many, keeps lastSeq and moves updatedAt',
      async () => {
        const scope = context.newScope();
        const { thread, messages } = await seedThread(repo(), scope, 5);
        await waitForStoreTimeAfter(repo(), thread.updatedAt);

        expect(await repo().truncateThread(scope, { threadId: thread.id, afterSeq: 3, expectedLastSeq: 5 })).toBe(2);
        const after = await threadOf(scope, thread.id);
        expect(after).toMatchObject({ lastSeq: 5, messageCount: 3 });
        expect(after.updatedAt.getTime(), 'a truncation that removed something moves updatedAt').toBeGreaterThan(
          thread.updatedAt.getTime(),
        );
        expectSame(
          await readExistingMessages(repo(), scope, thread.id),
          messages.slice(0, 3),
          'the kept messages, unchanged',
        );
        await expectRawSeqs(thread.id, [1, 2, 3]);
        expect(await repo().getMessage(scope, { threadId: thread.id, messageId: messages[3]?.id ?? '' })).toBeNull();

        const [next] = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [textMessage('user', 'n')],
        });
        expect(next?.seq, 'seqs are never reused').toBe(6);
        expect(await repo().truncateThread(scope, { threadId: thread.id, afterSeq: 0 })).toBe(4);
        expect(await threadOf(scope, thread.id)).toMatchObject({ lastSeq: 6, messageCount: 0 });
        expect(await storedSeqs(scope, thread.id)).toEqual([]);
        const [again] = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [{ id: messages[0]?.id ?? '', role: 'user', content: 'same id again' }],
        });
        expect(again, 'a removed id may be appended again, with a new seq').toMatchObject({ seq: 7 });
      },
    );

    context.it('truncate-nothing')(
      'truncating at lastSeq (or inside a gap with nothing after it) removes nothing and does not move updatedAt',
      async () => {
        const scope = context.newScope();
        const { thread, messages } = await seedThread(repo(), scope, 4);
        await repo().deleteMessage(scope, { threadId: thread.id, messageId: messages[3]?.id ?? '' });
        const before = await threadOf(scope, thread.id);
        await waitForStoreTimeAfter(repo(), before.updatedAt);
        const watched = [{ scope, threadIds: [thread.id] }];
        const state = await captureState(context, watched);
        expect(await repo().truncateThread(scope, { threadId: thread.id, afterSeq: 4 })).toBe(0);
        expect(await repo().truncateThread(scope, { threadId: thread.id, afterSeq: 3, expectedLastSeq: 4 })).toBe(0);
        await expectStateUnchanged(context, watched, state, 'after truncations that removed nothing');
        expect(await threadOf(scope, thread.id)).toEqual(before);
      },
    );

    context.it('truncate-errors')(
      'truncateThread: missing thread, stale expectedLastSeq (before the cut point) and afterSeq beyond lastSeq write nothing',
      async () => {
        const scope = context.newScope();
        const { thread } = await seedThread(repo(), scope, 3);
        const watched = [{ scope, threadIds: [thread.id] }];
        const state = await captureState(context, watched);
        await expectNotFound(() => repo().truncateThread(scope, { threadId: freshId('missing'), afterSeq: 0 }));
        const conflict = await expectConflict(() =>
          repo().truncateThread(scope, { threadId: thread.id, afterSeq: 1, expectedLastSeq: 2 }),
        );
        expect(conflict).toMatchObject({ expectedLastSeq: 2, actualLastSeq: 3 });
        await expectValidation(() => repo().truncateThread(scope, { threadId: thread.id, afterSeq: 4 }), 'afterSeq');
        await expectConflict(() =>
          repo().truncateThread(scope, { threadId: thread.id, afterSeq: 9, expectedLastSeq: 1 }),
        );
        await expectStateUnchanged(context, watched, state, 'after the failed truncations');
      },
    );

    context.it('replace-tail')(
      'replaceAfterSeq removes the tail and appends after lastSeq in one call; messageCount and lastSeq are right',
      async () => {
        const scope = context.newScope();
        const { thread, messages } = await seedThread(repo(), scope, 4);
        await waitForStoreTimeAfter(repo(), thread.updatedAt);
        const batch = [textMessage('user', 'edited question', freshId('m')), textMessage('assistant', 'new answer')];
        const stored = await repo().appendMessages(scope, { threadId: thread.id, messages: batch, replaceAfterSeq: 2 });
        expect(seqsOf(stored), 'new seqs come after the old lastSeq').toEqual([5, 6]);
        expect(stored.map((m) => m.content)).toEqual(['edited question', 'new answer']);
        expect(stored[0]?.id).toBe(batch[0]?.id);
        expect(stored[0]?.createdAt).toEqual(stored[1]?.createdAt);
        const after = await threadOf(scope, thread.id);
        expect(after).toMatchObject({ lastSeq: 6, messageCount: 4 });
        expect(after.updatedAt.getTime()).toBeGreaterThan(thread.updatedAt.getTime());
        expectSame(
          await readExistingMessages(repo(), scope, thread.id),
          [...messages.slice(0, 2), ...stored],
          'the thread after the replace',
        );
        await expectRawSeqs(thread.id, [1, 2, 5, 6]);

        const atEnd = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [textMessage('user', 'at the end')],
          replaceAfterSeq: 6,
          expectedLastSeq: 6,
        });
        expect(seqsOf(atEnd), 'replaceAfterSeq = lastSeq is a plain append').toEqual([7]);
        const all = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [textMessage('user', 'start over')],
          replaceAfterSeq: 0,
        });
        expect(seqsOf(all)).toEqual([8]);
        expect(await storedSeqs(scope, thread.id)).toEqual([8]);
        expect(await threadOf(scope, thread.id)).toMatchObject({ lastSeq: 8, messageCount: 1 });
      },
    );

    context.it('replace-retry')(
      'a retry of a replace (the tail is exactly the batch) returns the stored messages and writes nothing, whatever expectedLastSeq says',
      async () => {
        const scope = context.newScope();
        const { thread } = await seedThread(repo(), scope, 3);
        const batch = [
          textMessage('assistant', 'take 2 a', freshId('m')),
          textMessage('assistant', 'take 2 b', freshId('m')),
        ];
        const first = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: batch,
          replaceAfterSeq: 1,
          expectedLastSeq: 3,
        });
        expect(seqsOf(first)).toEqual([4, 5]);
        const watched = [{ scope, threadIds: [thread.id] }];
        const state = await captureState(context, watched);
        for (const expectedLastSeq of [undefined, 3, 5, 1]) {
          const retried = await repo().appendMessages(scope, {
            threadId: thread.id,
            messages: batch,
            replaceAfterSeq: 1,
            ...(expectedLastSeq === undefined ? {} : { expectedLastSeq }),
          });
          expectSame(
            retried,
            first,
            `the retry (expectedLastSeq ${String(expectedLastSeq)}) returns the stored messages`,
          );
        }
        await expectStateUnchanged(context, watched, state, 'after the retries');

        // The same ids in another order are not a retry: the tail is removed and the batch appended again.
        const reordered = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [batch[1] as NewMessage, batch[0] as NewMessage],
          replaceAfterSeq: 1,
        });
        expect(reordered.map((m) => [m.id, m.seq])).toEqual([
          [batch[1]?.id, 6],
          [batch[0]?.id, 7],
        ]);
        // Once something else landed after the batch, the same call replaces again (it is no longer a retry).
        await repo().appendMessages(scope, { threadId: thread.id, messages: [textMessage('user', 'later')] });
        await expectConflict(() =>
          repo().appendMessages(scope, {
            threadId: thread.id,
            messages: [batch[1] as NewMessage, batch[0] as NewMessage],
            replaceAfterSeq: 1,
            expectedLastSeq: 7,
          }),
        );
        expect(await storedSeqs(scope, thread.id)).toEqual([1, 6, 7, 8]);
        expect(await threadOf(scope, thread.id)).toMatchObject({ lastSeq: 8, messageCount: 4 });
      },
    );

    context.it('replace-kept-ids')(
      'ids still stored at or before the cut return the stored message; a batch of only those writes nothing unless the cut removes something',
      async () => {
        const scope = context.newScope();
        const { thread, messages } = await seedThread(repo(), scope, 4);
        const kept = messages[0] as ChatMessage;
        const retry: NewMessage = { id: kept.id, role: kept.role, content: 'ignored: already stored' };
        const mixed = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [retry, textMessage('assistant', 'fresh')],
          replaceAfterSeq: 2,
        });
        expectSame(mixed[0], kept, 'the kept message as stored');
        expect(mixed[1]).toMatchObject({ seq: 5, content: 'fresh' });
        expect(await storedSeqs(scope, thread.id)).toEqual([1, 2, 5]);

        const watched = [{ scope, threadIds: [thread.id] }];
        const state = await captureState(context, watched);
        const none = await repo().appendMessages(scope, { threadId: thread.id, messages: [retry], replaceAfterSeq: 5 });
        expectSame(none, [kept], 'a batch of stored ids with nothing to cut');
        await expectStateUnchanged(context, watched, state, 'after a replace with nothing to remove or add');

        const cutOnly = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [retry],
          replaceAfterSeq: 1,
        });
        expectSame(cutOnly, [kept], 'a batch of stored ids with a tail to cut');
        expect(await storedSeqs(scope, thread.id)).toEqual([1]);
        expect(await threadOf(scope, thread.id)).toMatchObject({ lastSeq: 5, messageCount: 1 });
      },
    );

    context.it('replace-errors')(
      'replaceAfterSeq: missing thread, stale expectedLastSeq (checked before the cut point) and a cut beyond lastSeq write nothing',
      async () => {
        const scope = context.newScope();
        const { thread } = await seedThread(repo(), scope, 3);
        const watched = [{ scope, threadIds: [thread.id] }];
        const state = await captureState(context, watched);
        const messages = [textMessage('user', 'never stored', freshId('m'))];
        await expectNotFound(() =>
          repo().appendMessages(scope, { threadId: freshId('missing'), messages, replaceAfterSeq: 0 }),
        );
        const conflict = await expectConflict(() =>
          repo().appendMessages(scope, { threadId: thread.id, messages, replaceAfterSeq: 1, expectedLastSeq: 2 }),
        );
        expect(conflict).toMatchObject({ expectedLastSeq: 2, actualLastSeq: 3 });
        await expectValidation(
          () => repo().appendMessages(scope, { threadId: thread.id, messages, replaceAfterSeq: 4 }),
          'replaceAfterSeq',
        );
        await expectValidation(
          () => repo().appendMessages(scope, { threadId: thread.id, messages, replaceAfterSeq: 4, expectedLastSeq: 3 }),
          'replaceAfterSeq',
        );
        await expectConflict(() =>
          repo().appendMessages(scope, { threadId: thread.id, messages, replaceAfterSeq: 9, expectedLastSeq: 0 }),
        );
        await expectStateUnchanged(context, watched, state, 'after the failed replaces');
      },
    );

    context.it('old-cursors')(
      'cursors taken before a truncate or a replace stay meaningful: nothing is repeated, new messages come after',
      async () => {
        const scope = context.newScope();
        const { thread, messages } = await seedThread(repo(), scope, 6);
        const newest = await repo().getMessages(scope, { threadId: thread.id, limit: 2 });
        expect(seqsOf(newest?.messages ?? [])).toEqual([5, 6]);
        const older = newest?.olderCursor ?? assert.fail('no olderCursor');
        const newer = newest?.newerCursor ?? assert.fail('no newerCursor');

        await repo().truncateThread(scope, { threadId: thread.id, afterSeq: 3 });
        expect(
          seqsOf((await repo().getMessages(scope, { threadId: thread.id, after: newer }))?.messages ?? []),
        ).toEqual([]);
        const appended = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [textMessage('user', 'a'), textMessage('assistant', 'b')],
        });
        expect(seqsOf(appended)).toEqual([7, 8]);
        const after = await repo().getMessages(scope, { threadId: thread.id, after: newer });
        expectSame(after?.messages, appended, 'after the old newerCursor: only the new messages');
        const before = await repo().getMessages(scope, { threadId: thread.id, before: older });
        expectSame(before?.messages, messages.slice(0, 3), 'before the old olderCursor: the kept messages');

        const page = await repo().getMessages(scope, { threadId: thread.id, limit: 1 });
        const cursorAt8 = page?.olderCursor ?? assert.fail('no olderCursor');
        const atSeven = await repo().getMessages(scope, { threadId: thread.id, before: cursorAt8, limit: 1 });
        const cursorAfter7 = atSeven?.newerCursor ?? assert.fail('no newerCursor');
        const replaced = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [textMessage('assistant', 'b again')],
          replaceAfterSeq: 7,
        });
        expect(seqsOf(replaced)).toEqual([9]);
        expectSame(
          (await repo().getMessages(scope, { threadId: thread.id, after: cursorAfter7 }))?.messages,
          replaced,
          'after a cursor at the cut: the replacement only',
        );
        expect(
          seqsOf((await repo().getMessages(scope, { threadId: thread.id, before: cursorAt8 }))?.messages ?? []),
        ).toEqual([1, 2, 3, 7]);
      },
    );

    context.it('summary-seq')(
      'summarySeq names the newest appended summary; truncate, replace and clear unset it when they remove it',
      async () => {
        const scope = context.newScope();
        const { thread } = await seedThread(repo(), scope, 4);
        expect(thread, 'no summary, no summarySeq').not.toHaveProperty('summarySeq');
        const [s5] = await repo().appendMessages(scope, { threadId: thread.id, messages: [summary('S1', 1, 3)] });
        expect(s5).toMatchObject({ seq: 5, summaryOf: { fromSeq: 1, toSeq: 3 } });
        expect((await threadOf(scope, thread.id)).summarySeq).toBe(5);
        await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [textMessage('user', 'u6'), textMessage('assistant', 'a7')],
        });
        expect((await threadOf(scope, thread.id)).summarySeq, 'plain appends keep it').toBe(5);

        await repo().truncateThread(scope, { threadId: thread.id, afterSeq: 6 });
        expect((await threadOf(scope, thread.id)).summarySeq, 'a cut after it keeps it').toBe(5);
        await repo().truncateThread(scope, { threadId: thread.id, afterSeq: 4 });
        expect(await threadOf(scope, thread.id), 'a cut that removes it unsets it').not.toHaveProperty('summarySeq');

        const two = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [summary('S2', 1, 2), textMessage('user', 'x'), summary('S3', 1, 4), textMessage('user', 'y')],
          replaceAfterSeq: 3,
        });
        expect(seqsOf(two)).toEqual([8, 9, 10, 11]);
        expect((await threadOf(scope, thread.id)).summarySeq, 'the last summary of the batch').toBe(10);
        await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [textMessage('assistant', 'z')],
          replaceAfterSeq: 9,
        });
        expect(
          await threadOf(scope, thread.id),
          'a replace that removes it and appends no summary unsets it',
        ).not.toHaveProperty('summarySeq');
        const [s13] = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [summary('S4', 1, 12)],
          replaceAfterSeq: 12,
        });
        expect(s13?.seq).toBe(13);
        expect((await threadOf(scope, thread.id)).summarySeq).toBe(13);
        await repo().deleteMessage(scope, { threadId: thread.id, messageId: s13?.id ?? '' });
        expect((await threadOf(scope, thread.id)).summarySeq, 'deleteMessage leaves it alone').toBe(13);
        await repo().appendMessages(scope, { threadId: thread.id, messages: [summary('S5', 1, 2)] });
        expect((await threadOf(scope, thread.id)).summarySeq).toBe(14);
        await repo().clearThread(scope, thread.id);
        expect(await threadOf(scope, thread.id), 'clearThread unsets it').not.toHaveProperty('summarySeq');
        expect(await threadOf(scope, thread.id)).toMatchObject({ lastSeq: 14, messageCount: 0 });
      },
    );

    context.it('replace-races-appends')(
      'a replace racing plain appends: seqs unique, messageCount the real count, every append after the replace kept',
      async () => {
        const pool: ConversationRepository[] = [];
        for (let i = 0; i < 4; i++) pool.push(await context.extraRepo());
        const rounds = Math.max(6, Math.round(6 * context.intensity));
        const appenders = 8;
        for (let round = 0; round < rounds; round++) {
          const scope = context.newScope();
          const { thread, messages } = await seedThread(repo(), scope, 6);
          const cut = 2 + (round % 4);
          const replacement = [textMessage('assistant', `regenerated ${round}`, freshId('r'))];
          const plain = range(1, appenders).map((i) => [textMessage('user', `append ${round}.${i}`, freshId('p'))]);
          // Every call is made at once; the replace is made in a different position each round.
          const calls: Array<() => Promise<ChatMessage[]>> = plain.map(
            (batch, i) => () =>
              (pool[i % pool.length] as ConversationRepository).appendMessages(scope, {
                threadId: thread.id,
                messages: batch,
              }),
          );
          const replace = (): Promise<ChatMessage[]> =>
            (pool[round % pool.length] as ConversationRepository).appendMessages(scope, {
              threadId: thread.id,
              messages: replacement,
              replaceAfterSeq: cut,
            });
          const at = round % (appenders + 1);
          const results = await Promise.all([...calls.slice(0, at), replace, ...calls.slice(at)].map((call) => call()));
          const replaced = results.find((r) => r[0]?.id === replacement[0]?.id)?.[0];
          if (replaced === undefined) return assert.fail('the replace returned nothing');
          const returned = results.flat();
          const returnedSeqs = seqsOf(returned);
          expect(new Set(returnedSeqs).size, 'every call got its own seqs').toBe(returnedSeqs.length);
          expect(Math.min(...returnedSeqs)).toBeGreaterThan(6);

          const stored = await readExistingMessages(repo(), scope, thread.id);
          const expectedIds = [
            ...messages.slice(0, cut).map((m) => m.id),
            ...returned
              .filter((m) => m.seq >= replaced.seq)
              .sort((a, b) => a.seq - b.seq)
              .map((m) => m.id),
          ];
          expect(
            stored.map((m) => m.id),
            'kept: the messages up to the cut, the replacement and every append that landed after it',
          ).toEqual(expectedIds);
          const storedSeqs = seqsOf(stored);
          expect([...storedSeqs].sort((a, b) => a - b)).toEqual(storedSeqs);
          expect(new Set(storedSeqs).size).toBe(storedSeqs.length);
          const after = await threadOf(scope, thread.id);
          expect(after).toMatchObject({ lastSeq: Math.max(...returnedSeqs), messageCount: stored.length });
          await expectRawSeqs(thread.id, storedSeqs);
        }
      },
      120_000 * Math.max(1, context.intensity),
    );
  },
});

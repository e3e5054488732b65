import type {
  ChatMessage,
  ChatThread,
  ConversationRepository,
  ImportedMessage,
  ImportThreadInput,
  Scope,
} from '@fluxibly/core';
import { LIMITS } from '@fluxibly/core';
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
  listAllOrgThreads,
  listAllThreads,
  readAllMessages,
  seedThread,
  textMessage,
  waitForStoreTimeAfter,
  readThread,
} from '../support/index.js';

/** A time long before any thread a test run creates: imported threads are made "inactive" relative to it. */
const ANCIENT = Date.UTC(2001, 0, 1);

/** An exported thread of `minutes` after {@link ANCIENT} (optionally with a later `updatedAt`). */
function exportedThread(minutes: number, fields: Partial<ImportThreadInput> = {}): ImportThreadInput {
  const at = new Date(ANCIENT + minutes * 60_000);
  return {
    id: freshId('imported'),
    name: `imported ${minutes}`,
    metadata: { source: 'export', n: minutes },
    createdAt: at,
    updatedAt: at,
    lastSeq: 0,
    ...fields,
  };
}

/** Exported messages with seqs `seqs`, every optional field used somewhere. */
function exportedMessages(seqs: readonly number[], base = ANCIENT): ImportedMessage[] {
  return seqs.map((seq, i) => ({
    id: freshId(`m${seq}`),
    seq,
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: i % 3 === 2 ? [{ type: 'text', text: `part ${seq}` }] : `message ${seq} lifecycleword`,
    metadata: i % 2 === 0 ? {} : { k: seq },
    status: i % 4 === 3 ? 'incomplete' : 'completed',
    createdAt: new Date(base + seq * 1000),
    ...(i % 3 === 1 ? { tokenCount: seq * 10, editedAt: new Date(base + seq * 1000 + 500) } : {}),
    ...(i % 5 === 4 ? { name: 'tool-x', toolCallId: `call-${seq}` } : {}),
  }));
}

/** What `getMessages` returns for an imported message. */
function asStored(message: ImportedMessage, threadId: string): ChatMessage {
  return { ...message, threadId };
}

/**
 * Data lifecycle and portability: `eraseUser` / `eraseOrg` (bounded batches, nothing of the scope left — checked in
 * the raw store through the inspector's `remains` — appends racing the erase), `transferThread` (atomic, listings
 * right), `pruneThreads` (oldest first, by an index, `limit` / `more`, active threads kept), `importThread` /
 * `importMessages` (exactly as exported, idempotent, all-or-nothing), and the `expectedMessageCount` guard.
 */
export const DATA_LIFECYCLE_GROUP = defineGroup({
  id: 'data-lifecycle',
  title: 'erase, transfer, prune, import',
  tests: [
    'erase-user',
    'erase-org-batches',
    'erase-races-appends',
    'transfer',
    'transfer-same-user',
    'prune-org',
    'prune-all-orgs',
    'prune-keeps-active',
    'import-exact',
    'import-idempotent',
    'import-errors',
    'expected-message-count',
  ],
  register(context) {
    const repo = (): ConversationRepository => context.repo();

    const threadOf = (scope: Scope, threadId: string): Promise<ChatThread> => readThread(repo(), scope, threadId);

    async function expectNothingLeft(scope: { orgId: string; userId?: string }, what: string): Promise<void> {
      const inspector = context.inspector();
      if (inspector?.remains !== undefined) {
        expect(await inspector.remains(scope), `${what}: raw records of the scope left in the store`).toBe(0);
      }
    }

    context.it('erase-user')(
      "eraseUser removes every thread and message of the user, and nothing of anyone else's",
      async () => {
        const scope = context.newScope();
        const colleague = { orgId: scope.orgId, userId: freshId('colleague') };
        const stranger = context.newScope();
        const mine = [await seedThread(repo(), scope, 3), await seedThread(repo(), scope, 0)];
        const forked = await repo().forkThread(scope, { threadId: mine[0]?.thread.id ?? '', atSeq: 2 });
        const theirs = await seedThread(repo(), colleague, 2);
        const far = await seedThread(repo(), stranger, 2);
        const strangers = [{ scope: stranger, threadIds: [far.thread.id] }];
        const before = await captureState(context, strangers);
        const colleagueBefore = await readAllMessages(repo(), colleague, theirs.thread.id);

        expect(await repo().eraseUser(scope)).toEqual({ threads: 3, messages: 5 });

        for (const threadId of [...mine.map((m) => m.thread.id), forked.id]) {
          expect(await repo().getThread(scope, threadId), 'an erased thread').toBeNull();
          await expectNotFound(() =>
            repo().appendMessages(scope, { threadId, messages: [textMessage('user', 'after erase')] }),
          );
        }
        expect(await listAllThreads(repo(), scope)).toEqual([]);
        expect((await listAllOrgThreads(repo(), scope.orgId)).map((t) => t.id)).toEqual([theirs.thread.id]);
        expectSame(await readAllMessages(repo(), colleague, theirs.thread.id), colleagueBefore, "a colleague's thread");
        await expectStateUnchanged(context, strangers, before, 'another organisation');
        await expectNothingLeft(scope, 'after eraseUser');
        if (context.options.capabilities.fullTextSearch) {
          expect(await repo().searchMessages(scope, { query: 'message' })).toEqual([]);
        }
        expect(await repo().eraseUser(scope), 'erasing again finds nothing').toEqual({ threads: 0, messages: 0 });
      },
    );

    context.it('erase-org-batches')(
      `eraseOrg removes more threads than one batch (${LIMITS.eraseBatch}) across several users`,
      async () => {
        const orgId = freshId('org');
        const users = [freshId('u1'), freshId('u2'), freshId('u3')];
        const count = LIMITS.eraseBatch + 17;
        let messages = 0;
        for (let i = 0; i < count; i++) {
          const scope = { orgId, userId: users[i % users.length] as string };
          const thread = await repo().createThread(scope);
          if (i % 10 === 0) {
            await repo().appendMessages(scope, { threadId: thread.id, messages: [textMessage('user', `m${i}`)] });
            messages += 1;
          }
        }
        const other = context.newScope();
        const kept = await seedThread(repo(), other, 1);

        expect(await repo().eraseOrg({ orgId })).toEqual({ threads: count, messages });
        expect(await listAllOrgThreads(repo(), orgId)).toEqual([]);
        for (const userId of users) expect(await listAllThreads(repo(), { orgId, userId })).toEqual([]);
        await expectNothingLeft({ orgId }, 'after eraseOrg');
        expect(await repo().getThread(other, kept.thread.id), 'another organisation keeps its thread').not.toBeNull();
      },
    );

    context.it('erase-races-appends')(
      'appends racing eraseUser never leave a thread or message of the user behind once it returns',
      async () => {
        const scope = context.newScope();
        const threads = await Promise.all(Array.from({ length: 6 }, () => repo().createThread(scope)));
        const second = await context.extraRepo();
        let stop = false;
        const appender = (async () => {
          let outcomes = 0;
          for (let round = 0; !stop || round < 3; round++) {
            await Promise.all(
              threads.map(async (thread) => {
                try {
                  await second.appendMessages(scope, {
                    threadId: thread.id,
                    messages: [textMessage('user', `racing ${round}`)],
                  });
                } catch (error) {
                  expect(error, 'an append to an erased thread').toMatchObject({ code: 'NOT_FOUND' });
                }
                outcomes += 1;
              }),
            );
            if (round > 200) break;
          }
          return outcomes;
        })();
        await repo().appendMessages(scope, { threadId: threads[0]?.id ?? '', messages: [textMessage('user', 'x')] });
        const erased = await repo().eraseUser(scope);
        stop = true;
        expect(await appender).toBeGreaterThan(0);
        expect(erased.threads).toBe(threads.length);
        expect(await listAllThreads(repo(), scope)).toEqual([]);
        for (const thread of threads) expect(await repo().getThread(scope, thread.id)).toBeNull();
        await expectNothingLeft(scope, 'after eraseUser raced by appends');
      },
    );

    context.it('transfer')(
      'transferThread moves a thread and its messages to another user of the organisation, atomically',
      async () => {
        const scope = context.newScope();
        const to = { orgId: scope.orgId, userId: freshId('new-owner') };
        const { thread, messages } = await seedThread(repo(), scope, 4, { prefix: 'transferword' });
        const staying = await seedThread(repo(), scope, 1);
        await waitForStoreTimeAfter(repo(), staying.thread.updatedAt);

        const moved = await repo().transferThread(scope, { threadId: thread.id, toUserId: to.userId });
        expect(moved).toMatchObject({
          id: thread.id,
          orgId: scope.orgId,
          userId: to.userId,
          lastSeq: 4,
          messageCount: 4,
        });
        expect(moved.updatedAt.getTime(), 'a transfer moves updatedAt').toBeGreaterThan(thread.updatedAt.getTime());
        expectSame(await threadOf(to, thread.id), moved, 'the thread as the new owner reads it');
        expect(await repo().getThread(scope, thread.id), 'the old owner no longer sees it').toBeNull();
        expectSame(await readAllMessages(repo(), to, thread.id), messages, 'the messages went with it, unchanged');
        expect(await readAllMessages(repo(), scope, thread.id)).toBeNull();
        expect((await listAllThreads(repo(), scope)).map((t) => t.id)).toEqual([staying.thread.id]);
        expect((await listAllThreads(repo(), to)).map((t) => t.id)).toEqual([thread.id]);
        expect((await listAllOrgThreads(repo(), scope.orgId)).map((t) => t.id)).toEqual([thread.id, staying.thread.id]);
        if (context.options.capabilities.fullTextSearch) {
          expect(await repo().searchMessages(scope, { query: 'transferword' })).toEqual([]);
          const found = await repo().searchMessages(to, { query: 'transferword' });
          expect(found.map((m) => m.id).sort()).toEqual(messages.map((m) => m.id).sort());
        }
        const [appended] = await repo().appendMessages(to, {
          threadId: thread.id,
          messages: [textMessage('user', 'the new owner writes')],
        });
        expect(appended?.seq).toBe(5);
        await expectNotFound(() => repo().transferThread(scope, { threadId: thread.id, toUserId: scope.userId }));
      },
    );

    context.it('transfer-same-user')(
      'transferThread to its own user writes nothing; a missing or foreign thread is NotFoundError',
      async () => {
        const scope = context.newScope();
        const { thread } = await seedThread(repo(), scope, 2);
        const watched = [{ scope, threadIds: [thread.id] }];
        const before = await captureState(context, watched);
        expectSame(await repo().transferThread(scope, { threadId: thread.id, toUserId: scope.userId }), thread);
        await expectStateUnchanged(context, watched, before, 'a transfer to the same user');
        const stranger = { orgId: scope.orgId, userId: freshId('stranger') };
        await expectNotFound(() => repo().transferThread(stranger, { threadId: thread.id, toUserId: stranger.userId }));
        await expectNotFound(() => repo().transferThread(scope, { threadId: freshId('missing'), toUserId: 'x' }));
        await expectStateUnchanged(context, watched, before, 'failed transfers');
      },
    );

    /** Import `count` threads into `scope`, inactive since `ANCIENT + minutes[i]`. */
    async function importInactive(scope: Scope, minutes: readonly number[]): Promise<ImportThreadInput[]> {
      const threads = minutes.map((m) => exportedThread(m, { lastSeq: 2 }));
      for (const thread of threads) {
        expect(await repo().importThread(scope, thread)).toBe(true);
        await repo().importMessages(scope, { threadId: thread.id, messages: exportedMessages([1, 2]) });
      }
      return threads;
    }

    context.it('prune-org')(
      "pruneThreads deletes an organisation's inactive threads oldest first, at most limit, and says when more remain",
      async () => {
        const scope = context.newScope();
        const colleague = { orgId: scope.orgId, userId: freshId('colleague') };
        const old = await importInactive(scope, [30, 10, 20]);
        const colleagues = await importInactive(colleague, [15]);
        const active = await seedThread(repo(), scope, 1);
        const other = context.newScope();
        const otherOld = await importInactive(other, [5]);
        const cutoff = new Date(ANCIENT + 25 * 60_000);

        const first = await repo().pruneThreads({ orgId: scope.orgId }, { inactiveBefore: cutoff, limit: 2 });
        expect(first).toEqual({ deleted: 2, messages: 4, more: true });
        const left = (await listAllOrgThreads(repo(), scope.orgId)).map((t) => t.id);
        expect(left, 'the two oldest (10 and 15 minutes) went first').toEqual([
          active.thread.id,
          old[0]?.id,
          old[2]?.id,
        ]);
        expect(colleagues[0]?.id).toBeDefined();
        const second = await repo().pruneThreads({ orgId: scope.orgId }, { inactiveBefore: cutoff, limit: 10 });
        expect(second).toEqual({ deleted: 1, messages: 2, more: false });
        expect((await listAllOrgThreads(repo(), scope.orgId)).map((t) => t.id)).toEqual([active.thread.id, old[0]?.id]);
        expect(
          await repo().getThread(other, otherOld[0]?.id ?? ''),
          'another organisation is untouched',
        ).not.toBeNull();
        expect(await repo().pruneThreads({ orgId: scope.orgId }, { inactiveBefore: cutoff, limit: 10 })).toEqual({
          deleted: 0,
          messages: 0,
          more: false,
        });
      },
    );

    context.it('prune-all-orgs')(
      'pruneThreads without an organisation prunes every organisation, and keeps threads active since the cut-off',
      async () => {
        const a = context.newScope();
        const b = context.newScope();
        // Before every other test's imported threads (they are at ANCIENT + 5 minutes or later), so a store shared
        // with other tests loses nothing they still use; another run of this test may prune these first: the checks
        // only ask that they are gone.
        const oldA = await importInactive(a, [-40]);
        const oldB = await importInactive(b, [-41]);
        const recent = await importInactive(b, [60 * 24 * 365 * 20]);
        const live = await seedThread(repo(), a, 1);
        const cutoff = new Date(ANCIENT - 30 * 60_000);
        let rounds = 0;
        for (;;) {
          const result = await repo().pruneThreads({}, { inactiveBefore: cutoff, limit: 50 });
          expect(result.deleted).toBeLessThanOrEqual(50);
          if (!result.more) break;
          rounds += 1;
          if (rounds > 1000) assert.fail('pruneThreads keeps saying more');
        }
        expect(await repo().getThread(a, oldA[0]?.id ?? '')).toBeNull();
        expect(await repo().getThread(b, oldB[0]?.id ?? '')).toBeNull();
        expect(await repo().getThread(b, recent[0]?.id ?? ''), 'inactive only since after the cut-off').not.toBeNull();
        expect(await repo().getThread(a, live.thread.id), 'a live thread').not.toBeNull();
      },
    );

    context.it('prune-keeps-active')(
      'a write to an inactive thread makes it active: pruneThreads keeps it',
      async () => {
        const scope = context.newScope();
        const [revived, dormant] = await importInactive(scope, [50, 51]);
        await repo().appendMessages(scope, { threadId: revived?.id ?? '', messages: [textMessage('user', 'back')] });
        const result = await repo().pruneThreads(
          { orgId: scope.orgId },
          { inactiveBefore: new Date(ANCIENT + 60 * 60_000), limit: 10 },
        );
        expect(result).toEqual({ deleted: 1, messages: 2, more: false });
        expect(await repo().getThread(scope, dormant?.id ?? '')).toBeNull();
        expect((await threadOf(scope, revived?.id ?? '')).messageCount).toBe(3);
      },
    );

    context.it('import-exact')(
      'importThread and importMessages store a thread and its messages exactly as exported',
      async () => {
        const scope = context.newScope();
        const parent = { threadId: freshId('parent'), seq: 3 };
        const input = exportedThread(70, {
          lastSeq: 12,
          summarySeq: 9,
          parent,
          updatedAt: new Date(ANCIENT + 71 * 60_000 + 123),
        });
        expect(await repo().importThread(scope, input)).toBe(true);
        const empty = await threadOf(scope, input.id);
        expectSame(empty, { ...input, orgId: scope.orgId, userId: scope.userId, messageCount: 0 }, 'imported thread');

        // Seqs with gaps (deleted messages in the source), in two batches, the second out of order.
        const messages = exportedMessages([1, 2, 4, 5, 7, 9, 12]);
        messages[5] = { ...(messages[5] as ImportedMessage), summaryOf: { fromSeq: 1, toSeq: 7 } };
        expect(await repo().importMessages(scope, { threadId: input.id, messages: messages.slice(0, 3) })).toBe(3);
        expect(await repo().importMessages(scope, { threadId: input.id, messages: messages.slice(3).reverse() })).toBe(
          4,
        );
        const thread = await threadOf(scope, input.id);
        expectSame(thread, { ...empty, messageCount: 7 }, 'the thread after its messages: only the count moved');
        expectSame(
          await readAllMessages(repo(), scope, input.id),
          messages.map((m) => asStored(m, input.id)),
          'the imported messages, every field',
        );
        expect((await listAllThreads(repo(), scope)).map((t) => t.id)).toEqual([input.id]);
        if (context.options.capabilities.fullTextSearch) {
          const found = await repo().searchMessages(scope, { query: 'lifecycleword', threadId: input.id });
          expect(found.length).toBeGreaterThan(0);
        }
        const [next] = await repo().appendMessages(scope, {
          threadId: input.id,
          messages: [textMessage('user', 'continues')],
        });
        expect(next?.seq, 'appends continue after the imported lastSeq').toBe(13);
      },
    );

    context.it('import-idempotent')('importing the same thread and messages again writes nothing', async () => {
      const scope = context.newScope();
      const input = exportedThread(80, { lastSeq: 3 });
      const messages = exportedMessages([1, 2, 3]);
      await repo().importThread(scope, input);
      await repo().importMessages(scope, { threadId: input.id, messages });
      const watched = [{ scope, threadIds: [input.id] }];
      const before = await captureState(context, watched);
      expect(await repo().importThread(scope, input)).toBe(false);
      expect(await repo().importMessages(scope, { threadId: input.id, messages })).toBe(0);
      await expectStateUnchanged(context, watched, before, 'a repeated import');
      const other = context.newScope();
      expect(await repo().importThread(other, input), 'the id is taken in another scope too').toBe(false);
      await expectStateUnchanged(context, watched, before, 'an import of a taken id');
    });

    context.it('import-errors')(
      'importMessages: a seq beyond lastSeq or held by another id fails and writes nothing; a foreign thread is missing',
      async () => {
        const scope = context.newScope();
        const input = exportedThread(90, { lastSeq: 5 });
        await repo().importThread(scope, input);
        await repo().importMessages(scope, { threadId: input.id, messages: exportedMessages([2]) });
        const watched = [{ scope, threadIds: [input.id] }];
        const before = await captureState(context, watched);
        await expectValidation(
          () => repo().importMessages(scope, { threadId: input.id, messages: exportedMessages([1, 6]) }),
          'messages[1].seq',
        );
        await expectConflict(() =>
          repo().importMessages(scope, { threadId: input.id, messages: exportedMessages([1, 2, 3]) }),
        );
        const stranger = context.newScope();
        await expectNotFound(() =>
          repo().importMessages(stranger, { threadId: input.id, messages: exportedMessages([3]) }),
        );
        await expectNotFound(() =>
          repo().importMessages(scope, { threadId: freshId('missing'), messages: exportedMessages([1]) }),
        );
        await expectStateUnchanged(context, watched, before, 'failed imports');
      },
    );

    context.it('expected-message-count')(
      'expectedMessageCount: a removal since the read (lastSeq unchanged) makes the append or truncation conflict',
      async () => {
        const scope = context.newScope();
        const { thread, messages } = await seedThread(repo(), scope, 4);
        const threadId = thread.id;
        expect(await repo().truncateThread(scope, { threadId, afterSeq: 3, expectedMessageCount: 4 })).toBe(1);
        const watched = [{ scope, threadIds: [threadId] }];
        const before = await captureState(context, watched);
        const stale = { expectedLastSeq: 4, expectedMessageCount: 4 };
        await expectConflict(() =>
          repo().appendMessages(scope, { threadId, messages: [textMessage('user', 'late')], ...stale }),
        );
        await expectConflict(() =>
          repo().appendMessages(scope, {
            threadId,
            messages: [textMessage('assistant', 'regenerated')],
            replaceAfterSeq: 2,
            ...stale,
          }),
        );
        await expectConflict(() => repo().truncateThread(scope, { threadId, afterSeq: 1, ...stale }));
        const lastSeqFirst = await expectConflict(() =>
          repo().appendMessages(scope, {
            threadId,
            messages: [textMessage('user', 'x')],
            expectedLastSeq: 9,
            expectedMessageCount: 0,
          }),
        );
        expect(lastSeqFirst.expectedLastSeq, 'expectedLastSeq is checked first').toBe(9);
        await expectStateUnchanged(context, watched, before, 'conflicting writes');
        const retry = messages.slice(0, 2).map((m) => ({ id: m.id, role: m.role, content: m.content }));
        expectSame(
          await repo().appendMessages(scope, { threadId, messages: retry, expectedMessageCount: 99 }),
          messages.slice(0, 2),
          'a retry of stored messages succeeds whatever expectedMessageCount says',
        );
        const [fresh] = await repo().appendMessages(scope, {
          threadId,
          messages: [textMessage('user', 'right count')],
          expectedLastSeq: 4,
          expectedMessageCount: 3,
        });
        expect(fresh?.seq).toBe(5);
      },
    );
  },
});

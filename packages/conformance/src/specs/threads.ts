import type { ChatThread, ConversationRepository, Scope } from '@fluxibly/core';
import { uuidv7 } from '@fluxibly/core';
import { expect } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import {
  byActivity,
  captureState,
  decoysOf,
  expectConflict,
  expectNotFound,
  expectStateUnchanged,
  expectUuidV7,
  idOfLength,
  listAllOrgThreads,
  listAllThreads,
  nastyIds,
  readAllMessages,
  seedThread,
  textMessage,
  waitForStoreTimeAfter,
} from '../support/index.js';

/** A write that counts as activity on a thread (moves its `updatedAt`). */
interface ActivityCase {
  name: string;
  write: (
    repository: ConversationRepository,
    scope: Scope,
    thread: ChatThread,
    firstMessageId: string,
  ) => Promise<unknown>;
}

const ACTIVITY: readonly ActivityCase[] = [
  {
    name: 'appendMessages',
    write: (r, s, t) => r.appendMessages(s, { threadId: t.id, messages: [textMessage('user', 'more')] }),
  },
  { name: 'editMessage', write: (r, s, t, m) => r.editMessage(s, { threadId: t.id, messageId: m, content: 'edited' }) },
  { name: 'deleteMessage', write: (r, s, t, m) => r.deleteMessage(s, { threadId: t.id, messageId: m }) },
  { name: 'clearThread', write: (r, s, t) => r.clearThread(s, t.id) },
  { name: 'updateThread', write: (r, s, t) => r.updateThread(s, { threadId: t.id, name: 'renamed' }) },
];

/** Thread lifecycle: create, get, update, list (per user and per org), delete; caller ids; conflicts. */
export const THREADS_GROUP = defineGroup({
  id: 'threads',
  title: 'threads',
  tests: [
    'create-defaults',
    'create-given',
    'get-missing',
    'id-lengths',
    'awkward-ids',
    'id-taken',
    'update',
    'update-missing',
    'activity',
    'reads-keep-updated-at',
    'list-user',
    'list-org',
    'empty-listing',
    'delete',
    'delete-missing',
  ],
  register(context) {
    const repo = (): ConversationRepository => context.repo();

    context.it('create-defaults')('createThread generates a UUIDv7 id and fills the defaults', async () => {
      const scope = context.newScope();
      const thread = await repo().createThread(scope);
      expectUuidV7(thread.id, 'a generated thread id');
      expect(thread).toMatchObject({
        orgId: scope.orgId,
        userId: scope.userId,
        name: '',
        metadata: {},
        lastSeq: 0,
        messageCount: 0,
      });
      expect(thread.parent, 'a new thread has no parent').toBeUndefined();
      expect(thread.createdAt).toBeInstanceOf(Date);
      expect(thread.updatedAt).toBeInstanceOf(Date);
      expect(thread.updatedAt.getTime()).toBeGreaterThanOrEqual(thread.createdAt.getTime());
      expect(await repo().getThread(scope, thread.id)).toEqual(thread);
      const again = await repo().createThread(scope);
      expect(again.id, 'every generated id is new').not.toBe(thread.id);
    });

    context.it('create-given')(
      'createThread keeps the given id, name and metadata; getThread returns the same thread',
      async () => {
        const scope = context.newScope();
        const id = freshId('thread');
        const metadata = { topic: 'travel', nested: { n: 1, list: [true, null] } };
        const thread = await repo().createThread(scope, { id, name: 'Travel planning', metadata });
        expect(thread).toMatchObject({
          id,
          name: 'Travel planning',
          metadata,
          orgId: scope.orgId,
          userId: scope.userId,
        });
        expect(await repo().getThread(scope, id)).toEqual(thread);
      },
    );

    context.it('get-missing')('getThread returns null for an id that was never used', async () => {
      expect(await repo().getThread(context.newScope(), uuidv7())).toBeNull();
      expect(await repo().getThread(context.newScope(), freshId('never'))).toBeNull();
    });

    context.it('id-lengths')(
      'ids of 255 characters (thread) and 1 character (message, unique per thread) are valid',
      async () => {
        const scope = context.newScope();
        const long = idOfLength(255);
        expect((await repo().createThread(scope, { id: long })).id).toBe(long);
        expect((await repo().getThread(scope, long))?.id).toBe(long);
        const [stored] = await repo().appendMessages(scope, {
          threadId: long,
          messages: [textMessage('user', 'short id', 'x')],
        });
        expect(stored?.id).toBe('x');
        expect((await repo().getMessage(scope, { threadId: long, messageId: 'x' }))?.content).toBe('short id');
      },
    );

    context.it('awkward-ids')(
      'caller ids with quotes, colons, braces, wildcards, whitespace and Unicode address only themselves',
      async () => {
        const scope = context.newScope();
        const ids = nastyIds();
        const decoys = [...new Set(ids.flatMap(decoysOf))].filter((d) => !ids.includes(d));
        for (const id of ids) expect((await repo().createThread(scope, { id, name: JSON.stringify(id) })).id).toBe(id);
        for (const id of decoys) {
          const what = `look-alike ${JSON.stringify(id)} before it exists`;
          expect(await repo().getThread(scope, id), what).toBeNull();
          expect(await repo().getMessages(scope, { threadId: id }), what).toBeNull();
          expect(await repo().deleteThread(scope, id), what).toBe(false);
        }
        for (const id of decoys)
          expect((await repo().createThread(scope, { id, name: JSON.stringify(id) })).id).toBe(id);
        for (const id of ids) {
          const thread = await repo().getThread(scope, id);
          expect(thread?.name, `getThread(${JSON.stringify(id)}) finds exactly that thread`).toBe(JSON.stringify(id));
          await repo().appendMessages(scope, { threadId: id, messages: [textMessage('user', `in ${id}`, id)] });
          await repo().updateThread(scope, { threadId: id, metadata: { touched: true } });
        }
        for (const id of decoys) {
          const thread = await repo().getThread(scope, id);
          expect(thread, `decoy ${JSON.stringify(id)} is untouched`).toMatchObject({
            id,
            name: JSON.stringify(id),
            lastSeq: 0,
            metadata: {},
          });
          expect((await repo().getMessages(scope, { threadId: id }))?.messages).toEqual([]);
        }
        for (const id of ids) {
          const messages = await readAllMessages(repo(), scope, id);
          expect(
            messages?.map((m) => [m.id, m.content]),
            `messages of ${JSON.stringify(id)}`,
          ).toEqual([[id, `in ${id}`]]);
        }
        const listed = await listAllThreads(repo(), scope);
        expect(new Set(listed.map((t) => t.id))).toEqual(new Set([...ids, ...decoys]));
        for (const id of ids) expect(await repo().deleteThread(scope, id), `delete ${JSON.stringify(id)}`).toBe(true);
        for (const id of decoys)
          expect(await repo().getThread(scope, id), `decoy ${JSON.stringify(id)} survives`).not.toBeNull();
        const remaining = await listAllThreads(repo(), scope);
        expect(new Set(remaining.map((t) => t.id))).toEqual(new Set(decoys));
      },
    );

    context.it('id-taken')(
      'a caller id already used by any thread, in any scope, is a ConflictError and changes nothing',
      async () => {
        const scope = context.newScope();
        const id = freshId('thread');
        await repo().createThread(scope, { id, name: 'original', metadata: { keep: true } });
        await repo().appendMessages(scope, { threadId: id, messages: [textMessage('user', 'hello')] });
        const sameOrg = { orgId: scope.orgId, userId: freshId('user') };
        const otherOrg = { orgId: freshId('org'), userId: scope.userId };
        const watched = [
          { scope, threadIds: [id] },
          { scope: sameOrg, threadIds: [id] },
          { scope: otherOrg, threadIds: [id] },
        ];
        const before = await captureState(context, watched);
        for (const who of [scope, sameOrg, otherOrg]) {
          await expectConflict(() => repo().createThread(who, { id, name: 'impostor', metadata: { keep: false } }));
        }
        await expectStateUnchanged(context, watched, before);
      },
    );

    context.it('update')(
      'updateThread replaces the name, the whole metadata, or both, and keeps everything else',
      async () => {
        const scope = context.newScope();
        const { thread } = await seedThread(repo(), scope, 2, { name: 'first' });
        await repo().updateThread(scope, { threadId: thread.id, metadata: { a: 1, b: { c: 2 } } });
        const named = await repo().updateThread(scope, { threadId: thread.id, name: 'second' });
        expect(named).toMatchObject({ name: 'second', metadata: { a: 1, b: { c: 2 } } });
        const replaced = await repo().updateThread(scope, { threadId: thread.id, metadata: { d: [1] } });
        expect(replaced).toMatchObject({ name: 'second', metadata: { d: [1] } });
        const both = await repo().updateThread(scope, { threadId: thread.id, name: '', metadata: {} });
        expect(both).toMatchObject({ name: '', metadata: {} });
        expect(both).toMatchObject({
          id: thread.id,
          orgId: scope.orgId,
          userId: scope.userId,
          createdAt: thread.createdAt,
          lastSeq: 2,
          messageCount: 2,
        });
        expect(await repo().getThread(scope, thread.id)).toEqual(both);
      },
    );

    context.it('update-missing')('updateThread on a missing thread is a NotFoundError', async () => {
      await expectNotFound(() => repo().updateThread(context.newScope(), { threadId: uuidv7(), name: 'x' }));
    });

    context.it('activity').each(ACTIVITY)(
      '$name moves updatedAt forward and the thread to the front of the listings',
      async ({ write }) => {
        const scope = context.newScope();
        const target = await seedThread(repo(), scope, 2);
        const others = [await seedThread(repo(), scope, 1), await seedThread(repo(), scope, 1)];
        const latest = Math.max(...[target, ...others].map((s) => s.thread.updatedAt.getTime()));
        await waitForStoreTimeAfter(repo(), new Date(latest));
        await write(repo(), scope, target.thread, target.messages[0]?.id ?? '');
        const after = await repo().getThread(scope, target.thread.id);
        expect(after?.updatedAt.getTime(), 'updatedAt moved past every earlier write').toBeGreaterThan(latest);
        expect(after?.createdAt).toEqual(target.thread.createdAt);
        expect((await repo().listThreads(scope, { limit: 1 })).threads.map((t) => t.id)).toEqual([target.thread.id]);
        expect((await repo().listOrgThreads({ orgId: scope.orgId }, { limit: 1 })).threads.map((t) => t.id)).toEqual([
          target.thread.id,
        ]);
      },
    );

    context.it('reads-keep-updated-at')('reads do not move updatedAt', async () => {
      const scope = context.newScope();
      const { thread, messages } = await seedThread(repo(), scope, 2);
      await waitForStoreTimeAfter(repo(), thread.updatedAt);
      await repo().getThread(scope, thread.id);
      await repo().getMessages(scope, { threadId: thread.id });
      await repo().getMessage(scope, { threadId: thread.id, messageId: messages[0]?.id ?? '' });
      await repo().listThreads(scope);
      await repo().listOrgThreads({ orgId: scope.orgId });
      expect(await repo().getThread(scope, thread.id)).toEqual(thread);
    });

    context.it('list-user')(
      "listThreads returns only this user's threads, newest activity first, then id descending",
      async () => {
        const scope = context.newScope();
        const neighbour = { orgId: scope.orgId, userId: freshId('user') };
        await repo().createThread(neighbour);
        // Caller ids in random order, created concurrently: timestamps tie, so the id tie-breaker decides.
        const ids = Array.from({ length: 12 }, () => freshId('t'));
        await Promise.all(ids.map((id) => repo().createThread(scope, { id })));
        for (const id of [ids[3], ids[7], ids[0]] as string[]) {
          await repo().appendMessages(scope, { threadId: id, messages: [textMessage('user', 'activity')] });
        }
        const expected = (await Promise.all(ids.map((id) => repo().getThread(scope, id)))) as ChatThread[];
        expected.sort(byActivity);
        const listed = await listAllThreads(repo(), scope);
        expect(listed).toEqual(expected);
        const page = await repo().listThreads(scope);
        expect(page.threads).toEqual(expected);
        expect(page.nextCursor, 'one page holds all 12 threads (default limit 50)').toBeNull();
      },
    );

    context.it('list-org')(
      'listOrgThreads returns every user of the organisation, newest activity first, and no other organisation',
      async () => {
        const scope = context.newScope();
        const colleague = { orgId: scope.orgId, userId: freshId('user') };
        const elsewhere = { orgId: freshId('org'), userId: scope.userId };
        const mine = [await repo().createThread(scope), await repo().createThread(scope)];
        const theirs = [await repo().createThread(colleague)];
        const foreign = await repo().createThread(elsewhere);
        await repo().appendMessages(scope, { threadId: mine[0]?.id ?? '', messages: [textMessage('user', 'bump')] });
        const expected = (await Promise.all([
          ...mine.map((t) => repo().getThread(scope, t.id)),
          ...theirs.map((t) => repo().getThread(colleague, t.id)),
        ])) as ChatThread[];
        expected.sort(byActivity);
        expect(await listAllOrgThreads(repo(), scope.orgId)).toEqual(expected);
        expect((await repo().listOrgThreads({ orgId: elsewhere.orgId })).threads).toEqual([foreign]);
      },
    );

    context.it('empty-listing')('an empty listing is an empty page with a null cursor', async () => {
      const scope = context.newScope();
      expect(await repo().listThreads(scope)).toEqual({ threads: [], nextCursor: null });
      expect(await repo().listOrgThreads({ orgId: scope.orgId })).toEqual({ threads: [], nextCursor: null });
    });

    context.it('delete')(
      'deleteThread returns true, removes the thread and its messages, then returns false',
      async () => {
        const scope = context.newScope();
        const { thread, messages } = await seedThread(repo(), scope, 3);
        const sibling = await seedThread(repo(), scope, 1);
        expect(await repo().deleteThread(scope, thread.id)).toBe(true);
        expect(await repo().getThread(scope, thread.id)).toBeNull();
        expect(await repo().getMessages(scope, { threadId: thread.id })).toBeNull();
        expect(await repo().getMessage(scope, { threadId: thread.id, messageId: messages[0]?.id ?? '' })).toBeNull();
        expect((await listAllThreads(repo(), scope)).map((t) => t.id)).toEqual([sibling.thread.id]);
        expect(await repo().deleteThread(scope, thread.id), 'a second delete').toBe(false);
        expect(await repo().getThread(scope, sibling.thread.id)).toEqual(sibling.thread);
        const inspector = context.inspector();
        if (inspector !== undefined)
          expect(await inspector.messageSeqs(thread.id), 'no message is left in the store').toEqual([]);
      },
    );

    context.it('delete-missing')('deleteThread of an id that was never used returns false', async () => {
      expect(await repo().deleteThread(context.newScope(), uuidv7())).toBe(false);
    });
  },
});

import type { ChatThread, ConversationRepository, NewMessage, Scope } from '@fluxibly/core';
import { LIMITS, uuidv7 } from '@fluxibly/core';
import { describe, expect } from 'vitest';
import type { SuiteContext } from '../context.js';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import type { Outcome } from '../support/index.js';
import {
  byActivity,
  captureState,
  expectStateUnchanged,
  listAllOrgThreads,
  listAllThreads,
  outcomeOf,
  seedThread,
  textMessage,
} from '../support/index.js';

/** An owner and a scope that must not reach the owner's threads. */
interface Tenancy {
  name: string;
  make: (context: SuiteContext) => { owner: Scope; foreign: Scope };
}

const TENANCIES: readonly Tenancy[] = [
  {
    name: 'another user of the same org',
    make: (c) => {
      const owner = c.newScope();
      return { owner, foreign: { orgId: owner.orgId, userId: freshId('user') } };
    },
  },
  {
    name: 'the same user id in another org',
    make: (c) => {
      const owner = c.newScope();
      return { owner, foreign: { orgId: freshId('org'), userId: owner.userId } };
    },
  },
  {
    name: 'the same user id in other letter case (ids are case-sensitive)',
    make: (c) => {
      const owner = c.newScope();
      return { owner, foreign: { orgId: owner.orgId, userId: owner.userId.toUpperCase() } };
    },
  },
  {
    name: 'ids that join to the same string (org "a:b" + user "c" versus org "a" + user "b:c")',
    make: () => {
      const [a, b] = [freshId('org'), freshId('user')];
      return { owner: { orgId: `${a}:${b}`, userId: 'c' }, foreign: { orgId: a, userId: `${b}:c` } };
    },
  },
];

/** The owner's thread as one call sees it: a real one (foreign call) or a missing id of the same shape. */
interface Target {
  threadId: string;
  messageId: string;
  /** The owner's stored messages, resent: a retry that must not be answered from the owner's thread. */
  stored: NewMessage[];
  lastSeq: number;
  /** A cursor taken from the owner's messages. */
  cursor: string;
  /** A caller id for a fork; it must stay unused. */
  forkId: string;
  /** A word only the owner's messages contain. */
  word: string;
}

/** How a call must behave on a thread that does not exist for the caller. */
type Expected = 'null' | 'false' | 'not-found' | 'nothing-found';

interface MethodCase {
  name: string;
  expected: Expected;
  /** Needs `capabilities.fullTextSearch`. */
  search?: boolean;
  call: (repo: ConversationRepository, scope: Scope, t: Target) => Promise<unknown>;
}

const METHODS: readonly MethodCase[] = [
  { name: 'getThread', expected: 'null', call: (r, s, t) => r.getThread(s, t.threadId) },
  { name: 'getMessages', expected: 'null', call: (r, s, t) => r.getMessages(s, { threadId: t.threadId }) },
  {
    name: 'getMessages with a cursor',
    expected: 'null',
    call: (r, s, t) => r.getMessages(s, { threadId: t.threadId, after: t.cursor }),
  },
  {
    name: 'getMessage',
    expected: 'null',
    call: (r, s, t) => r.getMessage(s, { threadId: t.threadId, messageId: t.messageId }),
  },
  {
    name: 'appendMessages',
    expected: 'not-found',
    call: (r, s, t) => r.appendMessages(s, { threadId: t.threadId, messages: [textMessage('user', 'intruder')] }),
  },
  {
    name: 'appendMessages retrying stored ids',
    expected: 'not-found',
    call: (r, s, t) => r.appendMessages(s, { threadId: t.threadId, messages: t.stored }),
  },
  {
    name: 'appendMessages with a stale expectedLastSeq',
    expected: 'not-found',
    call: (r, s, t) =>
      r.appendMessages(s, {
        threadId: t.threadId,
        messages: [textMessage('user', 'x')],
        expectedLastSeq: t.lastSeq + 5,
      }),
  },
  {
    name: 'editMessage',
    expected: 'not-found',
    call: (r, s, t) => r.editMessage(s, { threadId: t.threadId, messageId: t.messageId, content: 'hijacked' }),
  },
  {
    name: 'deleteMessage',
    expected: 'false',
    call: (r, s, t) => r.deleteMessage(s, { threadId: t.threadId, messageId: t.messageId }),
  },
  { name: 'deleteThread', expected: 'false', call: (r, s, t) => r.deleteThread(s, t.threadId) },
  { name: 'clearThread', expected: 'not-found', call: (r, s, t) => r.clearThread(s, t.threadId) },
  {
    name: 'truncateThread',
    expected: 'not-found',
    call: (r, s, t) => r.truncateThread(s, { threadId: t.threadId, afterSeq: 1 }),
  },
  {
    name: 'truncateThread with a stale expectedLastSeq',
    expected: 'not-found',
    call: (r, s, t) => r.truncateThread(s, { threadId: t.threadId, afterSeq: 0, expectedLastSeq: t.lastSeq + 5 }),
  },
  {
    name: 'truncateThread beyond lastSeq (must not reveal lastSeq)',
    expected: 'not-found',
    call: (r, s, t) => r.truncateThread(s, { threadId: t.threadId, afterSeq: t.lastSeq + 1 }),
  },
  {
    name: 'appendMessages with replaceAfterSeq',
    expected: 'not-found',
    call: (r, s, t) =>
      r.appendMessages(s, { threadId: t.threadId, messages: [textMessage('user', 'intruder')], replaceAfterSeq: 0 }),
  },
  {
    name: 'appendMessages replaying the stored tail',
    expected: 'not-found',
    call: (r, s, t) => r.appendMessages(s, { threadId: t.threadId, messages: t.stored, replaceAfterSeq: 0 }),
  },
  {
    name: 'appendMessages with replaceAfterSeq beyond lastSeq (must not reveal lastSeq)',
    expected: 'not-found',
    call: (r, s, t) =>
      r.appendMessages(s, {
        threadId: t.threadId,
        messages: [textMessage('user', 'x')],
        replaceAfterSeq: t.lastSeq + 1,
      }),
  },
  {
    name: 'editMessage with status and expectedStatus',
    expected: 'not-found',
    call: (r, s, t) =>
      r.editMessage(s, {
        threadId: t.threadId,
        messageId: t.messageId,
        status: 'incomplete',
        tokenCount: 1,
        expectedStatus: 'completed',
      }),
  },
  {
    name: 'editMessage with a mismatched expectedStatus (must not reveal the status)',
    expected: 'not-found',
    call: (r, s, t) =>
      r.editMessage(s, {
        threadId: t.threadId,
        messageId: t.messageId,
        status: 'completed',
        expectedStatus: 'in_progress',
      }),
  },
  {
    name: 'updateThread',
    expected: 'not-found',
    call: (r, s, t) => r.updateThread(s, { threadId: t.threadId, name: 'mine now', metadata: {} }),
  },
  {
    name: 'updateThread with metadataPatch',
    expected: 'not-found',
    call: (r, s, t) => r.updateThread(s, { threadId: t.threadId, metadataPatch: { owner: 'intruder', tag: null } }),
  },
  {
    name: 'updateThread with a matching expectedMetadata',
    expected: 'not-found',
    call: (r, s, t) =>
      r.updateThread(s, {
        threadId: t.threadId,
        metadataPatch: { owner: 'intruder' },
        expectedMetadata: { tag: t.word },
      }),
  },
  {
    name: 'updateThread with a mismatched expectedMetadata (must not reveal the metadata)',
    expected: 'not-found',
    call: (r, s, t) => r.updateThread(s, { threadId: t.threadId, name: 'x', expectedMetadata: { tag: 'other' } }),
  },
  {
    name: 'updateThread with a patch too big for the stored metadata (must not reveal its size)',
    expected: 'not-found',
    call: (r, s, t) =>
      r.updateThread(s, { threadId: t.threadId, metadataPatch: { big: 'x'.repeat(LIMITS.metadataBytes - 100) } }),
  },
  { name: 'forkThread', expected: 'not-found', call: (r, s, t) => r.forkThread(s, { threadId: t.threadId }) },
  {
    name: 'transferThread',
    expected: 'not-found',
    call: (r, s, t) => r.transferThread(s, { threadId: t.threadId, toUserId: s.userId }),
  },
  {
    name: 'transferThread to a third user',
    expected: 'not-found',
    call: (r, s, t) => r.transferThread(s, { threadId: t.threadId, toUserId: 'third-user' }),
  },
  {
    name: 'importMessages (must not reveal lastSeq or the stored seqs)',
    expected: 'not-found',
    call: (r, s, t) =>
      r.importMessages(s, {
        threadId: t.threadId,
        messages: [
          {
            id: 'imported',
            seq: t.lastSeq + 5,
            role: 'user',
            content: 'x',
            metadata: {},
            status: 'completed',
            createdAt: new Date(0),
          },
        ],
      }),
  },
  {
    name: 'appendMessages with a mismatched expectedMessageCount (must not reveal the count)',
    expected: 'not-found',
    call: (r, s, t) =>
      r.appendMessages(s, { threadId: t.threadId, messages: [textMessage('user', 'x')], expectedMessageCount: 99 }),
  },
  {
    name: 'truncateThread with a mismatched expectedMessageCount',
    expected: 'not-found',
    call: (r, s, t) => r.truncateThread(s, { threadId: t.threadId, afterSeq: 0, expectedMessageCount: 99 }),
  },
  {
    name: 'forkThread with a caller id',
    expected: 'not-found',
    call: (r, s, t) => r.forkThread(s, { threadId: t.threadId, id: t.forkId }),
  },
  {
    name: 'forkThread beyond lastSeq (must not reveal lastSeq)',
    expected: 'not-found',
    call: (r, s, t) => r.forkThread(s, { threadId: t.threadId, atSeq: t.lastSeq + 1 }),
  },
  {
    name: 'searchMessages in the thread',
    expected: 'nothing-found',
    search: true,
    call: (r, s, t) => r.searchMessages(s, { query: t.word, threadId: t.threadId }),
  },
  {
    name: 'searchMessages',
    expected: 'nothing-found',
    search: true,
    call: (r, s, t) => r.searchMessages(s, { query: t.word }),
  },
];

function checkExpected(outcome: Outcome, expected: Expected): void {
  switch (expected) {
    case 'null':
      expect(outcome).toEqual({ kind: 'value', value: null });
      break;
    case 'false':
      expect(outcome).toEqual({ kind: 'value', value: false });
      break;
    case 'not-found':
      expect(outcome).toMatchObject({ kind: 'error', name: 'NotFoundError', code: 'NOT_FOUND', fluxibly: true });
      break;
    case 'nothing-found':
      // Searching another tenant's thread gives [], exactly as a missing thread does (contract TSDoc).
      expect(outcome).toEqual({ kind: 'value', value: [] });
      break;
  }
}

/** The outcome with the thread id written as `<thread>`, so a foreign and a missing id compare equal. */
function withoutId(outcome: Outcome, threadId: string): Outcome {
  return outcome.kind === 'value' ? outcome : { ...outcome, message: outcome.message.replaceAll(threadId, '<thread>') };
}

/** Scope: another tenant's thread behaves exactly like a missing one, for every method, and stays unchanged. */
export const ISOLATION_GROUP = defineGroup({
  id: 'isolation',
  title: 'tenant isolation',
  tests: ['foreign-as-missing', 'foreign-erase', 'listings', 'org-listing'],
  register(context) {
    const repo = (): ConversationRepository => context.repo();
    const methods = METHODS.filter((m) => m.search !== true || context.options.capabilities.fullTextSearch);

    async function ownerThread(owner: Scope): Promise<Target> {
      const word = `secret${freshId('w').replace(/[^a-z]/g, '')}`;
      const { thread, messages } = await seedThread(repo(), owner, 3, { prefix: word });
      await repo().updateThread(owner, { threadId: thread.id, metadata: { tag: word, pad: 'p'.repeat(1000) } });
      await repo().editMessage(owner, {
        threadId: thread.id,
        messageId: messages[1]?.id ?? '',
        content: `${word} edited`,
      });
      const page = await repo().getMessages(owner, { threadId: thread.id, limit: 1 });
      return {
        threadId: thread.id,
        messageId: messages[0]?.id ?? '',
        stored: messages.map((m) => ({ id: m.id, role: m.role, content: m.content })),
        lastSeq: thread.lastSeq,
        cursor: page?.newerCursor ?? '',
        forkId: freshId('fork'),
        word,
      };
    }

    describe.each(TENANCIES)('$name', (tenancy) => {
      context.it('foreign-as-missing').each(methods)(
        '$name behaves exactly as for a missing thread and changes nothing',
        async (method) => {
          const { owner, foreign } = tenancy.make(context);
          const target = await ownerThread(owner);
          const watched = [
            { scope: owner, threadIds: [target.threadId] },
            { scope: foreign, threadIds: [target.threadId, target.forkId] },
          ];
          const before = await captureState(context, watched);

          const seen = await outcomeOf(() => method.call(repo(), foreign, target));
          checkExpected(seen, method.expected);
          const missing = { ...target, threadId: uuidv7() };
          const unseen = await outcomeOf(() => method.call(repo(), foreign, missing));
          expect(withoutId(seen, target.threadId), 'the same outcome as for a missing thread id').toEqual(
            withoutId(unseen, missing.threadId),
          );
          await expectStateUnchanged(context, watched, before);
        },
      );

      context.it('foreign-erase')(
        "eraseUser, and eraseOrg and pruneThreads of another organisation, never touch the owner's threads",
        async () => {
          const { owner, foreign } = tenancy.make(context);
          const target = await ownerThread(owner);
          const watched = [{ scope: owner, threadIds: [target.threadId] }];
          const before = await captureState(context, watched);
          const own = await repo().createThread(foreign);
          expect(await repo().eraseUser(foreign)).toEqual({ threads: 1, messages: 0 });
          if (foreign.orgId !== owner.orgId) {
            await repo().createThread(foreign);
            const farFuture = new Date(Date.now() + 365 * 24 * 3600_000);
            const pruned = await repo().pruneThreads(
              { orgId: foreign.orgId },
              { inactiveBefore: farFuture, limit: 10 },
            );
            expect(pruned).toMatchObject({ deleted: 1 });
            await repo().createThread(foreign);
            expect(await repo().eraseOrg({ orgId: foreign.orgId })).toEqual({ threads: 1, messages: 0 });
          }
          expect(await repo().getThread(foreign, own.id)).toBeNull();
          await expectStateUnchanged(context, watched, before);
        },
      );

      context.it('listings')(
        "listThreads and listOrgThreads of the other scope never show the owner's thread",
        async () => {
          const { owner, foreign } = tenancy.make(context);
          const target = await ownerThread(owner);
          const second = await repo().createThread(owner);
          const own = await repo().createThread(foreign);
          expect((await listAllThreads(repo(), foreign)).map((t) => t.id)).toEqual([own.id]);
          const byTag = { metadata: { tag: target.word } };
          expect((await repo().listThreads(foreign, byTag)).threads, "a filter on the owner's metadata").toEqual([]);
          if (foreign.orgId !== owner.orgId) {
            expect((await repo().listOrgThreads({ orgId: foreign.orgId }, byTag)).threads).toEqual([]);
          }
          expect((await repo().listThreads(owner, byTag)).threads.map((t) => t.id)).toEqual([target.threadId]);
          const ownerPage = await repo().listThreads(owner, { limit: 1 });
          expect(ownerPage.nextCursor).not.toBeNull();
          const withOwnerCursor = await repo().listThreads(foreign, { cursor: ownerPage.nextCursor ?? '' });
          for (const thread of withOwnerCursor.threads)
            expect(thread).toMatchObject({ orgId: foreign.orgId, userId: foreign.userId });
          if (foreign.orgId !== owner.orgId) {
            expect((await listAllOrgThreads(repo(), foreign.orgId)).map((t) => t.id)).toEqual([own.id]);
          }
          expect(new Set((await listAllThreads(repo(), owner)).map((t) => t.id))).toEqual(
            new Set([target.threadId, second.id]),
          );
        },
      );
    });

    context.it('org-listing')(
      'listOrgThreads lists every user of the org, and nothing of another org with the same user ids',
      async () => {
        const a1 = context.newScope();
        const a2 = { orgId: a1.orgId, userId: freshId('user') };
        const b1 = { orgId: freshId('org'), userId: a1.userId };
        const b2 = { orgId: b1.orgId, userId: a2.userId };
        const made = new Map<Scope, string[]>();
        for (const scope of [a1, a2, b1, b2, a1, b2]) {
          const thread = await repo().createThread(scope);
          made.set(scope, [...(made.get(scope) ?? []), thread.id]);
        }
        for (const [org, users] of [
          [a1.orgId, [a1, a2]],
          [b1.orgId, [b1, b2]],
        ] as const) {
          const expected: ChatThread[] = [];
          for (const user of users) {
            for (const id of made.get(user) ?? []) expected.push((await repo().getThread(user, id)) as ChatThread);
          }
          expect(await listAllOrgThreads(repo(), org)).toEqual(expected.sort(byActivity));
          for (const user of users) {
            const mine = await listAllThreads(repo(), user);
            expect(new Set(mine.map((t) => t.id))).toEqual(new Set(made.get(user)));
          }
        }
      },
    );
  },
});

import type { ChatMessage, ConversationRepository, Scope } from '@fluxibly/core';
import { ValidationError } from '@fluxibly/core';
import { assert, beforeAll, expect } from 'vitest';
import { defineGroup } from '../group.js';
import { fieldMatches, seedThread } from '../support/index.js';

/** A caller with two threads, another user of the same organisation and a tenant of another organisation. */
interface Fixture {
  repo: ConversationRepository;
  /** The caller; `thread` holds 5 messages. */
  own: { scope: Scope; threadId: string; messages: ChatMessage[]; threadIds: string[] };
  /** Every thread id of the caller's organisation (the caller's and the other user's). */
  orgThreadIds: string[];
  /** Message cursors (`olderCursor`s) of another thread of the caller, of the other user and of the other org. */
  messageCursors: Record<Source, string[]>;
  /** A listing cursor (`nextCursor`) of the other user and of the other org. */
  threadCursors: Record<Exclude<Source, 'own'>, string>;
  /** A thread of the other user and of the other org. */
  foreignThreads: Array<{ source: Source; threadId: string; cursor: string }>;
}

type Source = 'own' | 'user' | 'org';
const SOURCES: ReadonlyArray<readonly [Source, string]> = [
  ['own', 'another thread of the caller'],
  ['user', 'another user of the organisation'],
  ['org', 'another organisation'],
];

/** Await `call`: its value, or `undefined` when it rejected with a `ValidationError` naming `field`. */
async function valueOrValidation<T>(call: () => Promise<T>, field: string): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const named = error instanceof ValidationError && fieldMatches(error.field, field);
    expect(
      named,
      `a foreign cursor is a page of one's own or a ValidationError naming ${field}: ${String(error)}`,
    ).toBe(true);
    return undefined;
  }
}

async function olderCursors(repo: ConversationRepository, scope: Scope, threadId: string): Promise<string[]> {
  const cursors: string[] = [];
  for (const limit of [2, 4]) {
    const cursor = (await repo.getMessages(scope, { threadId, limit }))?.olderCursor;
    if (typeof cursor !== 'string') return assert.fail('a page of the newest messages of 5+ must give an olderCursor');
    cursors.push(cursor);
  }
  return cursors;
}

async function firstListingCursor(repo: ConversationRepository, scope: Scope): Promise<string> {
  const cursor = (await repo.listThreads(scope, { limit: 1 })).nextCursor;
  return typeof cursor === 'string' ? cursor : assert.fail('a listing of 1 of 2 threads must give a nextCursor');
}

/**
 * Scope holds for cursors (guarantee 6 with the scope rule): a cursor taken from another thread, another user or
 * another organisation reveals nothing. Fed to the caller's own paging it gives only the caller's own messages
 * and threads (a cursor is a position, not a key), or a `ValidationError` naming the field; with the foreign
 * thread's id it finds nothing, as if the thread did not exist.
 */
export const FOREIGN_CURSORS_GROUP = defineGroup({
  id: 'foreign-cursors',
  title: 'foreign cursors',
  tests: ['message-cursor', 'foreign-thread', 'listing-cursor'],
  register(context) {
    let f: Fixture;
    beforeAll(async () => {
      const repo = context.repo();
      const own = context.newScope();
      const user = { orgId: own.orgId, userId: context.newScope().userId };
      const org = context.newScope();
      const mine = await seedThread(repo, own, 5);
      const mine2 = await seedThread(repo, own, 5);
      const mine3 = await repo.createThread(own);
      const userThread = await seedThread(repo, user, 8);
      const userThread2 = await repo.createThread(user);
      const orgThread = await seedThread(repo, org, 8);
      await repo.createThread(org);
      const threadIds = [mine.thread.id, mine2.thread.id, mine3.id];
      const messageCursors = {
        own: await olderCursors(repo, own, mine2.thread.id),
        user: await olderCursors(repo, user, userThread.thread.id),
        org: await olderCursors(repo, org, orgThread.thread.id),
      };
      f = {
        repo,
        own: { scope: own, threadId: mine.thread.id, messages: mine.messages, threadIds },
        orgThreadIds: [...threadIds, userThread.thread.id, userThread2.id],
        messageCursors,
        threadCursors: { user: await firstListingCursor(repo, user), org: await firstListingCursor(repo, org) },
        foreignThreads: [
          { source: 'user', threadId: userThread.thread.id, cursor: messageCursors.user[0] ?? '' },
          { source: 'org', threadId: orgThread.thread.id, cursor: messageCursors.org[0] ?? '' },
        ],
      };
    });

    const messageCases = SOURCES.flatMap(([source, label]) =>
      (['before', 'after'] as const).map((field) => ({ source, label, field })),
    );
    // Plain `it`s in loops, not `it.each`: vitest would quote and cut the names at 40 characters.
    for (const c of messageCases) {
      context.it('message-cursor')(
        `getMessages ${c.field}: a message cursor of ${c.label} pages only the own thread`,
        async () => {
          const { scope, threadId, messages } = f.own;
          const stored = new Map(messages.map((m) => [m.id, m]));
          for (const cursor of f.messageCursors[c.source]) {
            const page = await valueOrValidation(
              () => f.repo.getMessages(scope, { threadId, [c.field]: cursor }),
              c.field,
            );
            if (page === undefined) continue;
            expect(page, 'the own thread exists').not.toBeNull();
            for (const message of page?.messages ?? []) {
              expect(message, `only messages of the caller's own thread (got ${message.id})`).toEqual(
                stored.get(message.id),
              );
            }
          }
        },
      );
    }

    context.it('foreign-thread')("a foreign thread's own cursor does not open it: as if it did not exist", async () => {
      for (const { threadId, cursor } of f.foreignThreads) {
        for (const field of ['before', 'after'] as const) {
          const page = await valueOrValidation(
            () => f.repo.getMessages(f.own.scope, { threadId, [field]: cursor }),
            field,
          );
          if (page !== undefined) expect(page, `${field}: a foreign thread reads as missing`).toBeNull();
        }
      }
    });

    const threadCases = (['user', 'org'] as const).flatMap((source) =>
      (['listThreads', 'listOrgThreads'] as const).map((method) => ({
        source,
        method,
        label: SOURCES.find(([s]) => s === source)?.[1] ?? source,
      })),
    );
    for (const c of threadCases) {
      context.it('listing-cursor')(
        `${c.method}: a listing cursor of ${c.label} lists only the own threads`,
        async () => {
          const cursor = f.threadCursors[c.source];
          const allowed = new Set(c.method === 'listThreads' ? f.own.threadIds : f.orgThreadIds);
          const page = await valueOrValidation(
            () =>
              c.method === 'listThreads'
                ? f.repo.listThreads(f.own.scope, { cursor })
                : f.repo.listOrgThreads({ orgId: f.own.scope.orgId }, { cursor }),
            'cursor',
          );
          for (const thread of page?.threads ?? []) {
            expect(allowed.has(thread.id), `${c.method} lists a thread that is not the caller's: ${thread.id}`).toBe(
              true,
            );
          }
        },
      );
    }
  },
});

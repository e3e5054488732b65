import type { ConversationRepository, Scope } from '@fluxibly/core';
import { FluxiblyError, UnavailableError } from '@fluxibly/core';
import { beforeAll, expect } from 'vitest';
import type { SuiteContext } from '../context.js';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import { methodCalls, readExistingMessages, rejectionOf, seedThread } from '../support/index.js';

/** Threads to act on: `main` (3 messages), one to clear and one to delete, all of `scope`. */
interface Fixture {
  scope: Scope;
  main: string;
  messageIds: string[];
  toClear: string;
  toDelete: string;
}

type Work = (repo: ConversationRepository, f: Fixture) => Promise<unknown>;

/** Calls that succeed on a healthy backend, whatever order they run in (destructive ones on their own threads). */
function works(search: boolean): Array<readonly [string, Work]> {
  const list: Array<readonly [string, Work]> = [
    ['createThread', (r, f) => r.createThread(f.scope, { name: 'new' })],
    ['getThread', (r, f) => r.getThread(f.scope, f.main)],
    ['listThreads', (r, f) => r.listThreads(f.scope)],
    ['listOrgThreads', (r, f) => r.listOrgThreads({ orgId: f.scope.orgId })],
    ['updateThread', (r, f) => r.updateThread(f.scope, { threadId: f.main, name: 'renamed' })],
    [
      'appendMessages',
      (r, f) =>
        r.appendMessages(f.scope, { threadId: f.main, messages: [{ id: freshId('m'), role: 'user', content: 'hi' }] }),
    ],
    ['getMessages', (r, f) => r.getMessages(f.scope, { threadId: f.main })],
    ['getMessage', (r, f) => r.getMessage(f.scope, { threadId: f.main, messageId: f.messageIds[0] ?? '' })],
    [
      'editMessage',
      (r, f) => r.editMessage(f.scope, { threadId: f.main, messageId: f.messageIds[1] ?? '', content: 'edited' }),
    ],
    ['deleteMessage', (r, f) => r.deleteMessage(f.scope, { threadId: f.main, messageId: f.messageIds[2] ?? '' })],
    ['forkThread', (r, f) => r.forkThread(f.scope, { threadId: f.main, atSeq: 1 })],
    ['clearThread', (r, f) => r.clearThread(f.scope, f.toClear)],
    ['deleteThread', (r, f) => r.deleteThread(f.scope, f.toDelete)],
    ['transferThread', (r, f) => r.transferThread(f.scope, { threadId: f.main, toUserId: f.scope.userId })],
    ['eraseUser', (r, f) => r.eraseUser({ orgId: f.scope.orgId, userId: freshId('nobody') })],
    ['eraseOrg', (r) => r.eraseOrg({ orgId: freshId('empty-org') })],
    ['pruneThreads', (r, f) => r.pruneThreads({ orgId: f.scope.orgId }, { inactiveBefore: new Date(0), limit: 10 })],
    [
      'importThread',
      (r, f) =>
        r.importThread(f.scope, {
          id: freshId('imported'),
          name: '',
          metadata: {},
          createdAt: new Date(0),
          updatedAt: new Date(0),
          lastSeq: 0,
        }),
    ],
  ];
  if (search) list.push(['searchMessages', (r, f) => r.searchMessages(f.scope, { query: 'message' })]);
  return list;
}

/** How many times each call is started before `close()`. */
const ROUNDS = 3;

async function fixture(context: SuiteContext): Promise<Fixture> {
  const repo = context.repo();
  const scope = context.newScope();
  const { thread, messages } = await seedThread(repo, scope, 3);
  const toClear = await seedThread(repo, scope, 2);
  const toDelete = await seedThread(repo, scope, 1);
  return {
    scope,
    main: thread.id,
    messageIds: messages.map((m) => m.id),
    toClear: toClear.thread.id,
    toDelete: toDelete.thread.id,
  };
}

/**
 * Guarantee 11, `close()`: every call started before it settles — it finishes (a healthy backend may well answer
 * first) or rejects with `UnavailableError` — and none is left pending; `close()` itself resolves; every call
 * after it rejects at once with `UnavailableError('repository is closed')`. (A server that hangs is the adapter's
 * own fault test: here the backend is healthy, so nothing depends on timing.)
 */
export const CLOSE_GROUP = defineGroup({
  id: 'close',
  title: 'close settles pending calls',
  tests: ['pending-calls-settle', 'calls-after-close-reject'],
  register(context) {
    const search = context.options.capabilities.fullTextSearch;

    context.it('pending-calls-settle').each([
      ['a fresh instance (nothing awaited yet)', false],
      ['an instance in use', true],
    ] as const)('calls under way on %s settle: fulfilled or UNAVAILABLE', async (_label, warm) => {
      const f = await fixture(context);
      const repo = await context.extraRepo();
      if (warm) await repo.getThread(f.scope, f.main);
      const started = Array.from({ length: ROUNDS }, () => works(search)).flat();
      const calls = started.map(([, work]) => work(repo, f));
      const closing = repo.close();
      const outcomes = await Promise.allSettled(calls);
      await expect(closing, 'close() resolves').resolves.toBeUndefined();
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'fulfilled') return;
        const error: unknown = outcome.reason;
        expect(
          error instanceof UnavailableError,
          `${started[i]?.[0] ?? i} rejected with ${FluxiblyError.is(error) ? error.code : 'an untyped error'}: ${String(error)}`,
        ).toBe(true);
      });
      const appended = outcomes.flatMap((outcome, i) =>
        started[i]?.[0] === 'appendMessages' && outcome.status === 'fulfilled' ? (outcome.value as unknown[]) : [],
      ) as Array<{ id: string }>;
      const stored = new Set((await readExistingMessages(context.repo(), f.scope, f.main)).map((m) => m.id));
      for (const message of appended) expect(stored.has(message.id), 'a fulfilled append is stored').toBe(true);
    });

    let closed: ConversationRepository;
    beforeAll(async () => {
      closed = await context.extraRepo();
      await closed.close();
    });
    context.it('calls-after-close-reject').each(methodCalls(context.options.capabilities))(
      "%s after close() rejects with UnavailableError('repository is closed')",
      async (_name, call) => {
        const error = await rejectionOf(() => call(closed, context.newScope(), freshId('thread')));
        expect(error instanceof UnavailableError, `an UnavailableError, got ${String(error)}`).toBe(true);
        expect((error as UnavailableError).message).toMatch(/repository is closed/u);
      },
    );
  },
});

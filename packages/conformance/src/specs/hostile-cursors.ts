import type { ConversationRepository, Scope } from '@fluxibly/core';
import { assert, beforeAll } from 'vitest';
import { defineGroup } from '../group.js';
import { expectValidation, seedThread } from '../support/index.js';
import type { CursorField, RealCursors } from './hostile-cursors/cases.js';
import { HOSTILE_CURSORS } from './hostile-cursors/cases.js';

interface Fixture {
  repo: ConversationRepository;
  scope: Scope;
  threadId: string;
  real: RealCursors;
}

/** A paging call that takes a cursor, and the field a bad cursor must be named by. */
interface PagingMethod {
  name: string;
  field: CursorField;
  kind: 'messages' | 'threads';
  call: (f: Fixture, cursor: string) => Promise<unknown>;
}

const PAGING: readonly PagingMethod[] = [
  {
    name: 'getMessages',
    field: 'before',
    kind: 'messages',
    call: (f, before) => f.repo.getMessages(f.scope, { threadId: f.threadId, before }),
  },
  {
    name: 'getMessages',
    field: 'after',
    kind: 'messages',
    call: (f, after) => f.repo.getMessages(f.scope, { threadId: f.threadId, after }),
  },
  {
    name: 'listThreads',
    field: 'cursor',
    kind: 'threads',
    call: (f, cursor) => f.repo.listThreads(f.scope, { cursor }),
  },
  {
    name: 'listOrgThreads',
    field: 'cursor',
    kind: 'threads',
    call: (f, cursor) => f.repo.listOrgThreads({ orgId: f.scope.orgId }, { cursor }),
  },
];

const CASES = HOSTILE_CURSORS.flatMap((hostile) =>
  PAGING.filter((method) => hostile.only === undefined || hostile.only === method.kind).map((method) => ({
    name: `${method.name} ${method.field}: ${hostile.label}`,
    method,
    hostile,
  })),
);

/**
 * Guarantee 9 for cursors (issue 9, item 5): a forged, garbled, oversized or cross-kind cursor fed to every
 * paging method is bad input — a `ValidationError` naming `before`, `after` or `cursor` — never `UNAVAILABLE`
 * (which a caller would retry for ever) and never a page.
 */
export const HOSTILE_CURSORS_GROUP = defineGroup({
  id: 'hostile-cursors',
  title: 'hostile cursors',
  tests: ['rejected'],
  register(context) {
    let f: Fixture;
    beforeAll(async () => {
      const repo = context.repo();
      const scope = context.newScope();
      const { thread } = await seedThread(repo, scope, 3);
      await repo.createThread(scope);
      const page = await repo.getMessages(scope, { threadId: thread.id, limit: 1 });
      const listing = await repo.listThreads(scope, { limit: 1 });
      const message = page?.olderCursor;
      const next = listing.nextCursor;
      if (typeof message !== 'string' || typeof next !== 'string') {
        return assert.fail('a page of 1 of 3 messages and a listing of 1 of 2 threads must give cursors');
      }
      f = { repo, scope, threadId: thread.id, real: { message, thread: next } };
    });

    // One `it` per case, not `it.each`: vitest would quote and cut the names at 40 characters.
    for (const { name, method, hostile } of CASES) {
      context.it('rejected')(name, async () => {
        await expectValidation(() => method.call(f, hostile.cursor(f.real)), method.field);
      });
    }
  },
});

import type { ChatThread, Scope } from '@fluxibly/core';
import { assert, expect } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';

/** How long to keep trying to make two threads share an `updatedAt` millisecond. */
const DEADLINE_MS = 10_000;

const TESTS = ['lower-after-upper', 'letters-after-punctuation', 'astral-after-fffd', 'longer-after-prefix'] as const;

/**
 * Pairs of id suffixes, the greater by Unicode code point first; UTF-16 or locale order disagree on several. Each
 * pair is its own test id, so a target can skip one ordering (e.g. a stand-in's UTF-16 order) and keep the rest.
 */
const PAIRS: ReadonlyArray<readonly [(typeof TESTS)[number], string, string, string]> = [
  ['lower-after-upper', 'lower case after upper case', 'a', 'B'],
  ['letters-after-punctuation', 'letters after punctuation', 'ab', 'a-b'],
  ['astral-after-fffd', 'astral after U+FFFD (UTF-16 order says the opposite)', '\u{1F600}', '\uFFFD'],
  ['longer-after-prefix', 'a longer id after its prefix', 'zz', 'z'],
];

/**
 * Ties on `updatedAt` are broken by id, descending, comparing ids by Unicode code point (binary UTF-8 order, as
 * PostgreSQL's `COLLATE "C"`). Two threads are created concurrently until both land in the same millisecond
 * (a poll with a deadline), then every listing must give the greater id first, also across a page boundary.
 */
export const THREAD_TIES_GROUP = defineGroup({
  id: 'thread-ties',
  title: 'thread listing ties',
  tests: TESTS,
  register(context) {
    for (const [id, label, greater, smaller] of PAIRS)
      context.it(id)(`equal updatedAt: ${label}`, async () => {
        const repo = context.repo();
        const deadline = Date.now() + DEADLINE_MS;
        for (;;) {
          const scope: Scope = context.newScope();
          const prefix = freshId('tie');
          const [big, small] = await Promise.all([
            repo.createThread(scope, { id: prefix + greater }),
            repo.createThread(scope, { id: prefix + smaller }),
          ]);
          if (big.updatedAt.getTime() === small.updatedAt.getTime()) {
            const expected = [big.id, small.id];
            const ids = (threads: ChatThread[]): string[] => threads.map((thread) => thread.id);
            expect(ids((await repo.listThreads(scope)).threads)).toEqual(expected);
            expect(ids((await repo.listOrgThreads({ orgId: scope.orgId })).threads)).toEqual(expected);
            const first = await repo.listThreads(scope, { limit: 1 });
            expect(first.nextCursor).not.toBeNull();
            const second = await repo.listThreads(scope, { limit: 1, cursor: first.nextCursor ?? '' });
            expect([...ids(first.threads), ...ids(second.threads)]).toEqual(expected);
            expect(second.nextCursor).toBeNull();
            return;
          }
          await repo.deleteThread(scope, big.id);
          await repo.deleteThread(scope, small.id);
          if (Date.now() > deadline) {
            assert.fail(`two concurrent createThread calls never shared a millisecond within ${DEADLINE_MS} ms`);
          }
        }
      });
  },
});

import type { ChatThread, ConversationRepository, ListThreadsInput, Scope, ThreadPage } from '@fluxibly/core';
import { beforeAll, describe, expect } from 'vitest';
import type { SuiteContext } from '../context.js';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import { byActivity, textMessage, walkThreadPages } from '../support/index.js';

/** A listing to page through: one user's threads, or a whole organisation's. */
interface Listing {
  name: string;
  /** The scopes whose threads the listing holds. */
  scopes(context: SuiteContext): Scope[];
  list(repository: ConversationRepository, scope: Scope, input: ListThreadsInput): Promise<ThreadPage>;
}

const LISTINGS: readonly Listing[] = [
  {
    name: 'listThreads (one user)',
    scopes: (c) => [c.newScope()],
    list: (r, s, input) => r.listThreads(s, input),
  },
  {
    name: 'listOrgThreads (three users)',
    scopes: (c) => {
      const first = c.newScope();
      return [first, { orgId: first.orgId, userId: freshId('user') }, { orgId: first.orgId, userId: freshId('user') }];
    },
    list: (r, s, input) => r.listOrgThreads({ orgId: s.orgId }, input),
  },
];

/**
 * Create `count` threads spread over `scopes`, concurrently and with caller ids in random order (so timestamps tie
 * and the id tie-breaker decides), then touch a few. Returns them in the expected listing order, re-read.
 */
async function makeThreads(
  repository: ConversationRepository,
  scopes: Scope[],
  count: number,
): Promise<Array<{ scope: Scope; thread: ChatThread }>> {
  const made = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const scope = scopes[i % scopes.length] as Scope;
      return { scope, thread: await repository.createThread(scope, { id: freshId('t') }) };
    }),
  );
  for (const i of [2, 5, 0]) {
    const entry = made[i];
    if (entry !== undefined)
      await repository.appendMessages(entry.scope, {
        threadId: entry.thread.id,
        messages: [textMessage('user', 'touch')],
      });
  }
  const fresh = await Promise.all(
    made.map(async ({ scope, thread }) => ({
      scope,
      thread: (await repository.getThread(scope, thread.id)) as ChatThread,
    })),
  );
  return fresh.sort((a, b) => byActivity(a.thread, b.thread));
}

/** Guarantee 6 for threads: newest activity first, id tie-breaker, cursor pages per user and per organisation. */
export const THREAD_PAGINATION_GROUP = defineGroup({
  id: 'thread-pagination',
  title: 'thread pagination',
  tests: ['walk', 'default-page', 'walk-with-updates'],
  register(context) {
    const repo = (): ConversationRepository => context.repo();

    describe.each(LISTINGS)('$name', (listing) => {
      let scope: Scope;
      let expected: ChatThread[];
      beforeAll(async () => {
        const scopes = listing.scopes(context);
        scope = scopes[0] as Scope;
        expected = (await makeThreads(repo(), scopes, 12)).map((e) => e.thread);
      });

      context.it('walk').each([1, 5, 11, 12, 13, 50, 1000])(
        'pages of %i list every thread once, in order, and end with a null cursor',
        async (limit) => {
          const { pages, threads } = await walkThreadPages((cursor) =>
            listing.list(repo(), scope, cursor === undefined ? { limit } : { limit, cursor }),
          );
          expect(threads).toEqual(expected);
          expect(pages.length, 'no empty trailing page: nextCursor is null once nothing is left').toBe(
            Math.max(1, Math.ceil(expected.length / limit)),
          );
          pages.forEach((p, i) => {
            const last = i === pages.length - 1;
            expect(p.threads.length).toBe(last ? expected.length - limit * i : limit);
            expect(p.nextCursor === null, `page ${i}: nextCursor is null only on the last page`).toBe(last);
          });
        },
      );

      context.it('default-page')('the default page holds up to 50 threads', async () => {
        const p = await listing.list(repo(), scope, {});
        expect(p).toEqual({ threads: expected, nextCursor: null });
      });
    });

    context.it('walk-with-updates').each(LISTINGS)(
      '$name: a walk while threads are updated and created never repeats a thread and never skips an untouched one',
      async (listing) => {
        const scopes = listing.scopes(context);
        const scope = scopes[0] as Scope;
        const initial = await makeThreads(repo(), scopes, 15);
        const touched = new Set<string>();
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let step = 0; step < 100; step++) {
          const p = await listing.list(repo(), scope, cursor === undefined ? { limit: 4 } : { limit: 4, cursor });
          seen.push(...p.threads.map((t) => t.id));
          if (p.nextCursor === null) break;
          cursor = p.nextCursor;
          // Move a thread already seen and one not yet seen to the front, and add a new thread.
          const seenEntry = initial.find((e) => e.thread.id === seen[step % seen.length]);
          const unseenEntry = [...initial]
            .reverse()
            .find((e) => !seen.includes(e.thread.id) && !touched.has(e.thread.id));
          for (const entry of [seenEntry, unseenEntry]) {
            if (entry === undefined) continue;
            touched.add(entry.thread.id);
            await repo().appendMessages(entry.scope, {
              threadId: entry.thread.id,
              messages: [textMessage('user', 'moved')],
            });
          }
          await repo().createThread(scopes[step % scopes.length] as Scope);
        }
        expect(new Set(seen).size, `no thread is listed twice: ${seen.join(', ')}`).toBe(seen.length);
        const untouched = initial.map((e) => e.thread.id).filter((id) => !touched.has(id));
        expect(untouched.length).toBeGreaterThan(0);
        expect(
          seen.filter((id) => untouched.includes(id)),
          'every untouched thread, in the original order',
        ).toEqual(untouched);
      },
    );
  },
});

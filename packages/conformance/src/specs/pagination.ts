import type { ChatMessage, ConversationRepository, GetMessagesInput, MessagePage, Scope } from '@fluxibly/core';
import { assert, beforeAll, describe, expect } from 'vitest';
import { defineGroup } from '../group.js';
import {
  range,
  readExistingMessages,
  seedThread,
  seqsOf,
  textMessages,
  expectSame,
  expectSamePage,
} from '../support/index.js';

/** Where a page starts, as indexes into the thread's messages (oldest first): `seq > S[after]`, `seq < S[before]`. */
interface Start {
  name: string;
  after?: number;
  before?: number;
}

const STARTS: readonly Start[] = [
  { name: 'no cursor' },
  { name: 'before #16', before: 16 },
  { name: 'before #1', before: 1 },
  { name: 'after #3', after: 3 },
  { name: 'after #21', after: 21 },
  { name: 'after the newest', after: 22 },
  { name: 'after #3 and before #16', after: 3, before: 16 },
  { name: 'after #9 and before #10 (nothing between)', after: 9, before: 10 },
];
const LIMITS = [1, 5, 23, 50, 1000];
const ORDERS = ['asc', 'desc'] as const;

/** The seqs a page must hold, by the MessagePage rules: with `after`, the oldest `limit` newer than it (and older
 * than `before`); otherwise the newest `limit` older than `before` (or the newest). Always ascending. */
function expectedSelection(
  seqs: readonly number[],
  bounds: { afterSeq?: number; beforeSeq?: number },
  limit: number,
): number[] {
  const inRange = seqs.filter(
    (s) =>
      (bounds.afterSeq === undefined || s > bounds.afterSeq) &&
      (bounds.beforeSeq === undefined || s < bounds.beforeSeq),
  );
  return bounds.afterSeq !== undefined ? inRange.slice(0, limit) : inRange.slice(Math.max(0, inRange.length - limit));
}

/** Guarantee 6 for messages: the MessagePage selection rules, both cursors, and walks that never skip or repeat. */
export const PAGINATION_GROUP = defineGroup({
  id: 'pagination',
  title: 'message pagination',
  tests: [
    'selection',
    'walk-older',
    'walk-newer-with-appends',
    'walk-older-with-appends',
    'cursor-after-delete',
    'default-page',
  ],
  register(context) {
    const repo = (): ConversationRepository => context.repo();

    async function page(scope: Scope, input: GetMessagesInput): Promise<MessagePage> {
      const result = await repo().getMessages(scope, input);
      if (result === null) return assert.fail(`thread ${input.threadId} is missing`);
      return result;
    }

    /** A thread and the cursors for positions in it, obtained only through pages (as a caller would). */
    class Fixture {
      constructor(
        readonly scope: Scope,
        readonly threadId: string,
        readonly messages: ChatMessage[],
      ) {}

      get seqs(): number[] {
        return seqsOf(this.messages);
      }

      /** A cursor meaning "older than the message at `index`": the olderCursor of the page that starts there. */
      async before(index: number): Promise<string> {
        const p = await page(this.scope, { threadId: this.threadId, limit: this.messages.length - index });
        expect(p.messages[0]?.seq, 'setup: the newest page starts at the expected message').toBe(
          this.messages[index]?.seq,
        );
        if (p.olderCursor === null) return assert.fail('setup: a page with older messages gave no olderCursor');
        return p.olderCursor;
      }

      /** A cursor meaning "newer than the message at `index`": the newerCursor of the one-message page there. */
      async after(index: number): Promise<string> {
        const input: GetMessagesInput = { threadId: this.threadId, limit: 1 };
        if (index < this.messages.length - 1) input.before = await this.before(index + 1);
        const p = await page(this.scope, input);
        expect(p.messages[0]?.seq, 'setup: the one-message page holds the expected message').toBe(
          this.messages[index]?.seq,
        );
        if (p.newerCursor === null) return assert.fail('setup: a non-empty page gave no newerCursor');
        return p.newerCursor;
      }

      bySeq(seqs: readonly number[]): ChatMessage[] {
        return seqs.map((s) => this.messages.find((m) => m.seq === s) as ChatMessage);
      }
    }

    async function contiguous(): Promise<Fixture> {
      const scope = context.newScope();
      const { thread, messages } = await seedThread(repo(), scope, 23);
      return new Fixture(scope, thread.id, messages);
    }

    /** 26 appended, seqs 7, 15 and 16 deleted: 23 messages with gaps. */
    async function withGaps(): Promise<Fixture> {
      const scope = context.newScope();
      const { thread, messages } = await seedThread(repo(), scope, 26);
      for (const seq of [7, 15, 16]) {
        await repo().deleteMessage(scope, { threadId: thread.id, messageId: messages[seq - 1]?.id ?? '' });
      }
      return new Fixture(scope, thread.id, await readExistingMessages(repo(), scope, thread.id));
    }

    describe.each([
      { shape: '23 messages, seqs 1–23', make: contiguous },
      { shape: '23 messages with gaps (7, 15, 16 deleted)', make: withGaps },
    ])('$shape', ({ make }) => {
      let f: Fixture;
      beforeAll(async () => {
        f = await make();
      });

      const cases = STARTS.flatMap((start) =>
        LIMITS.flatMap((limit) => ORDERS.map((order) => ({ start, limit, order }))),
      );
      context.it('selection').each(cases)('$start.name, limit $limit, $order', async ({ start, limit, order }) => {
        const input: GetMessagesInput = { threadId: f.threadId, limit, order };
        const bounds: { afterSeq?: number; beforeSeq?: number } = {};
        if (start.after !== undefined) {
          input.after = await f.after(start.after);
          bounds.afterSeq = f.seqs[start.after] as number;
        }
        if (start.before !== undefined) {
          input.before = await f.before(start.before);
          bounds.beforeSeq = f.seqs[start.before] as number;
        }
        const result = await page(f.scope, input);
        const expected = expectedSelection(f.seqs, bounds, limit);
        const inOrder = order === 'desc' ? [...expected].reverse() : expected;
        expectSame(seqsOf(result.messages), inOrder, 'the selected seqs, in the requested order');
        expectSamePage(result.messages, f.bySeq(inOrder));

        if (expected.length > 0) {
          const oldest = expected[0] as number;
          const newest = expected.at(-1) as number;
          const olderExist = f.seqs.some((s) => s < oldest);
          expect(result.olderCursor === null, `olderCursor is null exactly when nothing is older than ${oldest}`).toBe(
            !olderExist,
          );
          expect(result.newerCursor, 'a non-empty page always has a newerCursor').not.toBeNull();
          if (result.olderCursor !== null) {
            const older = await page(f.scope, { threadId: f.threadId, limit, before: result.olderCursor });
            expectSame(
              seqsOf(older.messages),
              expectedSelection(f.seqs, { beforeSeq: oldest }, limit),
              'olderCursor reads the messages just older',
            );
          }
          const newer = await page(f.scope, { threadId: f.threadId, limit, after: result.newerCursor ?? '' });
          expectSame(
            seqsOf(newer.messages),
            expectedSelection(f.seqs, { afterSeq: newest }, limit),
            'newerCursor reads the messages just newer',
          );
        } else if (bounds.afterSeq === undefined) {
          expect(result.olderCursor, 'an empty page read without after: nothing is older').toBeNull();
          expect(result.newerCursor, 'an empty page read without after has no newerCursor').toBeNull();
        } else {
          expect(result.newerCursor, 'a page read with after always has a newerCursor').not.toBeNull();
          const newer = await page(f.scope, { threadId: f.threadId, limit, after: result.newerCursor ?? '' });
          expectSame(
            seqsOf(newer.messages),
            expectedSelection(f.seqs, { afterSeq: bounds.afterSeq }, limit),
            'seqs of the newer page',
          );
        }
      });

      context.it('walk-older').each([1, 5, 7, 23, 50])(
        'walking olderCursor from the newest page (limit %i) visits every message once',
        async (limit) => {
          for (const order of ORDERS) {
            const pages: number[][] = [];
            let cursor: string | null = null;
            do {
              const input: GetMessagesInput = { threadId: f.threadId, limit, order };
              if (cursor !== null) input.before = cursor;
              const p = await page(f.scope, input);
              const seqs = seqsOf(p.messages);
              pages.unshift(order === 'desc' ? seqs.reverse() : seqs);
              cursor = p.olderCursor;
              expect(pages.length).toBeLessThanOrEqual(f.messages.length);
            } while (cursor !== null);
            expectSame(pages.flat(), f.seqs, `order ${order}`);
            expect(
              pages.slice(1).every((p) => p.length === limit),
              'every page but the oldest is full',
            ).toBe(true);
          }
        },
      );
    });

    context.it('walk-newer-with-appends').each([1, 4, 10])(
      'walking newerCursor from the oldest page while appends run sees every message once (limit %i)',
      async (limit) => {
        const scope = context.newScope();
        const { thread } = await seedThread(repo(), scope, 23);
        const writer = await context.extraRepo();
        let p = await page(scope, { threadId: thread.id, limit });
        while (p.olderCursor !== null) p = await page(scope, { threadId: thread.id, limit, before: p.olderCursor });
        const seen = seqsOf(p.messages);
        for (let step = 0; ; step++) {
          if (step < 6)
            await writer.appendMessages(scope, { threadId: thread.id, messages: textMessages(1 + (step % 3)) });
          expect(p.newerCursor, 'a walk with after always has a newerCursor').not.toBeNull();
          p = await page(scope, { threadId: thread.id, limit, after: p.newerCursor ?? '' });
          seen.push(...seqsOf(p.messages));
          if (p.messages.length === 0 && step >= 6) break;
          expect(step, 'the walk ends').toBeLessThan(200);
        }
        expectSame(seen, range(1, 23 + 1 + 2 + 3 + 1 + 2 + 3), 'no skip, no repeat, in order');
      },
    );

    context.it('walk-older-with-appends')(
      'walking olderCursor while appends run visits exactly the messages older than the first page, once',
      async () => {
        const scope = context.newScope();
        const { thread } = await seedThread(repo(), scope, 23);
        const writer = await context.extraRepo();
        const pages: number[][] = [];
        let cursor: string | null = null;
        do {
          const input: GetMessagesInput = { threadId: thread.id, limit: 4 };
          if (cursor !== null) input.before = cursor;
          const p = await page(scope, input);
          pages.unshift(seqsOf(p.messages));
          cursor = p.olderCursor;
          await writer.appendMessages(scope, { threadId: thread.id, messages: textMessages(2) });
        } while (cursor !== null && pages.length < 100);
        expectSame(pages.flat(), range(1, 23), 'seqs of the whole walk');
      },
    );

    context.it('cursor-after-delete')(
      'cursors stay valid when the messages they were taken from are deleted',
      async () => {
        const scope = context.newScope();
        const { thread, messages } = await seedThread(repo(), scope, 23);
        const p = await page(scope, { threadId: thread.id, limit: 5 });
        expectSame(seqsOf(p.messages), [19, 20, 21, 22, 23], 'seqs of the p page');
        for (const seq of [19, 18, 23])
          await repo().deleteMessage(scope, { threadId: thread.id, messageId: messages[seq - 1]?.id ?? '' });
        const older = await page(scope, { threadId: thread.id, limit: 5, before: p.olderCursor ?? '' });
        expectSame(seqsOf(older.messages), [13, 14, 15, 16, 17], 'seqs of the older page');
        const newer = await page(scope, { threadId: thread.id, limit: 5, after: p.newerCursor ?? '' });
        expectSame(newer.messages, [], 'the newer page');
        await repo().appendMessages(scope, { threadId: thread.id, messages: textMessages(1) });
        const later = await page(scope, { threadId: thread.id, limit: 5, after: newer.newerCursor ?? '' });
        expectSame(seqsOf(later.messages), [24], 'seqs of the later page');
      },
    );

    context.it('default-page')(
      'the default page is the newest 50 messages, oldest first; an empty thread gives an empty page',
      async () => {
        const scope = context.newScope();
        const { thread } = await seedThread(repo(), scope, 55);
        const p = await page(scope, { threadId: thread.id });
        expectSame(seqsOf(p.messages), range(6, 55), 'seqs of the p page');
        expect(p.olderCursor).not.toBeNull();
        const rest = await page(scope, { threadId: thread.id, before: p.olderCursor ?? '' });
        expectSame(seqsOf(rest.messages), range(1, 5), 'seqs of the rest page');
        expect(rest.olderCursor).toBeNull();
        const empty = await repo().createThread(scope);
        expectSame(
          await page(scope, { threadId: empty.id }),
          {
            messages: [],
            olderCursor: null,
            newerCursor: null,
          },
          'await page(scope, { threadId: empty.id })',
        );
      },
    );
  },
});

import type { ChatMessage, ConversationRepository, NewMessage } from '@fluxibly/core';
import { ConflictError } from '@fluxibly/core';
import { beforeAll, expect } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import { range, readExistingMessages, textMessage, expectSame } from '../support/index.js';

/** How many repository instances (connections) the concurrent writers are spread over. */
const INSTANCES = 4;

/**
 * Guarantee 1 under load: concurrent appenders on separate instances (connections) never lose a message, never
 * share a `seq`, and keep every batch consecutive; `expectedLastSeq` races have exactly one winner; concurrent
 * identical retries store each message once.
 */
export const CONCURRENCY_GROUP = defineGroup({
  id: 'concurrency',
  title: 'concurrency',
  tests: ['appends-one-thread', 'appends-many-threads', 'racing-expected-last-seq', 'identical-retries'],
  register(context) {
    const pool: ConversationRepository[] = [];
    const repoFor = (i: number): ConversationRepository => pool[i % pool.length] as ConversationRepository;
    const timeout = 60_000 * Math.max(1, context.intensity);

    beforeAll(async () => {
      for (let i = 0; i < INSTANCES; i++) pool.push(await context.extraRepo());
    });

    context.it('appends-one-thread')(
      'concurrent appends to one thread from several instances lose nothing and keep seq unique, gapless and ordered',
      async () => {
        const scope = context.newScope();
        const thread = await context.repo().createThread(scope, { name: 'race' });
        const calls = Math.max(64, Math.round(64 * context.intensity));
        // Call i appends a batch of 1 (every other call) or 2–4 messages; some carry caller ids, some do not.
        const batches: NewMessage[][] = range(0, calls - 1).map((call) => {
          const size = call % 2 === 0 ? 1 : 2 + (call % 3);
          return range(0, size - 1).map((j) =>
            textMessage(
              j % 2 === 0 ? 'user' : 'assistant',
              `call ${call} message ${j}`,
              call % 3 === 0 ? freshId('m') : undefined,
            ),
          );
        });
        const results = await Promise.all(
          batches.map((messages, call) => repoFor(call).appendMessages(scope, { threadId: thread.id, messages })),
        );

        const total = batches.reduce((sum, batch) => sum + batch.length, 0);
        const returnedSeqs: number[] = [];
        results.forEach((stored, call) => {
          const batch = batches[call] as NewMessage[];
          expectSame(
            stored.map((m) => m.content),
            batch.map((m) => m.content),
            'contents of the returned batch',
          );
          const first = (stored[0] as ChatMessage).seq;
          expectSame(
            stored.map((m) => m.seq),
            range(first, first + batch.length - 1),
            `call ${call}: a batch gets consecutive seqs`,
          );
          batch.forEach((m, j) => {
            if (m.id !== undefined) expect(stored[j]?.id).toBe(m.id);
          });
          returnedSeqs.push(...stored.map((m) => m.seq));
        });
        expectSame(
          [...returnedSeqs].sort((a, b) => a - b),
          range(1, total),
          'returned seqs are unique and gapless',
        );

        const stored = await readExistingMessages(pool[1] ?? context.repo(), scope, thread.id);
        expectSame(
          stored.map((m) => m.seq),
          range(1, total),
          'stored seqs are unique and gapless',
        );
        const byText = new Map(stored.map((m) => [m.content, m]));
        expect(byText.size, 'every message is stored exactly once').toBe(total);
        results.forEach((batch) => {
          for (const m of batch) expectSame(byText.get(m.content), m, 'the stored message with this content');
        });
        expect(new Set(stored.map((m) => m.id)).size).toBe(total);

        const after = await context.repo().getThread(scope, thread.id);
        expect(after).toMatchObject({ lastSeq: total, messageCount: total });
        const inspector = context.inspector();
        if (inspector !== undefined) {
          expectSame(await inspector.messageSeqs(thread.id), range(1, total), 'seqs really stored');
        }
      },
      timeout,
    );

    context.it('appends-many-threads')(
      'concurrent appends to many threads keep each thread separate and gapless',
      async () => {
        const scope = context.newScope();
        const threadCount = Math.max(8, Math.round(8 * context.intensity));
        const perThread = 8;
        const threads = await Promise.all(
          range(0, threadCount - 1).map((t) => repoFor(t).createThread(scope, { name: `thread ${t}` })),
        );
        const calls = threads.flatMap((thread, t) =>
          range(0, perThread - 1).map((k) => ({ thread, t, k, repo: repoFor(t + k) })),
        );
        await Promise.all(
          calls.map(({ thread, t, k, repo }) =>
            repo.appendMessages(scope, { threadId: thread.id, messages: [textMessage('user', `t${t} k${k}`)] }),
          ),
        );
        for (const [t, thread] of threads.entries()) {
          const stored = await readExistingMessages(context.repo(), scope, thread.id);
          expectSame(
            stored.map((m) => m.seq),
            range(1, perThread),
            'stored seqs',
          );
          expectSame(
            stored.map((m) => m.content as string).sort(),
            range(0, perThread - 1)
              .map((k) => `t${t} k${k}`)
              .sort(),
            'stored.map((m) => m.content as string).sort()',
          );
          expect(stored.every((m) => m.threadId === thread.id)).toBe(true);
          expect(await context.repo().getThread(scope, thread.id)).toMatchObject({
            lastSeq: perThread,
            messageCount: perThread,
          });
        }
      },
      timeout,
    );

    context.it('racing-expected-last-seq')(
      'racing appends with the same expectedLastSeq: exactly one wins, the others conflict and write nothing',
      async () => {
        const scope = context.newScope();
        const thread = await context.repo().createThread(scope);
        await context.repo().appendMessages(scope, { threadId: thread.id, messages: [textMessage('system', 'start')] });
        const rounds = Math.max(4, Math.round(4 * context.intensity));
        const racers = 8;
        let lastSeq = 1;
        for (let round = 0; round < rounds; round++) {
          const expectedLastSeq = lastSeq;
          const outcomes = await Promise.allSettled(
            range(0, racers - 1).map((r) =>
              repoFor(r).appendMessages(scope, {
                threadId: thread.id,
                expectedLastSeq,
                messages: [
                  textMessage('user', `round ${round} racer ${r} a`),
                  textMessage('assistant', `round ${round} racer ${r} b`),
                ],
              }),
            ),
          );
          const winners = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
          expect(winners, `round ${round}: exactly one winner`).toHaveLength(1);
          const winner = winners[0] as ChatMessage[];
          expectSame(
            winner.map((m) => m.seq),
            [expectedLastSeq + 1, expectedLastSeq + 2],
            'seqs of the winner',
          );
          for (const outcome of outcomes) {
            if (outcome.status === 'rejected') {
              expect(outcome.reason, String(outcome.reason)).toBeInstanceOf(ConflictError);
              expect(outcome.reason).toMatchObject({ expectedLastSeq, actualLastSeq: expectedLastSeq + 2 });
            }
          }
          lastSeq += 2;
        }
        const stored = await readExistingMessages(context.repo(), scope, thread.id);
        expectSame(
          stored.map((m) => m.seq),
          range(1, lastSeq),
          'stored seqs',
        );
        // Only the winners' messages are stored, each round's pair together.
        const texts = stored.map((m) => m.content as string).slice(1);
        for (let round = 0; round < rounds; round++) {
          const a = texts[round * 2] ?? '';
          const racer = /^round (\d+) racer (\d+) a$/.exec(a);
          expect(racer?.[1], `round ${round} stored in order`).toBe(String(round));
          expect(texts[round * 2 + 1]).toBe(`round ${round} racer ${racer?.[2] ?? '?'} b`);
        }
        expect(await context.repo().getThread(scope, thread.id)).toMatchObject({ lastSeq, messageCount: lastSeq });
      },
      timeout,
    );

    context.it('identical-retries')(
      'concurrent identical retries of a batch with caller ids store each message once',
      async () => {
        const scope = context.newScope();
        const thread = await context.repo().createThread(scope);
        await context.repo().appendMessages(scope, { threadId: thread.id, messages: [textMessage('system', 'start')] });
        const rounds = Math.max(3, Math.round(3 * context.intensity));
        let lastSeq = 1;
        for (let round = 0; round < rounds; round++) {
          const batch = range(0, 2).map((j) =>
            textMessage(j === 1 ? 'assistant' : 'user', `round ${round} #${j}`, freshId('m')),
          );
          const outcomes = await Promise.allSettled(
            range(0, 7).map((r) => repoFor(r).appendMessages(scope, { threadId: thread.id, messages: batch })),
          );
          const expectedSeqs = [lastSeq + 1, lastSeq + 2, lastSeq + 3];
          for (const outcome of outcomes) {
            expect(outcome.status, outcome.status === 'rejected' ? String(outcome.reason) : '').toBe('fulfilled');
            if (outcome.status !== 'fulfilled') continue;
            expectSame(
              outcome.value.map((m) => m.id),
              batch.map((m) => m.id),
              'ids returned by the retry',
            );
            expectSame(
              outcome.value.map((m) => m.seq),
              expectedSeqs,
              'seqs returned by the retry',
            );
          }
          lastSeq += 3;
        }
        const stored = await readExistingMessages(context.repo(), scope, thread.id);
        expectSame(
          stored.map((m) => m.seq),
          range(1, lastSeq),
          'stored seqs',
        );
        expect(new Set(stored.map((m) => m.id)).size).toBe(lastSeq);
        expect(await context.repo().getThread(scope, thread.id)).toMatchObject({ lastSeq, messageCount: lastSeq });
        const inspector = context.inspector();
        if (inspector !== undefined)
          expectSame(await inspector.messageSeqs(thread.id), range(1, lastSeq), 'seqs really stored (inspector)');
      },
      timeout,
    );
  },
});

import type { ChatThread, ConversationRepository, JsonObject, Scope } from '@fluxibly/core';
import { ConflictError, LIMITS } from '@fluxibly/core';
import { beforeAll, expect } from 'vitest';
import { freshId } from '../context.js';
import { defineGroup } from '../group.js';
import {
  captureState,
  expectConflict,
  expectNotFound,
  expectStateUnchanged,
  expectValidation,
  range,
  waitForStoreTimeAfter,
  readThread,
} from '../support/index.js';

/** How many writers race in the compare-and-set and patch tests, and over how many instances. */
const WRITERS = 32;
const INSTANCES = 4;

/**
 * `updateThread` with `metadataPatch` (top-level merge, `null` removes, in one atomic step: concurrent patches of
 * different keys lose none) and `expectedMetadata` (compare-and-set: `null` is absent or null, strict types; of
 * racing writers with one expectation exactly one wins). The merged metadata is held to `LIMITS.metadataBytes`;
 * a conflict is reported before the size.
 */
export const THREAD_METADATA_GROUP = defineGroup({
  id: 'thread-metadata',
  title: 'thread metadata patch and compare-and-set',
  tests: [
    'patch-merges',
    'patch-removes',
    'expected-metadata',
    'expected-metadata-conflict',
    'patch-size-limit',
    'missing-thread',
    'racing-compare-and-set',
    'concurrent-patches',
  ],
  register(context) {
    const repo = (): ConversationRepository => context.repo();
    const pool: ConversationRepository[] = [];
    const repoFor = (i: number): ConversationRepository => pool[i % pool.length] as ConversationRepository;
    beforeAll(async () => {
      for (let i = 0; i < INSTANCES; i++) pool.push(await context.extraRepo());
    });

    const threadOf = (scope: Scope, threadId: string, repository = repo()): Promise<ChatThread> =>
      readThread(repository, scope, threadId);

    async function threadWith(scope: Scope, metadata: JsonObject): Promise<ChatThread> {
      return repo().createThread(scope, { name: 'meta', metadata });
    }

    context.it('patch-merges')(
      'metadataPatch sets top-level keys (whole values), keeps the others and the name, and moves updatedAt',
      async () => {
        const scope = context.newScope();
        const thread = await threadWith(scope, { a: 1, nested: { x: 1, y: 2 }, keep: 'me', list: [1, 2] });
        await waitForStoreTimeAfter(repo(), thread.updatedAt);
        const updated = await repo().updateThread(scope, {
          threadId: thread.id,
          metadataPatch: { a: 2, nested: { y: 3 }, added: { deep: [true, null] }, list: [] },
        });
        const expected = { a: 2, nested: { y: 3 }, keep: 'me', list: [], added: { deep: [true, null] } };
        expect(updated.metadata).toEqual(expected);
        expect(updated.name).toBe('meta');
        expect(updated.updatedAt.getTime()).toBeGreaterThan(thread.updatedAt.getTime());
        expect(await threadOf(scope, thread.id, pool[1])).toEqual(updated);

        const renamed = await repo().updateThread(scope, {
          threadId: thread.id,
          name: 'renamed',
          metadataPatch: { a: 'three' },
        });
        expect(renamed).toMatchObject({ name: 'renamed', metadata: { ...expected, a: 'three' } });
        expect(await threadOf(scope, thread.id)).toEqual(renamed);
      },
    );

    context.it('patch-removes')(
      'a null in metadataPatch removes the key (a missing key is fine); set and remove apply together',
      async () => {
        const scope = context.newScope();
        const thread = await threadWith(scope, { a: 1, b: 2, c: null });
        const updated = await repo().updateThread(scope, {
          threadId: thread.id,
          metadataPatch: { a: null, c: null, never: null, d: 'new' },
        });
        expect(updated.metadata).toEqual({ b: 2, d: 'new' });
        expect(Object.keys((await threadOf(scope, thread.id)).metadata).sort()).toEqual(['b', 'd']);
        const emptied = await repo().updateThread(scope, { threadId: thread.id, metadataPatch: { b: null, d: null } });
        expect(emptied.metadata).toEqual({});
        expect((await threadOf(scope, thread.id, pool[0])).metadata).toEqual({});
      },
    );

    context.it('expected-metadata')(
      'expectedMetadata matches each listed key exactly (null: absent or null) and then applies the update',
      async () => {
        const scope = context.newScope();
        const thread = await threadWith(scope, { state: 'idle', n: 1, flag: false, empty: '', gone: null });
        const cases: Array<Record<string, string | number | boolean | null>> = [
          { state: 'idle' },
          { n: 1 },
          { flag: false },
          { empty: '' },
          { gone: null },
          { absent: null },
          { state: 'idle', n: 1, flag: false, absent: null },
        ];
        let step = 0;
        for (const expectedMetadata of cases) {
          step += 1;
          const updated = await repo().updateThread(scope, {
            threadId: thread.id,
            metadataPatch: { step },
            expectedMetadata,
          });
          expect(updated.metadata.step, JSON.stringify(expectedMetadata)).toBe(step);
        }
        const replaced = await repo().updateThread(scope, {
          threadId: thread.id,
          metadata: { state: 'busy' },
          expectedMetadata: { state: 'idle', step },
        });
        expect(replaced.metadata, 'with a whole-metadata replacement').toEqual({ state: 'busy' });
        const renamed = await repo().updateThread(scope, {
          threadId: thread.id,
          name: 'claimed',
          expectedMetadata: { state: 'busy' },
        });
        expect(renamed).toMatchObject({ name: 'claimed', metadata: { state: 'busy' } });
      },
    );

    context.it('expected-metadata-conflict')(
      'a mismatched expectedMetadata (strict types: 1 is not "1") is a ConflictError, checked before the size, and writes nothing',
      async () => {
        const scope = context.newScope();
        const thread = await threadWith(scope, {
          state: 'idle',
          n: 1,
          flag: true,
          obj: { a: 1 },
          list: [1],
          zero: 0,
          pad: 'p'.repeat(Math.floor(LIMITS.metadataBytes / 2)),
        });
        const watched = [{ scope, threadIds: [thread.id] }];
        const state = await captureState(context, watched);
        const mismatches: Array<Record<string, string | number | boolean | null>> = [
          { state: 'busy' },
          { n: '1' },
          { n: 2 },
          { flag: 'true' },
          { flag: 1 },
          { zero: false },
          { zero: '' },
          { zero: null },
          { obj: null },
          { list: 1 },
          { state: null },
          { absent: 'x' },
          { absent: false },
          { state: 'idle', n: 2 },
        ];
        for (const expectedMetadata of mismatches) {
          await expectConflict(() =>
            repo().updateThread(scope, { threadId: thread.id, metadataPatch: { won: true }, expectedMetadata }),
          );
          await expectConflict(() =>
            repo().updateThread(scope, { threadId: thread.id, name: 'won', expectedMetadata }),
          );
        }
        await expectConflict(() =>
          repo().updateThread(scope, {
            threadId: thread.id,
            metadataPatch: { big: 'x'.repeat(Math.floor(LIMITS.metadataBytes / 2)) },
            expectedMetadata: { state: 'busy' },
          }),
        );
        await expectStateUnchanged(context, watched, state, 'after the conflicts');
      },
    );

    context.it('patch-size-limit')(
      'a patch whose merged metadata is over the limit is a ValidationError naming metadataPatch and writes nothing; the merged size is what counts',
      async () => {
        const scope = context.newScope();
        const half = Math.floor(LIMITS.metadataBytes / 2);
        const thread = await threadWith(scope, { first: 'a'.repeat(half) });
        const watched = [{ scope, threadIds: [thread.id] }];
        const state = await captureState(context, watched);
        await expectValidation(
          () => repo().updateThread(scope, { threadId: thread.id, metadataPatch: { second: 'b'.repeat(half) } }),
          'metadataPatch',
        );
        await expectValidation(
          () =>
            repo().updateThread(scope, {
              threadId: thread.id,
              metadataPatch: { second: 'b'.repeat(half) },
              expectedMetadata: { absent: null },
            }),
          'metadataPatch',
        );
        await expectStateUnchanged(context, watched, state, 'after the oversized patches');

        const swapped = await repo().updateThread(scope, {
          threadId: thread.id,
          metadataPatch: { first: null, second: 'b'.repeat(half) },
        });
        expect(Object.keys(swapped.metadata), 'a removal makes room in the same patch').toEqual(['second']);
        const grown = await repo().updateThread(scope, {
          threadId: thread.id,
          metadataPatch: { small: 'c'.repeat(1000) },
        });
        expect(Object.keys(grown.metadata).sort()).toEqual(['second', 'small']);
      },
    );

    context.it('missing-thread')(
      'metadataPatch and expectedMetadata on a missing thread: NotFoundError, not a conflict',
      async () => {
        const scope = context.newScope();
        const threadId = freshId('missing');
        await expectNotFound(() => repo().updateThread(scope, { threadId, metadataPatch: { a: 1 } }));
        await expectNotFound(() =>
          repo().updateThread(scope, { threadId, metadataPatch: { a: 1 }, expectedMetadata: { a: 2 } }),
        );
        await expectNotFound(() => repo().updateThread(scope, { threadId, name: 'x', expectedMetadata: { a: null } }));
        const deleted = await repo().createThread(scope, { metadata: { a: 1 } });
        await repo().deleteThread(scope, deleted.id);
        await expectNotFound(() =>
          repo().updateThread(scope, { threadId: deleted.id, metadataPatch: { b: 1 }, expectedMetadata: { a: 1 } }),
        );
        expect(await repo().getThread(scope, deleted.id)).toBeNull();
      },
    );

    context.it('racing-compare-and-set')(
      `${WRITERS} writers with the same expectedMetadata: exactly one wins, the others get ConflictError`,
      async () => {
        const rounds = Math.max(3, Math.round(3 * context.intensity));
        const scope = context.newScope();
        for (let round = 0; round < rounds; round++) {
          const thread = await threadWith(scope, { other: 'kept', ...(round % 2 === 0 ? {} : { owner: null }) });
          const outcomes = await Promise.allSettled(
            range(0, WRITERS - 1).map((w) =>
              repoFor(w).updateThread(scope, {
                threadId: thread.id,
                metadataPatch: { owner: `w${w}`, [`mark${w}`]: true },
                expectedMetadata: { owner: null, other: 'kept' },
              }),
            ),
          );
          const winners = outcomes.flatMap((o, w) => (o.status === 'fulfilled' ? [{ w, thread: o.value }] : []));
          expect(winners, `round ${round}: exactly one winner`).toHaveLength(1);
          for (const outcome of outcomes) {
            if (outcome.status === 'rejected')
              expect(outcome.reason, String(outcome.reason)).toBeInstanceOf(ConflictError);
          }
          const { w } = winners[0] as { w: number };
          const stored = await threadOf(scope, thread.id);
          expect(stored.metadata, 'only the winner wrote').toEqual({
            other: 'kept',
            owner: `w${w}`,
            [`mark${w}`]: true,
          });
          expect(stored).toEqual(winners[0]?.thread);
        }
      },
      120_000 * Math.max(1, context.intensity),
    );

    context.it('concurrent-patches')(
      `${WRITERS} concurrent patches of different keys (sets and removals) lose none`,
      async () => {
        const rounds = Math.max(3, Math.round(3 * context.intensity));
        const scope = context.newScope();
        const half = WRITERS / 2;
        for (let round = 0; round < rounds; round++) {
          const initial: JsonObject = { keep: 'me' };
          for (let r = 0; r < half; r++) initial[`r${r}`] = r;
          const thread = await threadWith(scope, initial);
          const results = await Promise.all(
            range(0, WRITERS - 1).map((w) =>
              repoFor(w).updateThread(scope, {
                threadId: thread.id,
                metadataPatch: w < half ? { [`k${w}`]: { by: w } } : { [`r${w - half}`]: null },
              }),
            ),
          );
          expect(results).toHaveLength(WRITERS);
          const expected: JsonObject = { keep: 'me' };
          for (let k = 0; k < half; k++) expected[`k${k}`] = { by: k };
          expect((await threadOf(scope, thread.id, repoFor(round))).metadata, `round ${round}`).toEqual(expected);
        }
      },
      120_000 * Math.max(1, context.intensity),
    );
  },
});

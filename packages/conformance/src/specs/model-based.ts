import type { ConversationRepository } from '@fluxibly/core';
import { MemoryConversationRepository } from '@fluxibly/memory';
import fc from 'fast-check';
import { beforeAll } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import { ModelHarness } from '../model/harness.js';
import { scopesFor } from '../model/world.js';
import { opArbitrary, SETUP } from '../model/ops.js';

/** Runs at intensity 1; each run is up to {@link MAX_OPS} operations. */
const RUNS = 100;
const MAX_OPS = 40;

/**
 * Replay settings: fast-check prints `seed` and `path` when a run fails; set them in the environment
 * (`FLUXIBLY_CONFORMANCE_SEED`, `FLUXIBLY_CONFORMANCE_PATH`) to replay exactly that counterexample.
 */
function replaySettings(): { seed?: number; path?: string } {
  const seed = process.env.FLUXIBLY_CONFORMANCE_SEED;
  const path = process.env.FLUXIBLY_CONFORMANCE_PATH;
  return {
    ...(seed === undefined || seed === '' ? {} : { seed: Number(seed) }),
    ...(path === undefined || path === '' ? {} : { path }),
  };
}

/**
 * Model-based test: random sequences of operations — appends with caller ids and `expectedLastSeq`, tail replaces
 * (`replaceAfterSeq`, retries of one), truncations, paged reads with cursors, edits (with `status`, `tokenCount`,
 * `expectedStatus`), metadata patches with `expectedMetadata`, deletes, clears, forks, listings (with metadata
 * filters), cross-tenant attempts; messages with `status`, `tokenCount` and `summaryOf` — applied to the adapter
 * and to the in-memory reference give identical observable results (timestamps and generated ids normalized away).
 */
export const MODEL_BASED_GROUP = defineGroup({
  id: 'model-based',
  title: 'model-based: the adapter behaves like the reference',
  tests: ['random-sequences'],
  register(context) {
    let second: ConversationRepository;
    beforeAll(async () => {
      second = await context.extraRepo();
    });

    context.it('random-sequences')(
      'random operation sequences give the same results as the in-memory reference',
      async () => {
        const property = fc.asyncProperty(
          fc.array(opArbitrary, { minLength: 1, maxLength: MAX_OPS, size: 'max' }),
          async (ops) => {
            const reference = new MemoryConversationRepository();
            try {
              const harness = new ModelHarness({
                reference,
                reals: [context.repo(), second],
                scopes: scopesFor(context.newScope(), context.newScope(), context.newScope()),
                runId: freshId('run'),
                inspector: context.inspector(),
              });
              for (const op of [...SETUP, ...ops]) await harness.apply(op);
              await harness.finalCheck();
            } finally {
              await reference.close();
            }
          },
        );
        await fc.assert(property, { numRuns: Math.max(1, Math.round(RUNS * context.intensity)), ...replaySettings() });
      },
      300_000 * Math.max(1, context.intensity),
    );
  },
});

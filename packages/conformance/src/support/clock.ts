import type { ConversationRepository } from '@fluxibly/core';
import { assert } from 'vitest';
import { freshScope } from '../context.js';

/** How long to wait for the store's clock to pass a timestamp before failing the test. */
const DEADLINE_MS = 5_000;

/**
 * Wait until the store's clock is past `since`: create (and delete) scratch threads in a fresh scope until one
 * gets a `createdAt` later than `since`. After this, a write that moves `updatedAt` must give a later value, even
 * on a backend that stamps times with its own clock. A poll with a deadline, not a sleep.
 */
export async function waitForStoreTimeAfter(repository: ConversationRepository, since: Date): Promise<void> {
  const scope = freshScope();
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const scratch = await repository.createThread(scope, { name: 'clock probe' });
    await repository.deleteThread(scope, scratch.id);
    if (scratch.createdAt.getTime() > since.getTime()) return;
    if (Date.now() > deadline) {
      assert.fail(`the store's clock did not pass ${since.toISOString()} within ${DEADLINE_MS} ms`);
    }
  }
}

import type { NewMessage } from '@fluxibly/core';
import { LIMITS } from '@fluxibly/core';
import { assert, expect } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import { expectUnchangedBy, expectValidation, readExistingMessages, seedThread } from '../support/index.js';

/** A 32 MiB append and its read-back: generous for a slow backend, still a bound on a hang. */
const BIG_TEST_TIMEOUT_MS = 180_000;

/**
 * Plain-text messages (no metadata) whose content and metadata add up to exactly `total` UTF-8 JSON bytes, as
 * core's validation counts them: a string of n ASCII characters is n + 2 bytes of JSON, the default `{}`
 * metadata 2. Each message is at most `LIMITS.contentBytes`, and each content starts with its index, so a mix-up
 * shows.
 */
export function batchOfBytes(total: number): NewMessage[] {
  const overhead = 4; // the content's two quotes and the `{}` metadata
  const lengths: number[] = [];
  for (let left = total; left > 0;) {
    const bytes = Math.min(left, LIMITS.contentBytes);
    lengths.push(bytes - overhead);
    left -= bytes;
  }
  const last = lengths.length - 1;
  if ((lengths[last] ?? 0) < 16) return assert.fail(`cannot split ${total} bytes into messages`);
  return lengths.map((length, i) => {
    const head = `#${i}:`;
    return { id: freshId('m'), role: 'user', content: head + 'x'.repeat(length - head.length) };
  });
}

/** `batch` with one more character in its last message: one byte more in all. */
function oneByteMore(batch: readonly NewMessage[]): NewMessage[] {
  return batch.map((message, i) => {
    if (i !== batch.length - 1) return message;
    if (typeof message.content !== 'string') return assert.fail('text messages only');
    return { ...message, id: freshId('m'), content: `${message.content}y` };
  });
}

/**
 * Guarantees 7 and 12 at the total size limit: a batch of exactly `LIMITS.batchBytes` (32 MiB of content and
 * metadata JSON) is stored and reads back equal; one byte more is a `ValidationError` naming `messages`, with
 * nothing stored. One test each way, so every adapter can afford it.
 */
export const BATCH_SIZE_GROUP = defineGroup({
  id: 'batch-size',
  title: 'total batch size',
  tests: ['one-byte-over', 'exact-limit'],
  register(context) {
    // The rejected batch first: its store snapshots then need not read past a stored 32 MiB batch.
    context.it('one-byte-over')(
      'one byte more is a ValidationError naming messages, and nothing is stored',
      async () => {
        const repo = context.repo();
        const scope = context.newScope();
        const { thread } = await seedThread(repo, scope, 2);
        const batch = oneByteMore(batchOfBytes(LIMITS.batchBytes));
        await expectUnchangedBy(context, [{ scope, threadIds: [thread.id] }], async () => {
          const error = await expectValidation(
            () => repo.appendMessages(scope, { threadId: thread.id, messages: batch }),
            'messages',
          );
          expect(error.field, 'the batch as a whole, not one message').toBe('messages');
        });
      },
    );

    context.it('exact-limit')(
      `a batch of exactly LIMITS.batchBytes (${LIMITS.batchBytes} bytes) is stored and reads back equal`,
      { timeout: BIG_TEST_TIMEOUT_MS },
      async () => {
        const repo = context.repo();
        const scope = context.newScope();
        const { thread } = await seedThread(repo, scope, 1);
        const batch = batchOfBytes(LIMITS.batchBytes);
        expect(batch.length).toBeLessThanOrEqual(LIMITS.batchSize);
        const stored = await repo.appendMessages(scope, { threadId: thread.id, messages: batch });
        expect(
          stored.map((m) => m.seq),
          'seqs in input order',
        ).toEqual(batch.map((_, i) => i + 2));
        const read = (await readExistingMessages(repo, scope, thread.id)).slice(1);
        expect(read.length, 'every message reads back').toBe(batch.length);
        batch.forEach((sent, i) => {
          const got = read[i];
          // Compared by hand: a failing toEqual would print a 1 MiB diff.
          expect(got?.id, `message ${i}: id`).toBe(sent.id);
          expect(got?.role, `message ${i}: role`).toBe(sent.role);
          expect(got?.content === sent.content, `message ${i}: content reads back equal`).toBe(true);
          expect(got?.metadata, `message ${i}: metadata`).toEqual({});
        });
      },
    );
  },
});

import { randomUUID } from 'node:crypto';
import type { AppendMessagesInput, JsonObject } from '@fluxibly/core';
import { FluxiblyError, LIMITS, ValidationError } from '@fluxibly/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConversationRepository } from '../src/index.js';
import { removePrefix, runPrefix } from './support/redis.js';
import { requiredTargets } from './support/targets.js';

/**
 * The total size limit of one append (`LIMITS.batchBytes`, 32 MiB of content and metadata JSON): a batch just
 * under it is stored and read back deep-equal (it gave `UNAVAILABLE (RangeError)` at 1,000 × 1 MB before core
 * bounded it); one byte over is a `ValidationError` naming `messages` with nothing stored; and hostile input to the
 * append path only ever rejects with a typed `FluxiblyError`.
 */
const targets = await requiredTargets('limits');

/** JSON bytes core counts for a message: its content plus its metadata. */
function bytesOf(content: string, metadata: JsonObject): number {
  return Buffer.byteLength(JSON.stringify(content)) + Buffer.byteLength(JSON.stringify(metadata));
}

/** Messages of about 1 MiB each whose content and metadata add up to `LIMITS.batchBytes - under` bytes. */
function batchUnderLimit(under: number): { id: string; role: 'user'; content: string; metadata: JsonObject }[] {
  const messages: { id: string; role: 'user'; content: string; metadata: JsonObject }[] = [];
  let left = LIMITS.batchBytes - under;
  for (let i = 0; left > 0; i++) {
    const metadata = { i, note: 'ünïcødé ✓ "quoted" 🎉' };
    const head = `message ${i} 🎉 "quotes" \\ newline\n: `;
    const fixed = bytesOf(head, metadata);
    const fill = Math.min(LIMITS.contentBytes - Buffer.byteLength(JSON.stringify(head)), left - fixed);
    const content = head + 'x'.repeat(Math.max(0, fill));
    left -= bytesOf(content, metadata);
    messages.push({ id: `m${i}-${randomUUID()}`, role: 'user', content, metadata });
  }
  return messages;
}

for (const target of targets) {
  describe(`the total size of one append (${target.label})`, { timeout: 120_000 }, () => {
    const keyPrefix = runPrefix('limits');
    let repository: RedisConversationRepository;
    beforeAll(() => {
      repository = new RedisConversationRepository({ ...target.connection, keyPrefix });
    });
    afterAll(async () => {
      await repository.close();
      const admin = target.admin();
      await removePrefix(admin, keyPrefix);
      await admin.quit();
    });

    it('a batch just under LIMITS.batchBytes is stored and reads back deep-equal', async () => {
      const scope = { orgId: `limits-${randomUUID()}`, userId: 'u' };
      const thread = await repository.createThread(scope);
      const messages = batchUnderLimit(64);
      const total = messages.reduce((sum, m) => sum + bytesOf(m.content, m.metadata), 0);
      expect(total).toBe(LIMITS.batchBytes - 64);

      const stored = await repository.appendMessages(scope, { threadId: thread.id, messages });
      expect(stored.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
      const page = await repository.getMessages(scope, { threadId: thread.id, limit: messages.length });
      expect(page?.messages.map(({ id, role, content, metadata }) => ({ id, role, content, metadata }))).toEqual(
        messages,
      );
    });

    it('one byte over is a ValidationError naming messages, and nothing is stored', async () => {
      const scope = { orgId: `limits-${randomUUID()}`, userId: 'u' };
      const thread = await repository.createThread(scope);
      const messages = batchUnderLimit(-1);
      await expect(repository.appendMessages(scope, { threadId: thread.id, messages })).rejects.toMatchObject({
        code: 'VALIDATION',
        field: 'messages',
      });
      expect(await repository.getThread(scope, thread.id)).toMatchObject({ lastSeq: 0, messageCount: 0 });
    });

    it('hostile input to appendMessages only rejects with a typed FluxiblyError', async () => {
      const scope = { orgId: `limits-${randomUUID()}`, userId: 'u' };
      const thread = await repository.createThread(scope);
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const throwing = new Proxy(
        {},
        {
          get() {
            throw new RangeError('hostile getter');
          },
        },
      );
      const inputs: unknown[] = [
        null,
        'x',
        { threadId: thread.id },
        { threadId: thread.id, messages: 'x' },
        { threadId: thread.id, messages: [] },
        { threadId: thread.id, messages: [null] },
        { threadId: thread.id, messages: [{ role: 'user', content: 'x', metadata: circular }] },
        { threadId: thread.id, messages: [{ role: 'user', content: 'x', metadata: { n: 1n } }] },
        { threadId: thread.id, messages: [{ role: 'user', content: [{ type: 'text', toJSON: () => 'x' }] }] },
        { threadId: thread.id, messages: [throwing] },
        { threadId: thread.id, messages: throwing },
        throwing,
        {
          threadId: thread.id,
          messages: Array.from({ length: LIMITS.batchSize + 1 }, () => ({ role: 'user', content: 'x' })),
        },
        { threadId: thread.id, messages: [{ role: 'user', content: 'x'.repeat(LIMITS.contentBytes) }] },
        { threadId: thread.id, expectedLastSeq: -1, messages: [{ role: 'user', content: 'x' }] },
      ];
      for (const [i, input] of inputs.entries()) {
        const error = await repository.appendMessages(scope, input as AppendMessagesInput).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error, `input #${i}`).toBeInstanceOf(FluxiblyError);
        expect(error, `input #${i}`).toBeInstanceOf(ValidationError);
      }
      expect(await repository.getThread(scope, thread.id)).toMatchObject({ lastSeq: 0 });
    });
  });
}

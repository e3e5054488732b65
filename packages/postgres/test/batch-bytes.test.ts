import type { NewMessage } from '@fluxibly/core';
import { LIMITS } from '@fluxibly/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresConversationRepository } from '../src/index.js';
import { dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import { describeWithServer } from './support/server.js';

/**
 * Issue 9 item 3: every batch that passes validation (at most `LIMITS.batchBytes` of content and metadata) is
 * stored, alone or merged with concurrent ones.
 */
const schema = freshSchema('fluxibly_bytes');
const pool = rawPool();
const scope = { orgId: 'org-bytes', userId: 'user-bytes' };
let repository: PostgresConversationRepository;
/** 1,048,002 bytes of JSON with its quotes: just under `LIMITS.contentBytes`. */
const MEGABYTE = 'é'.repeat(10) + 'x'.repeat(1_047_980);

beforeAll(async () => {
  repository = repositoryIn(schema, { migrate: true });
  await repository.listThreads(scope);
});

afterAll(async () => {
  await repository.close();
  await dropSchema(pool, schema);
  await pool.end();
});

await describeWithServer('batches up to LIMITS.batchBytes', () => {
  it('a batch just under the limit (31 × 1 MB and small ones) is stored and reads back deep-equal', async () => {
    const thread = await repository.createThread(scope);
    const messages: NewMessage[] = [
      ...Array.from({ length: 31 }, (_, i): NewMessage => ({ role: 'user', content: `${i}${MEGABYTE}` })),
      { role: 'assistant', content: [{ type: 'text', text: 'small 🌍' }], metadata: { n: null, f: false } },
      { role: 'tool', name: 'x', toolCallId: 'c', content: 'tool result' },
    ];
    const stored = await repository.appendMessages(scope, { threadId: thread.id, messages });
    expect(stored.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
    const page = await repository.getMessages(scope, { threadId: thread.id, limit: 100 });
    expect(page?.messages).toEqual(stored);
    expect(page?.messages.map((m) => m.content)).toEqual(messages.map((m) => m.content));
    const bytes = messages.reduce(
      (sum, m) =>
        sum + Buffer.byteLength(JSON.stringify(m.content)) + Buffer.byteLength(JSON.stringify(m.metadata ?? {})),
      0,
    );
    expect(bytes).toBeGreaterThan(LIMITS.batchBytes - 2 * 1_048_576);
    expect(bytes).toBeLessThanOrEqual(LIMITS.batchBytes);
  });

  it('five concurrent callers of 9 × 1 MB (merged they would exceed the limit) all succeed', async () => {
    const thread = await repository.createThread(scope);
    const results = await Promise.all(
      [0, 1, 2, 3, 4].map((caller) =>
        repository.appendMessages(scope, {
          threadId: thread.id,
          messages: Array.from({ length: 9 }, (_, i) => ({ id: `c${caller}-${i}`, role: 'user', content: MEGABYTE })),
        }),
      ),
    );
    for (const [caller, messages] of results.entries()) {
      expect(messages.map((m) => m.id)).toEqual(Array.from({ length: 9 }, (_, i) => `c${caller}-${i}`));
      const first = messages[0]?.seq ?? 0;
      expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 9 }, (_, i) => first + i));
    }
    const page = await repository.getMessages(scope, { threadId: thread.id, limit: 100 });
    expect(page?.messages.map((m) => m.seq)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(page?.messages.every((m) => m.content === MEGABYTE)).toBe(true);
  });
});

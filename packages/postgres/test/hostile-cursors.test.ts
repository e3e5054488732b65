import { ValidationError } from '@fluxibly/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresConversationRepository } from '../src/index.js';
import { dropSchema, freshSchema, rawPool, repositoryIn } from './support/database.js';
import { describeWithServer } from './support/server.js';

/**
 * Issue 9 item 5: a forged thread cursor is bad input, not an outage. Before, an `updatedAt` beyond any date
 * (9007199254740991) reached PostgreSQL as an invalid timestamp (22007) and a NUL in the id as an invalid byte
 * (22021), both `UNAVAILABLE`, so a caller retried for ever.
 */
const schema = freshSchema('fluxibly_cursor');
const pool = rawPool();
const scope = { orgId: 'org-cursor', userId: 'user-cursor' };
let repository: PostgresConversationRepository;

/** A thread cursor as the adapter encodes one, around a forged position. */
function forged(position: unknown): string {
  return `t1.${Buffer.from(JSON.stringify(position), 'utf8').toString('base64url')}`;
}

beforeAll(async () => {
  repository = repositoryIn(schema, { migrate: true });
  await repository.createThread(scope);
});

afterAll(async () => {
  await repository.close();
  await dropSchema(pool, schema);
  await pool.end();
});

await describeWithServer('hostile thread cursors', () => {
  const cursors = {
    'updatedAt beyond any date': forged([9_007_199_254_740_991, 'thread']),
    'a NUL in the id': forged([Date.now(), 'a\u0000b']),
  };
  for (const [label, cursor] of Object.entries(cursors)) {
    it(`${label}: ValidationError naming cursor on listThreads and listOrgThreads`, async () => {
      for (const call of [
        repository.listThreads(scope, { cursor }),
        repository.listOrgThreads({ orgId: scope.orgId }, { cursor }),
      ]) {
        const error: unknown = await call.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe('cursor');
      }
    });
  }
});

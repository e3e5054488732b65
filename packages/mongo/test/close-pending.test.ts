import { UnavailableError } from '@fluxibly/core';
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { MongoConversationRepository } from '../src/index.js';

/**
 * Guarantee 11 on a server that never answers: `close()` settles the calls waiting for it at once, with
 * `UnavailableError('repository is closed')`, whoever owns the client. The driver alone would keep them waiting
 * for its server selection (set here to far longer than the test's timeout), so no timing is asserted: a call
 * left pending fails the test by its timeout, a call settled by the driver instead fails it by its message.
 */
const UNREACHABLE = 'mongodb://127.0.0.1:9/'; // the discard port
const PATIENT = { serverSelectionTimeoutMS: 600_000, connectTimeoutMS: 600_000 };

const scope = { orgId: `org-${randomUUID()}`, userId: `user-${randomUUID()}` };
const calls = (repo: MongoConversationRepository): Array<Promise<unknown>> => [
  repo.getThread(scope, 't'),
  repo.listThreads(scope),
  repo.appendMessages(scope, { threadId: 't', messages: [{ role: 'user', content: 'hi' }] }),
  repo.migrate(),
];

describe('close() settles calls waiting for a server that never answers', () => {
  it.each([
    ['its own client (from a URL)', false],
    ["a caller's client", true],
  ] as const)('with %s', async (_label, callerOwned) => {
    const client = callerOwned ? new MongoClient(UNREACHABLE, PATIENT) : undefined;
    const repo =
      client === undefined
        ? new MongoConversationRepository({ url: UNREACHABLE, dbName: 'never', clientOptions: PATIENT })
        : new MongoConversationRepository({ client, dbName: 'never' });
    try {
      const pending = calls(repo);
      await repo.close();
      for (const outcome of await Promise.allSettled(pending)) {
        expect(outcome.status).toBe('rejected');
        const reason: unknown = outcome.status === 'rejected' ? outcome.reason : undefined;
        expect(reason).toBeInstanceOf(UnavailableError);
        expect((reason as UnavailableError).message).toBe('repository is closed');
      }
    } finally {
      await client?.close();
    }
  });
});

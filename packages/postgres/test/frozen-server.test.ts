import { UnavailableError } from '@fluxibly/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresConversationRepository } from '../src/index.js';
import { IN_CI } from './support/database.js';
import type { PrivateServer } from './support/private-server.js';
import { privateServerMissing, startPrivateServer } from './support/private-server.js';

/**
 * Issue 9 item 2: nothing waits for ever. A private PostgreSQL server (started here, on a free loopback port) is
 * frozen with SIGSTOP: every call settles with `UnavailableError` (the test's own timeout would catch a call that
 * waits for ever), `close()` settles pending calls, and after SIGCONT the next call succeeds.
 */
const missing = privateServerMissing();
if (missing !== undefined && IN_CI) throw new Error(missing);

const scope = { orgId: 'org-frozen', userId: 'user-frozen' };
const TIMEOUT_MS = 1_000;

async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

if (missing !== undefined) {
  describe.skip(`frozen server (skipped: ${missing})`, () => {
    it('needs the PostgreSQL server binaries', () => undefined);
  });
} else {
  let server: PrivateServer;
  beforeAll(async () => {
    server = await startPrivateServer();
    console.log(`frozen server: private postgres at 127.0.0.1:${server.port}`);
  }, 60_000);
  afterAll(async () => server.stop(), 30_000);

  describe('frozen server', () => {
    it('every call settles with UnavailableError within statementTimeoutMs; after SIGCONT calls succeed', async () => {
      const repository = new PostgresConversationRepository({
        url: server.url(),
        schema: 'frozen',
        migrate: true,
        statementTimeoutMs: TIMEOUT_MS,
        connectTimeoutMs: TIMEOUT_MS,
        poolSize: 4,
      });
      try {
        const thread = await repository.createThread(scope);
        await repository.appendMessages(scope, { threadId: thread.id, messages: [{ role: 'user', content: 'hi' }] });
        await server.freeze();
        const errors = await Promise.all([
          rejection(repository.getThread(scope, thread.id)),
          rejection(
            repository.appendMessages(scope, { threadId: thread.id, messages: [{ role: 'user', content: 'a' }] }),
          ),
          rejection(
            repository.appendMessages(scope, { threadId: thread.id, messages: [{ role: 'user', content: 'b' }] }),
          ),
          rejection(repository.getMessages(scope, { threadId: thread.id })),
          rejection(repository.listThreads(scope)),
          rejection(repository.searchMessages(scope, { query: 'hi' })),
          rejection(repository.deleteThread(scope, 'other')),
          rejection(repository.createThread(scope)), // more calls than connections: waits for a free one
        ]);
        for (const error of errors) {
          expect(error).toBeInstanceOf(UnavailableError);
          expect((error as Error).message).toMatch(/within 1000 ms|timeout|terminated/i);
        }
        await server.thaw();
        expect((await repository.getThread(scope, thread.id))?.id).toBe(thread.id);
        const page = await repository.getMessages(scope, { threadId: thread.id });
        expect(page?.messages.map((m) => m.seq)).toEqual(page?.messages.map((_, i) => i + 1));
      } finally {
        await server.thaw();
        await repository.close();
      }
    }, 30_000);

    it('close() settles every pending call with UnavailableError("repository is closed")', async () => {
      const repository = new PostgresConversationRepository({
        url: server.url(),
        schema: 'frozen_close',
        migrate: true,
        statementTimeoutMs: 60_000, // only close() can settle the calls below in time
      });
      const thread = await repository.createThread(scope);
      await server.freeze();
      try {
        const pending = [
          rejection(repository.getThread(scope, thread.id)),
          rejection(
            repository.appendMessages(scope, { threadId: thread.id, messages: [{ role: 'user', content: 'x' }] }),
          ),
          rejection(repository.listThreads(scope)),
        ];
        const closing = repository.close();
        for (const error of await Promise.all(pending)) {
          expect(error).toBeInstanceOf(UnavailableError);
          expect((error as Error).message).toBe('repository is closed');
        }
        expect(await rejection(repository.getThread(scope, thread.id))).toBeInstanceOf(UnavailableError);
        await server.thaw();
        await closing;
      } finally {
        await server.thaw();
      }
    }, 30_000);
  });
}

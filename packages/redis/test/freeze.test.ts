import { randomUUID } from 'node:crypto';
import { UnavailableError } from '@fluxibly/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConversationRepository } from '../src/index.js';
import type { PrivateServer } from './support/private-server.js';
import { privateServersAvailable, startPrivateServer } from './support/private-server.js';

/**
 * A frozen server (SIGSTOP on a private `redis-server`): it keeps the connection open and answers nothing. Every
 * call settles `UNAVAILABLE` within `commandTimeoutMs` (1 s here; a hang fails by the test's timeout); after
 * SIGCONT the next call succeeds, and an append made during the freeze is stored whole or not at all, so retrying
 * it by its message ids stores it exactly once.
 */
const scope = { orgId: `freeze-${randomUUID()}`, userId: 'u' };

if (privateServersAvailable('frozen server')) {
  describe('a frozen standalone server (SIGSTOP)', { timeout: 30_000 }, () => {
    let server: PrivateServer;
    beforeAll(async () => {
      server = await startPrivateServer();
    });
    afterAll(async () => server?.stop());

    it('calls settle UNAVAILABLE; after SIGCONT the next call succeeds and a retried append is stored once', async () => {
      const repository = new RedisConversationRepository({
        url: server.url,
        commandTimeoutMs: 1_000,
        connectTimeoutMs: 1_000,
      });
      const thread = await repository.createThread(scope);
      await repository.appendMessages(scope, { threadId: thread.id, messages: [{ role: 'user', content: 'before' }] });
      const batch = {
        threadId: thread.id,
        messages: ['a', 'b', 'c'].map((id) => ({ id: `${thread.id}-${id}`, role: 'user' as const, content: id })),
      };

      server.freeze();
      try {
        await expect(repository.appendMessages(scope, batch)).rejects.toBeInstanceOf(UnavailableError);
        await expect(repository.getThread(scope, thread.id)).rejects.toBeInstanceOf(UnavailableError);
        await expect(repository.getMessages(scope, { threadId: thread.id })).rejects.toBeInstanceOf(UnavailableError);
        await expect(repository.listThreads(scope)).rejects.toBeInstanceOf(UnavailableError);
      } finally {
        server.thaw();
      }

      const during = await repository.getMessages(scope, { threadId: thread.id, limit: 10 });
      const ids = new Set(batch.messages.map((m) => m.id));
      const stored = during?.messages.filter((m) => ids.has(m.id)) ?? [];
      expect([0, 3], 'the frozen append is whole or absent').toContain(stored.length);

      const retried = await repository.appendMessages(scope, batch);
      expect(retried.map((m) => m.seq)).toEqual([2, 3, 4]);
      const after = await repository.getThread(scope, thread.id);
      expect(after).toMatchObject({ lastSeq: 4, messageCount: 4 });
      await repository.close();
    });

    it("close() during the freeze settles pending calls with 'repository is closed'", async () => {
      const repository = new RedisConversationRepository({ url: server.url }); // default 30 s command timeout
      await repository.getThread(scope, 'warm-up');
      server.freeze();
      try {
        const pending = [repository.getThread(scope, 'x'), repository.listThreads(scope)];
        const closing = repository.close();
        for (const call of pending) {
          await expect(call).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'repository is closed' });
        }
        server.thaw();
        await closing;
      } finally {
        server.thaw();
      }
    });
  });
}

import { randomUUID } from 'node:crypto';
import { UnavailableError } from '@fluxibly/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConversationRepository } from '../src/index.js';
import type { PrivateCluster } from './support/private-server.js';
import { privateServersAvailable, startPrivateCluster } from './support/private-server.js';

/**
 * Every master of a private 3-master cluster (started by `scripts/redis-cluster.sh` on free loopback ports) killed
 * while appends run: every call settles — the ones under way succeed or reject `UNAVAILABLE`, every later call
 * rejects `UNAVAILABLE` — and close() returns. A hang fails by the test's timeout.
 */
const scope = { orgId: `down-${randomUUID()}`, userId: 'u' };
const WORKERS = 4;

if (privateServersAvailable('cluster masters killed')) {
  describe('a private Redis Cluster whose masters are all killed mid-run', { timeout: 60_000 }, () => {
    let cluster: PrivateCluster;
    // Starting 3 nodes and forming the cluster polls readiness with the script's own 60 s deadline; the hook gets
    // longer, so on a loaded machine the script's deadline (with its reason) is what fails, not the hook.
    beforeAll(async () => {
      cluster = await startPrivateCluster();
    }, 150_000);
    afterAll(async () => cluster?.stop());

    it('calls under way settle (stored or UNAVAILABLE); every later call rejects UNAVAILABLE', async () => {
      const repository = new RedisConversationRepository({
        cluster: { nodes: cluster.nodes },
        commandTimeoutMs: 1_000,
        connectTimeoutMs: 500,
      });
      const thread = await repository.createThread(scope);
      let killed = false;
      const outcomes: ('stored' | 'unavailable')[] = [];
      const worker = async (w: number): Promise<void> => {
        for (let i = 0; !killed || i % 10 !== 0; i++) {
          const messages = [{ id: `w${w}-${i}`, role: 'user' as const, content: `${w} ${i}` }];
          try {
            await repository.appendMessages(scope, { threadId: thread.id, messages });
            outcomes.push('stored');
          } catch (error) {
            expect(error).toBeInstanceOf(UnavailableError);
            outcomes.push('unavailable');
          }
        }
      };
      const running = Array.from({ length: WORKERS }, (_, w) => worker(w));
      while (outcomes.length < 20) await new Promise((resolve) => setImmediate(resolve));
      await cluster.killAll();
      killed = true;
      await Promise.all(running);
      expect(outcomes).toContain('stored');

      const later = [
        repository.getThread(scope, thread.id),
        repository.createThread(scope),
        repository.listThreads(scope),
        repository.getMessages(scope, { threadId: thread.id }),
        repository.appendMessages(scope, { threadId: thread.id, messages: [{ role: 'user', content: 'late' }] }),
      ];
      for (const call of later) await expect(call).rejects.toBeInstanceOf(UnavailableError);
      await repository.close();
    });
  });
}

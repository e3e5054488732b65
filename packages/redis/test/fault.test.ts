import { randomUUID } from 'node:crypto';
import type { Scope } from '@fluxibly/core';
import { UnavailableError } from '@fluxibly/core';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisRepositoryOptions } from '../src/index.js';
import { RedisConversationRepository } from '../src/index.js';
import { removePrefix, runPrefix } from './support/redis.js';
import { requiredTargets } from './support/targets.js';

/**
 * Connection loss mid-call: CLIENT KILL the repository's connections (found by their connection name) while
 * concurrent batch appends run. Every call must fully succeed or reject with `UnavailableError` (ioredis error as
 * `cause`); raw reads must show gapless seqs and every batch all-or-nothing; the next call must succeed.
 */
const targets = await requiredTargets('fault');

const WORKERS = 8;
const CALLS_PER_WORKER = 40;
const BATCH = 3;
const KILLS = 6;

for (const target of targets) {
  describe(`connections killed during appends (${target.label})`, () => {
    const keyPrefix = runPrefix('fault');
    const connectionName = `fluxibly-fault-${randomUUID()}`;
    let admin: Redis | Cluster;
    let repo: RedisConversationRepository;

    beforeAll(() => {
      admin = target.admin();
      const connection: RedisRepositoryOptions =
        'url' in target.connection
          ? { url: target.connection.url, redisOptions: { connectionName } }
          : 'cluster' in target.connection
            ? { cluster: { ...target.connection.cluster, options: { redisOptions: { connectionName } } } }
            : target.connection;
      repo = new RedisConversationRepository({ ...connection, keyPrefix });
    });
    afterAll(async () => {
      await repo.close();
      await removePrefix(admin, keyPrefix);
      await admin.quit();
    });

    /** Kill every connection named `connectionName` on every node; returns how many were killed. */
    async function killConnections(): Promise<number> {
      const nodes =
        'nodes' in admin && typeof admin.nodes === 'function' && admin.isCluster
          ? admin.nodes('master')
          : [admin as Redis];
      let killed = 0;
      for (const node of nodes) {
        const list = (await node.call('CLIENT', ['LIST'])) as string;
        for (const line of list.split('\n')) {
          if (!line.includes(` name=${connectionName} `)) continue;
          const id = /^id=(\d+)/u.exec(line)?.[1];
          if (id !== undefined) killed += Number(await node.call('CLIENT', ['KILL', 'ID', id]));
        }
      }
      return killed;
    }

    it(
      'every append succeeds whole or rejects UNAVAILABLE; nothing partial; the next call succeeds',
      { timeout: 60_000 },
      async () => {
        const scope: Scope = { orgId: `org-${randomUUID()}`, userId: 'fault' };
        const thread = await repo.createThread(scope, { id: `fault {${randomUUID()}}` });
        const outcomes: { batch: string; ok: boolean; seqs?: number[] }[] = [];
        let done = 0;
        let kills = 0;
        const worker = async (w: number): Promise<void> => {
          for (let c = 0; c < CALLS_PER_WORKER; c++) {
            const batch = `w${w}c${c}`;
            const messages = Array.from({ length: BATCH }, (_, i) => ({
              id: `${batch}-${i}`,
              role: 'user' as const,
              content: `${batch} ${i}`,
            }));
            try {
              const stored = await repo.appendMessages(scope, { threadId: thread.id, messages });
              outcomes.push({ batch, ok: true, seqs: stored.map((m) => m.seq) });
            } catch (error) {
              expect(error).toBeInstanceOf(UnavailableError);
              expect((error as UnavailableError).cause, 'the ioredis error is the cause').toBeDefined();
              outcomes.push({ batch, ok: false });
            }
            done += 1;
          }
        };
        const killer = async (): Promise<void> => {
          const every = Math.floor((WORKERS * CALLS_PER_WORKER) / (KILLS + 1));
          while (kills < KILLS && done < WORKERS * CALLS_PER_WORKER) {
            if (done >= every * (kills + 1)) {
              await killConnections();
              kills += 1;
            } else await new Promise<void>((resolve) => setImmediate(resolve));
          }
        };
        await Promise.all([killer(), ...Array.from({ length: WORKERS }, (_, w) => worker(w))]);
        expect(kills).toBe(KILLS);
        expect(outcomes).toHaveLength(WORKERS * CALLS_PER_WORKER);

        // Raw reads: the stored seqs (not the owner mark at +inf) and which message ids are stored.
        const k = repo.keys.thread(thread.id);
        const seqs = (await admin.zrange(k.messages, '-inf', '(+inf', 'BYSCORE', 'WITHSCORES'))
          .filter((_, i) => i % 2 === 1)
          .map(Number);
        const ids = await admin.hgetall(k.ids);
        expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
        expect(Object.keys(ids)).toHaveLength(seqs.length);
        for (const { batch, ok, seqs: returned } of outcomes) {
          const present = Array.from({ length: BATCH }, (_, i) => ids[`${batch}-${i}`]);
          const count = present.filter((seq) => seq !== undefined).length;
          expect(count === 0 || count === BATCH, `batch ${batch} is all or nothing`).toBe(true);
          if (ok) {
            expect(present.map(Number)).toEqual(returned);
            expect(returned).toEqual([returned?.[0] ?? 0, (returned?.[0] ?? 0) + 1, (returned?.[0] ?? 0) + 2]);
          }
        }
        const stored = await repo.getThread(scope, thread.id);
        expect(stored?.lastSeq).toBe(seqs.length);
        expect(stored?.messageCount).toBe(seqs.length);

        // After the last kill the client has reconnected: the next call succeeds.
        const [next] = await repo.appendMessages(scope, {
          threadId: thread.id,
          messages: [{ role: 'user', content: 'after' }],
        });
        expect(next?.seq).toBe(seqs.length + 1);
      },
    );
  });
}

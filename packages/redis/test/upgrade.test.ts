import { readFileSync } from 'node:fs';
import type { ChatMessage, ChatThread, Scope } from '@fluxibly/core';
import { ConflictError, ConversationHistory, StateManager } from '@fluxibly/core';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { backfillOrgRegistry, inspectRedisStore, RedisConversationRepository } from '../src/index.js';
import { clientOf } from '../src/internal.js';
import {
  clusterNodes,
  IN_CI,
  probeCluster,
  probeStandalone,
  REDIS_URL,
  removePrefix,
  runPrefix,
} from './support/redis.js';

/**
 * Upgrading a Redis written by the previous release (main at da81740, before contract v2): its keys, recorded by
 * `fixtures/make-v0-keys.ts` from that code, are restored under a fresh prefix. Every thread and message reads back
 * exactly as the previous code read it (plus `status: 'completed'`), and takes every new operation — on a
 * standalone server and, when `REDIS_CLUSTER_NODES` is set, on a Cluster.
 */
interface Fixture {
  keys: Record<string, { type: 'hash' | 'zset' | 'string'; value: Record<string, string> | string[] | string }>;
  reads: { scope: Scope; thread: Record<string, unknown>; messages: Record<string, unknown>[] }[];
}
const fixture = JSON.parse(readFileSync(new URL('fixtures/v0-keys.json', import.meta.url), 'utf8')) as Fixture;

async function restore(client: Redis | Cluster, prefix: string): Promise<void> {
  for (const [key, { type, value }] of Object.entries(fixture.keys)) {
    if (type === 'hash') await client.hset(prefix + key, value as Record<string, string>);
    else if (type === 'string') await client.set(prefix + key, value as string);
    else {
      const flat = value as string[];
      const args: string[] = [];
      for (let i = 0; i < flat.length; i += 2) args.push(flat[i + 1] as string, flat[i] as string);
      await client.zadd(prefix + key, ...args);
    }
  }
}

/** What the previous code read, as the current code must read it: dates revived, every message completed. */
function expectedThread(read: Fixture['reads'][number]): unknown {
  const { createdAt, updatedAt, ...rest } = read.thread as { createdAt: string; updatedAt: string };
  return { ...rest, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) };
}
function expectedMessages(read: Fixture['reads'][number]): unknown[] {
  return read.messages.map((m) => {
    const { createdAt, editedAt, ...rest } = m as { createdAt: string; editedAt?: string };
    return {
      ...rest,
      status: 'completed',
      createdAt: new Date(createdAt),
      ...(editedAt === undefined ? {} : { editedAt: new Date(editedAt) }),
    };
  });
}

const standalone = await probeStandalone();
if (standalone === undefined && IN_CI) throw new Error(`redis at ${REDIS_URL} is required when CI=true`);
const nodes = clusterNodes();
const cluster = nodes === undefined ? undefined : await probeCluster(nodes);
if (nodes !== undefined && cluster === undefined && IN_CI)
  throw new Error('REDIS_CLUSTER_NODES is set but not reachable');

const targets: { name: string; open: () => Redis | Cluster }[] = [];
if (standalone !== undefined) targets.push({ name: 'standalone', open: () => new Redis(REDIS_URL) });
if (nodes !== undefined && cluster !== undefined) targets.push({ name: 'cluster', open: () => new Cluster(nodes) });

describe.skipIf(targets.length === 0)(
  targets.length === 0
    ? `upgrade: skipped, redis at ${REDIS_URL} is not reachable`
    : 'upgrade from keys of the previous release',
  () => {
    const opened: { client: Redis | Cluster; prefix: string; repository: RedisConversationRepository }[] = [];
    afterAll(async () => {
      for (const { client, prefix, repository } of opened) {
        await repository.close();
        await removePrefix(client, prefix);
        await client.quit();
      }
    });

    describe.each(targets)('on $name', ({ open }) => {
      async function upgraded(): Promise<RedisConversationRepository> {
        const client = open();
        const prefix = runPrefix('upgrade');
        await restore(client, prefix);
        const repository = new RedisConversationRepository({ client, keyPrefix: prefix });
        opened.push({ client, prefix, repository });
        return repository;
      }

      it('reads every old thread and message exactly as the previous code did, each message completed', async () => {
        const repository = await upgraded();
        for (const read of fixture.reads) {
          const threadId = read.thread.id as string;
          expect(await repository.getThread(read.scope, threadId)).toEqual(expectedThread(read));
          const page = await repository.getMessages(read.scope, { threadId, limit: 1000 });
          expect(page?.messages).toEqual(expectedMessages(read));
        }
      });

      it('takes every new operation on old threads and messages', async () => {
        const repository = await upgraded();
        const alice = fixture.reads[0]?.scope as Scope;
        const sm = new StateManager({ repository, ...alice, threadId: 'trip' });

        // An old message finished with an expected status (old messages are completed).
        const edited = await sm.editMessage('a1', { status: 'incomplete', tokenCount: 9, expectedStatus: 'completed' });
        expect(edited).toMatchObject({ id: 'a1', status: 'incomplete', tokenCount: 9, seq: 3 });
        await expect(sm.editMessage('a1', { status: 'completed', expectedStatus: 'in_progress' })).rejects.toThrow(
          ConflictError,
        );
        expect((await sm.getMessage('a1'))?.content).toEqual(
          (expectedMessages(fixture.reads[0]!)[2] as ChatMessage).content,
        );

        // Metadata: a patch keeps the untouched values' exact text (a big integer, empty arrays and objects).
        const before = (await sm.getThread('trip')) as ChatThread;
        const patched = await sm.updateThread({
          metadataPatch: { pinned: null, stage: 'booked' },
          expectedMetadata: { project: 'travel', pinned: true, missing: null },
        });
        expect(patched.metadata).toEqual({ ...withoutKey(before.metadata, 'pinned'), stage: 'booked' });
        expect((await sm.listThreads({ metadata: { project: 'travel' } })).map((t) => t.id)).toEqual([
          'trip',
          'trip-fork',
        ]);
        expect(await sm.listThreads({ scope: 'org', metadata: { project: 'work' } })).toHaveLength(1);

        // Regenerate the last reply of an old thread, then truncate it.
        const [reply] = await sm.addMessages([{ id: 'a3b', role: 'assistant', content: 'Showers.' }], {
          replaceAfterSeq: 5,
          expectedLastSeq: 7,
        });
        expect(reply).toMatchObject({ seq: 8, status: 'completed' });
        const all: ChatMessage[] = await sm.loadConversationHistory();
        expect(all.map((m) => m.id)).toEqual(['sys', 'q1', 'a1', 'r1', 'a2', 'a3b']);
        expect(await sm.getThread('trip')).toMatchObject({ lastSeq: 8, messageCount: 6 });
        expect(await sm.truncateThread({ afterSeq: 4 })).toBe(2);
        expect(await sm.getThread('trip')).toMatchObject({ lastSeq: 8, messageCount: 4 });

        // Compaction on an old thread, and a fork of an old fork.
        const summary = await new ConversationHistory({ stateManager: sm, threadId: 'trip' }).compact({
          summarize: () => 'summary',
          keepLast: 1,
        });
        expect(summary?.summaryOf, 'the tool result goes with its call').toEqual({ fromSeq: 2, toSeq: 4 });
        expect((await sm.getThread('trip'))?.summarySeq).toBe(summary?.seq);
        const fork = await sm.forkThread({ threadId: 'trip-fork', id: 'fork-of-old-fork' });
        expect(fork).toMatchObject({ lastSeq: 4, messageCount: 4, parent: { threadId: 'trip-fork', seq: 4 } });
        expect(fork).not.toHaveProperty('summarySeq');
      });

      it('takes the data-lifecycle operations on old keys; the registry backfill lets a prune across organisations reach them', async () => {
        const repository = await upgraded();
        const inspector = inspectRedisStore(clientOf(repository), repository.keys);
        const alice = { orgId: 'org-a', userId: 'alice' };
        const orgs = [...new Set(fixture.reads.map((read) => read.scope.orgId))];
        const future = new Date(Date.now() + 86_400_000);

        // Transfer and erase need no registry.
        const moved = await repository.transferThread(alice, { threadId: 'trip', toUserId: 'dave' });
        expect(moved).toMatchObject({ userId: 'dave', lastSeq: 7, messageCount: 6 });
        expect(await repository.eraseUser({ orgId: 'org-a', userId: 'dave' })).toEqual({ threads: 1, messages: 6 });
        expect(await inspector.remains?.({ orgId: 'org-a', userId: 'dave' })).toBe(0);

        // Organisations written before the registry existed are not in it: a prune across organisations misses them
        // until the backfill, a prune of one organisation does not.
        expect(await repository.pruneThreads({}, { inactiveBefore: future, limit: 100 })).toEqual({
          deleted: 0,
          messages: 0,
          more: false,
        });
        expect(await backfillOrgRegistry(repository)).toBe(orgs.length);
        expect(await repository.pruneThreads({}, { inactiveBefore: future, limit: 100 })).toEqual({
          deleted: 4,
          messages: 6,
          more: false,
        });
        for (const orgId of orgs) {
          expect(await repository.eraseOrg({ orgId })).toEqual({ threads: 0, messages: 0 });
          expect(await inspector.remains?.({ orgId })).toBe(0);
        }
      });
    });
  },
);

function withoutKey(object: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _removed, ...rest } = object;
  return rest;
}

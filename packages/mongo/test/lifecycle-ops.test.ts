import type { ImportedMessage, Scope } from '@fluxibly/core';
import { ConflictError, NotFoundError } from '@fluxibly/core';
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { MessageDocument, ThreadDocument } from '../src/codec.js';
import { inspectMongoRepository, type MongoConversationRepository } from '../src/index.js';
import type { TransactionRunner } from '../src/internal.js';
import { openMongoRepository } from '../src/internal.js';
import { transactionRunner } from './support/one-at-a-time.js';
import { clearPrefix, openRepository, rawClient, target } from './support/repositories.js';

/**
 * Erase, prune, transfer and import at the moments the conformance suite cannot reach: a write injected between a
 * batch's choice and its delete, and a failure injected inside a transaction after its writes (nothing of it may
 * remain). The injections go through the transaction-runner seam (`src/internal.ts`). On the stand-in this checks
 * its transactions roll back multi-document writes; concurrency itself is covered by MongoDB (see README).
 */
const prefix = `lcops_${randomUUID().slice(0, 8)}_`;
afterAll(() => clearPrefix(prefix));

const HOUR = 3_600_000;

/** Run before a transaction starts (the first one after it is set), or fail a transaction after its body. */
interface Injection {
  before?: () => Promise<void>;
  /** Fail the transaction numbered `failAt` (1 = the first after it is set) once its body has written. */
  failAt?: number;
}

function injectingRepository(): { repository: MongoConversationRepository; inject: (i: Injection) => void } {
  const plain = transactionRunner(target().kind);
  let injection: Injection = {};
  let count = 0;
  const runner: TransactionRunner = async (client, work) => {
    const { before, ...rest } = injection;
    injection = rest;
    if (before !== undefined) await before();
    const n = ++count;
    const fail = injection.failAt === n;
    return plain(client, async (session) => {
      const result = await work(session);
      if (fail) throw new Error('injected failure after the writes');
      return result;
    });
  };
  const { url, dbName } = target();
  const repository = openMongoRepository({ url, dbName, collectionPrefix: prefix, migrate: true }, runner);
  return {
    repository,
    inject: (next) => {
      injection = next;
      count = 0;
    },
  };
}

function freshScope(): Scope {
  return { orgId: `org-${randomUUID()}`, userId: `user-${randomUUID()}` };
}

function message(seq: number, at: Date): ImportedMessage {
  return {
    id: `m-${seq}`,
    seq,
    role: 'user',
    content: `imported ${seq}`,
    metadata: {},
    status: 'completed',
    createdAt: at,
  };
}

/** An imported thread last active `ageMs` ago, with `count` messages. */
async function oldThread(
  repository: MongoConversationRepository,
  scope: Scope,
  ageMs: number,
  count = 2,
): Promise<string> {
  const id = `t-${randomUUID()}`;
  const at = new Date(Date.now() - ageMs);
  expect(
    await repository.importThread(scope, {
      id,
      name: 'old',
      metadata: {},
      createdAt: at,
      updatedAt: at,
      lastSeq: count,
    }),
  ).toBe(true);
  const messages = Array.from({ length: count }, (_, i) => message(i + 1, at));
  if (count > 0) expect(await repository.importMessages(scope, { threadId: id, messages })).toBe(count);
  return id;
}

async function rawDocs(threadId: string): Promise<{ thread: ThreadDocument | null; messages: MessageDocument[] }> {
  const client = await rawClient();
  try {
    const db = client.db(target().dbName);
    return {
      thread: await db.collection<ThreadDocument>(`${prefix}threads`).findOne({ _id: threadId }),
      messages: await db.collection<MessageDocument>(`${prefix}messages`).find({ threadId }).toArray(),
    };
  } finally {
    await client.close();
  }
}

describe('pruneThreads re-checks inactivity at delete time', () => {
  it('keeps a thread appended to between the batch choice and its delete; deletes the other', async () => {
    const { repository, inject } = injectingRepository();
    const writer = openRepository(prefix);
    const scope = freshScope();
    try {
      const written = await oldThread(repository, scope, 3 * HOUR);
      const idle = await oldThread(repository, scope, 2 * HOUR);
      inject({
        before: async () => {
          await writer.appendMessages(scope, { threadId: written, messages: [{ role: 'user', content: 'late' }] });
        },
      });
      const result = await repository.pruneThreads(
        { orgId: scope.orgId },
        { inactiveBefore: new Date(Date.now() - HOUR), limit: 10 },
      );
      expect(result).toEqual({ deleted: 1, messages: 2, more: false });
      expect(await repository.getThread(scope, idle)).toBeNull();
      const kept = await repository.getThread(scope, written);
      expect(kept).toMatchObject({ messageCount: 3, lastSeq: 3 });
      expect((await rawDocs(written)).messages).toHaveLength(3);
    } finally {
      await writer.close();
      await repository.close();
    }
  });
});

describe('eraseUser', () => {
  it('deletes an append that lands between the batch choice and the delete with its thread', async () => {
    const { repository, inject } = injectingRepository();
    const writer = openRepository(prefix);
    const scope = freshScope();
    try {
      const threadId = await oldThread(repository, scope, HOUR);
      inject({
        before: async () => {
          await writer.appendMessages(scope, { threadId, messages: [{ role: 'user', content: 'late' }] });
        },
      });
      expect(await repository.eraseUser(scope)).toEqual({ threads: 1, messages: 3 });
      expect(await rawDocs(threadId)).toEqual({ thread: null, messages: [] });
      await expect(
        writer.appendMessages(scope, { threadId, messages: [{ role: 'user', content: 'after' }] }),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect(await inspectMongoRepository(repository).remains?.(scope)).toBe(0);
    } finally {
      await writer.close();
      await repository.close();
    }
  });

  it('a batch whose every thread left the user before its delete does not end the erase', async () => {
    const { repository, inject } = injectingRepository();
    const scope = freshScope();
    const heir = { orgId: scope.orgId, userId: `heir-${randomUUID()}` };
    try {
      // One more than a batch (LIMITS.eraseBatch = 100); the 100 oldest are transferred once chosen.
      const ids: string[] = [];
      for (let i = 0; i <= 100; i++) ids.push(await oldThread(repository, scope, (200 - i) * 1000, 0));
      inject({
        before: async () => {
          const client = await rawClient();
          try {
            await client
              .db(target().dbName)
              .collection<ThreadDocument>(`${prefix}threads`)
              .updateMany({ _id: { $in: ids.slice(0, 100) } }, { $set: { userId: heir.userId } });
          } finally {
            await client.close();
          }
        },
      });
      expect(await repository.eraseUser(scope)).toEqual({ threads: 1, messages: 0 });
      expect(await inspectMongoRepository(repository).remains?.(scope)).toBe(0);
      expect(await inspectMongoRepository(repository).remains?.(heir)).toBe(100);
    } finally {
      await repository.close();
    }
  });

  it('a failure in one thread’s transaction leaves whole threads only, and a second call finishes', async () => {
    const { repository, inject } = injectingRepository();
    const scope = freshScope();
    try {
      const first = await oldThread(repository, scope, 3 * HOUR, 3);
      const second = await oldThread(repository, scope, 2 * HOUR, 4);
      inject({ failAt: 2 });
      await expect(repository.eraseUser(scope)).rejects.toThrow();
      expect(await rawDocs(first)).toEqual({ thread: null, messages: [] });
      const left = await rawDocs(second);
      expect(left.thread?.messageCount).toBe(4);
      expect(left.messages.map((doc) => doc.seq).sort()).toEqual([1, 2, 3, 4]);
      inject({});
      expect(await repository.eraseUser(scope)).toEqual({ threads: 1, messages: 4 });
      expect(await inspectMongoRepository(repository).remains?.(scope)).toBe(0);
    } finally {
      await repository.close();
    }
  });
});

describe('transferThread and importMessages are one transaction each', () => {
  it('transfer: a failure after its writes leaves the thread and every message with the old user', async () => {
    const { repository, inject } = injectingRepository();
    const scope = freshScope();
    const heir = { orgId: scope.orgId, userId: `heir-${randomUUID()}` };
    try {
      const threadId = await oldThread(repository, scope, HOUR, 3);
      const before = await rawDocs(threadId);
      inject({ failAt: 1 });
      await expect(repository.transferThread(scope, { threadId, toUserId: heir.userId })).rejects.toThrow();
      expect(await rawDocs(threadId)).toEqual(before);
      expect(await repository.getThread(heir, threadId)).toBeNull();
      expect((await repository.listThreads(scope)).threads.map((t) => t.id)).toEqual([threadId]);
      inject({});
      const moved = await repository.transferThread(scope, { threadId, toUserId: heir.userId });
      expect(moved.updatedAt.getTime()).toBeGreaterThan(before.thread!.updatedAt.getTime());
      const after = await rawDocs(threadId);
      expect(after.thread?.userId).toBe(heir.userId);
      expect(after.messages.map((doc) => doc.userId)).toEqual([heir.userId, heir.userId, heir.userId]);
      expect(await inspectMongoRepository(repository).remains?.(scope)).toBe(0);
      expect(await inspectMongoRepository(repository).remains?.(heir)).toBe(4);
    } finally {
      await repository.close();
    }
  });

  it('importMessages: a failure after its writes leaves no message and messageCount 0', async () => {
    const { repository, inject } = injectingRepository();
    const scope = freshScope();
    try {
      const id = `t-${randomUUID()}`;
      const at = new Date(Date.now() - HOUR);
      await repository.importThread(scope, { id, name: 'x', metadata: {}, createdAt: at, updatedAt: at, lastSeq: 5 });
      const messages = [1, 2, 3, 4, 5].map((seq) => message(seq, at));
      inject({ failAt: 1 });
      await expect(repository.importMessages(scope, { threadId: id, messages })).rejects.toThrow();
      const left = await rawDocs(id);
      expect(left.messages).toEqual([]);
      expect(left.thread?.messageCount).toBe(0);
      inject({});
      expect(await repository.importMessages(scope, { threadId: id, messages })).toBe(5);
      expect((await rawDocs(id)).thread).toMatchObject({ messageCount: 5, lastSeq: 5, updatedAt: at });
    } finally {
      await repository.close();
    }
  });
});

describe('expectedMessageCount on the fast append path', () => {
  it('costs no command more than a plain append; a count that does not hold writes nothing', async () => {
    const client = new MongoClient(target().url, { monitorCommands: true });
    const repository = openMongoRepository(
      { client, dbName: target().dbName, collectionPrefix: prefix, migrate: true },
      transactionRunner(target().kind),
    );
    const scope = freshScope();
    const commands: string[] = [];
    client.on('commandStarted', (event) => commands.push(event.commandName));
    const recorded = async (work: () => Promise<unknown>): Promise<string[]> => {
      commands.length = 0;
      await work();
      return [...commands];
    };
    try {
      const { id: threadId } = await repository.createThread(scope);
      const say = (content: string) => [{ role: 'user' as const, content }];
      await repository.appendMessages(scope, { threadId, messages: say('a') });
      const plain = await recorded(() => repository.appendMessages(scope, { threadId, messages: say('b') }));
      const [, second] = (await repository.getMessages(scope, { threadId }))!.messages;
      await repository.deleteMessage(scope, { threadId, messageId: second!.id });
      // lastSeq 2, messageCount 1: the guard reads the count, not the seq.
      await expect(
        repository.appendMessages(scope, { threadId, expectedMessageCount: 2, messages: say('no') }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await repository.getThread(scope, threadId)).toMatchObject({ lastSeq: 2, messageCount: 1 });
      const guarded = await recorded(() =>
        repository.appendMessages(scope, { threadId, expectedLastSeq: 2, expectedMessageCount: 1, messages: say('c') }),
      );
      expect(guarded).toEqual(plain);
      expect(await repository.getThread(scope, threadId)).toMatchObject({ lastSeq: 3, messageCount: 2 });
    } finally {
      await repository.close();
      await client.close();
    }
  });
});

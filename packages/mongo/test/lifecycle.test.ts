import { createRepository, StateConfig, UnavailableError, UnsupportedError } from '@fluxibly/core';
import { randomUUID } from 'node:crypto';
import { MongoServerError } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { isTransactionsUnsupported, toFluxiblyError } from '../src/errors.js';
import { MESSAGE_INDEXES, MongoConversationRepository, THREAD_INDEXES } from '../src/index.js';
import { clearPrefix, openRepository, rawClient, target } from './support/repositories.js';

/** Adapter-specific behaviour: migrations, client ownership, closing, the transaction check and the factory. */
const prefixes: string[] = [];
function freshPrefix(): string {
  const prefix = `life_${randomUUID().slice(0, 8)}_`;
  prefixes.push(prefix);
  return prefix;
}

afterAll(async () => {
  for (const prefix of prefixes) await clearPrefix(prefix);
});

interface IndexInfo {
  name?: string;
  unique?: boolean;
}

async function indexesOf(name: string): Promise<IndexInfo[]> {
  const client = await rawClient();
  try {
    return (await client.db(target().dbName).collection(name).listIndexes().toArray()) as IndexInfo[];
  } finally {
    await client.close();
  }
}

const scope = (): { orgId: string; userId: string } => ({ orgId: `org-${randomUUID()}`, userId: `u-${randomUUID()}` });

describe('migrate()', () => {
  it('creates every index and lists them, and running it again changes (and lists) nothing', async () => {
    const prefix = freshPrefix();
    const repo = openRepository(prefix, { migrate: false });
    try {
      expect(await repo.migrate()).toEqual([
        ...THREAD_INDEXES.map((index) => `${prefix}threads.${index.name ?? ''}`),
        ...MESSAGE_INDEXES.map((index) => `${prefix}messages.${index.name ?? ''}`),
      ]);
      expect(await repo.migrate()).toEqual([]);
      const names = (indexes: IndexInfo[]): string[] => indexes.map((index) => index.name ?? '').sort();
      const threadIndexes = await indexesOf(`${prefix}threads`);
      const messageIndexes = await indexesOf(`${prefix}messages`);
      expect(names(threadIndexes)).toEqual(['_id_', ...THREAD_INDEXES.map((i) => i.name ?? '')].sort());
      expect(names(messageIndexes)).toEqual(['_id_', ...MESSAGE_INDEXES.map((i) => i.name ?? '')].sort());
      const unique = messageIndexes.filter((index) => index.unique === true && index.name !== '_id_');
      expect(names(unique)).toEqual(['threadId_id', 'threadId_seq']);
    } finally {
      await repo.close();
    }
  });

  it('migrate: true at start-up creates the indexes before the first call', async () => {
    const prefix = freshPrefix();
    const repo = openRepository(prefix, { migrate: true });
    try {
      await repo.listThreads(scope());
      expect((await indexesOf(`${prefix}messages`)).map((index) => index.name)).toContain('threadId_seq');
    } finally {
      await repo.close();
    }
  });
});

describe('client ownership and close()', () => {
  it('never closes a caller-owned client', async () => {
    const client = await rawClient();
    const { dbName } = target();
    try {
      const repo = new MongoConversationRepository({
        client,
        dbName,
        collectionPrefix: freshPrefix(),
        migrate: true,
      });
      const s = scope();
      await repo.createThread(s, { name: 'owned' });
      await repo.close();
      await repo.close();
      await expect(repo.listThreads(s)).rejects.toBeInstanceOf(UnavailableError);
      // The caller's client still works.
      await expect(client.db(dbName).command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    } finally {
      await client.close();
    }
  });

  it('after close(), every call rejects with UnavailableError (its own client is closed)', async () => {
    const repo = openRepository(freshPrefix());
    await repo.listThreads(scope());
    await repo.close();
    await expect(repo.createThread(scope())).rejects.toBeInstanceOf(UnavailableError);
    await expect(repo.migrate()).rejects.toBeInstanceOf(UnavailableError);
  });
});

describe('transactions are required', () => {
  it("a standalone server's refusal of transactions becomes UnsupportedError naming the fix, never a silent fallback", () => {
    // What a real standalone mongod answers to the start-up probe (code 20, IllegalOperation).
    const refusal = new MongoServerError({
      code: 20,
      codeName: 'IllegalOperation',
      errmsg: 'Transaction numbers are only allowed on a replica set member or mongos',
    });
    expect(isTransactionsUnsupported(refusal)).toBe(true);
    const error = toFluxiblyError(refusal);
    expect(error).toBeInstanceOf(UnsupportedError);
    expect(error.message).toMatch(/replica set/u);
    // The cause is core's printable copy of the driver error (safeCause), with its name, message and code.
    expect(error.cause).toMatchObject({ name: refusal.name, message: refusal.message, code: 20 });
  });

  it('the start-up probe accepts the target (a replica set, or a server that commits a transaction)', async () => {
    const repo = openRepository(freshPrefix());
    try {
      await expect(repo.listThreads(scope())).resolves.toEqual({ threads: [], nextCursor: null });
    } finally {
      await repo.close();
    }
  });
});

describe('createRepository with DB_BACKEND=mongodb', () => {
  it('loads @fluxibly/mongo and honours adapterOptions', async () => {
    const { url, dbName } = target();
    const config = StateConfig.fromEnv({ DB_BACKEND: 'mongodb', MONGODB_URL: url, MONGODB_DB: dbName }).database;
    const repo = await createRepository(config, {
      adapterOptions: {
        migrate: true,
        collectionPrefix: freshPrefix(),
      },
    });
    try {
      expect(repo).toBeInstanceOf(MongoConversationRepository);
      const s = scope();
      const thread = await repo.createThread(s, { name: 'via factory' });
      await repo.appendMessages(s, { threadId: thread.id, messages: [{ role: 'user', content: 'hi' }] });
      expect((await repo.getMessages(s, { threadId: thread.id }))?.messages.map((m) => m.content)).toEqual(['hi']);
    } finally {
      await repo.close();
    }
  });
});

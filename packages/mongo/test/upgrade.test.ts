import { ConflictError } from '@fluxibly/core';
import type { ChatMessage, ChatThread, Scope } from '@fluxibly/core';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Document, MongoClient } from 'mongodb';
import { BSON } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MongoConversationRepository } from '../src/index.js';
import { inspectMongoRepository, MESSAGE_INDEXES, THREAD_INDEXES } from '../src/index.js';
import { clearPrefix, openRepository, rawClient, target } from './support/repositories.js';

/**
 * The upgrade: collections written by the code before contract v2 (`fixtures/v0-data.json`, made on commit da81740
 * by `fixtures/make-v0-fixture.ts`: documents without `status`, `tokenCount`, `summaryOf`, `summarySeq` or
 * `metadataTags`, and that code's indexes) are restored into fresh collections; the new `migrate()` adds the new
 * indexes and tags the old threads; then every old thread and message reads back exactly as the old code read it
 * (plus `status: 'completed'`), and takes every new operation.
 */
interface V0Read {
  scope: Scope;
  threads: ChatThread[];
  pages: Record<string, ChatMessage[]>;
  searches: Record<string, ChatMessage[]>;
}

interface V0Fixture {
  generatedBy: string;
  indexes: string[];
  threads: Document[];
  messages: Document[];
  reads: V0Read[];
}

const fixture = JSON.parse(readFileSync(new URL('fixtures/v0-data.json', import.meta.url), 'utf8')) as V0Fixture;
const prefix = `upgrade_${randomUUID().slice(0, 8)}_`;
let client: MongoClient;
let repository: MongoConversationRepository;
let migrated: readonly string[];

/** `value` as JSON carries it (dates as ISO strings), to compare with the fixture's reads. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
/** A message the old code read, as the new code must read it: the same, plus `status: 'completed'`. */
const withStatus = (messages: readonly ChatMessage[]): unknown[] =>
  messages.map((message) => ({ ...message, status: 'completed' }));

beforeAll(async () => {
  client = await rawClient();
  const db = client.db(target().dbName);
  const old = new Set(fixture.indexes);
  // The old code's indexes (a subset of today's, same names and keys), then its documents, as they were.
  for (const [name, indexes] of [
    ['threads', THREAD_INDEXES],
    ['messages', MESSAGE_INDEXES],
  ] as const) {
    const collection = db.collection(`${prefix}${name}`);
    const before = indexes.filter((index) => old.has(`v0_${name}.${index.name ?? ''}`));
    await collection.createIndexes([...before]);
    const docs = fixture[name].map((doc) => BSON.EJSON.deserialize(doc, { relaxed: false }) as Document);
    await collection.insertMany(docs);
  }
  repository = openRepository(prefix, { migrate: false });
  migrated = await repository.migrate();
}, 60_000);

afterAll(async () => {
  await repository.close();
  await client.close();
  await clearPrefix(prefix);
});

describe('upgrade from the documents of the code before contract v2', () => {
  it('the fixture was written by the previous code, without the new fields', () => {
    expect(fixture.generatedBy).toMatch(/da81740/);
    expect(fixture.messages.length).toBeGreaterThan(20);
    for (const doc of fixture.messages) expect(Object.keys(doc)).not.toContain('status');
    for (const doc of fixture.threads) expect(Object.keys(doc)).not.toContain('metadataTags');
  });

  it('migrate() adds exactly the new indexes and tags the old threads', () => {
    expect([...migrated].sort()).toEqual(
      [
        `${prefix}threads.orgId_userId_metadataTags_updatedAt_id`,
        `${prefix}threads.orgId_metadataTags_updatedAt_id`,
        `${prefix}threads.updatedAt_id`,
        `${prefix}threads.metadataTags`,
      ].sort(),
    );
  });

  it('every thread, page and search reads back as the old code read it, plus status completed', async () => {
    for (const read of fixture.reads) {
      const listed = await repository.listThreads(read.scope, { limit: 100 });
      expect(asJson(listed.threads)).toEqual(read.threads);
      for (const [threadId, messages] of Object.entries(read.pages)) {
        const page = await repository.getMessages(read.scope, { threadId, limit: 100 });
        expect(asJson(page?.messages)).toEqual(withStatus(messages));
      }
      for (const [query, found] of Object.entries(read.searches)) {
        expect(asJson(await repository.searchMessages(read.scope, { query }))).toEqual(withStatus(found));
      }
    }
  });

  it('old threads are listed by metadata (keys with . and $, type-strict)', async () => {
    for (const [i, { scope }] of fixture.reads.entries()) {
      const ids = async (metadata: Record<string, string | number | boolean>): Promise<string[]> =>
        (await repository.listThreads(scope, { metadata })).threads.map((thread) => thread.id);
      expect((await ids({ topic: 'x', 'a.b': 'dotted', $op: true, '': 'empty' })).sort()).toEqual(
        [`thread-${i}-fork`, `thread-${i}-main`].sort(),
      );
      expect(await ids({ one: 1 })).toEqual([]);
      expect(await ids({ archived: true, n: i })).toEqual([`thread-${i}-cleared`]);
      const org = await repository.listOrgThreads(scope, { metadata: { archived: true } });
      expect(org.threads.length).toBe(scope.orgId === 'org-a' ? 2 : 1);
    }
  });

  it('old threads and messages take every new operation', async () => {
    for (const [i, { scope }] of fixture.reads.entries()) {
      const main = `thread-${i}-main`;
      // An old message (no status stored) is 'completed' to expectedStatus.
      await expect(
        repository.editMessage(scope, {
          threadId: main,
          messageId: `t${i}-assistant-3`,
          status: 'incomplete',
          expectedStatus: 'in_progress',
        }),
      ).rejects.toBeInstanceOf(ConflictError);
      const edited = await repository.editMessage(scope, {
        threadId: main,
        messageId: `t${i}-assistant-3`,
        tokenCount: 5,
        expectedStatus: 'completed',
      });
      expect(edited).toMatchObject({ status: 'completed', tokenCount: 5, content: `last w${i}x7` });
      // Metadata patch and compare-and-set on old metadata text.
      const patched = await repository.updateThread(scope, {
        threadId: main,
        metadataPatch: { v: 2, 'a.b': null, added: 'yes' },
        expectedMetadata: { v: 1, $op: true, missing: null },
      });
      expect(patched.metadata).toEqual({ v: 2, topic: 'x', $op: true, '': 'empty', one: '1', added: 'yes' });
      // Regenerate: seqs 1–8 with 7 deleted; replace after 5 removes 6 and 8.
      const before = await repository.getThread(scope, main);
      expect(before).toMatchObject({ lastSeq: 8, messageCount: 7 });
      const replaced = await repository.appendMessages(scope, {
        threadId: main,
        replaceAfterSeq: 5,
        expectedLastSeq: 8,
        messages: [
          { id: `t${i}-user-2`, role: 'user', content: 'kept as stored' },
          { id: `t${i}-regen`, role: 'assistant', content: 'regenerated', status: 'in_progress' },
        ],
      });
      expect(replaced.map((m) => [m.id, m.seq, m.status])).toEqual([
        [`t${i}-user-2`, 5, 'completed'],
        [`t${i}-regen`, 9, 'in_progress'],
      ]);
      expect(await repository.getThread(scope, main)).toMatchObject({ lastSeq: 9, messageCount: 6 });
      // A summary sets summarySeq; truncating before it unsets it.
      await repository.appendMessages(scope, {
        threadId: main,
        messages: [{ role: 'system', content: 'summary', summaryOf: { fromSeq: 1, toSeq: 9 }, tokenCount: 3 }],
      });
      expect((await repository.getThread(scope, main))?.summarySeq).toBe(10);
      const fork = await repository.forkThread(scope, { threadId: main, id: `thread-${i}-fork-2` });
      expect(fork.summarySeq).toBe(10);
      expect(await repository.truncateThread(scope, { threadId: main, afterSeq: 5, expectedLastSeq: 10 })).toBe(2);
      const truncated = await repository.getThread(scope, main);
      expect(truncated).toMatchObject({ lastSeq: 10, messageCount: 5 });
      expect(truncated).not.toHaveProperty('summarySeq');
      // The old fork and the cleared thread.
      expect(await repository.truncateThread(scope, { threadId: `thread-${i}-fork`, afterSeq: 0 })).toBe(6);
      expect(await repository.clearThread(scope, `thread-${i}-cleared`)).toBe(0);
      expect((await repository.listThreads(scope, { metadata: { added: 'yes' } })).threads.map((t) => t.id)).toEqual([
        main, // truncated after the fork was made: newer
        `thread-${i}-fork-2`,
      ]);
    }
  });

  it('old threads take transfer, prune (across organisations and of one) and erase', async () => {
    const inspector = inspectMongoRepository(repository);
    const bob = fixture.reads[1]!.scope;
    const heir = { orgId: bob.orgId, userId: 'heir' };
    const moved = await repository.transferThread(bob, { threadId: 'thread-1-main', toUserId: heir.userId });
    expect(moved.id).toBe('thread-1-main');
    expect(await repository.getMessages(bob, { threadId: 'thread-1-main' })).toBeNull();
    expect((await repository.getMessages(heir, { threadId: 'thread-1-main' }))?.messages).toHaveLength(
      moved.messageCount,
    );
    expect(await inspector.remains?.(heir)).toBe(1 + moved.messageCount);
    // Nothing is older than the fixture: a cut before its first write prunes nothing, in every organisation.
    expect(await repository.pruneThreads({}, { inactiveBefore: new Date(1_000_000), limit: 100 })).toEqual({
      deleted: 0,
      messages: 0,
      more: false,
    });
    const orgB = { orgId: 'org-b' };
    const inOrgB = (await inspector.remains?.(orgB)) ?? Number.NaN;
    const pruned = await repository.pruneThreads(orgB, {
      inactiveBefore: new Date(Date.now() + 3_600_000),
      limit: 100,
    });
    expect(pruned.deleted).toBe(4); // thread-2-{main,fork,cleared,fork-2}
    expect(pruned.deleted + pruned.messages).toBe(inOrgB);
    expect(await inspector.remains?.(orgB)).toBe(0);
    expect((await repository.eraseOrg({ orgId: 'org-a' })).threads).toBe(8);
    expect(await inspector.remains?.({ orgId: 'org-a' })).toBe(0);
  });
});

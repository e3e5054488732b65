import { ConflictError, LIMITS, NotFoundError, ValidationError } from '@fluxibly/core';
import type { JsonObject, Scope } from '@fluxibly/core';
import { randomUUID } from 'node:crypto';
import type { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageDocument, ThreadDocument } from '../src/codec.js';
import type { MongoConversationRepository } from '../src/index.js';
import { clearPrefix, openRepository, rawClient, target } from './support/repositories.js';
import { STAND_IN_LOST_UPDATE } from './support/stand-in-skips.js';

/**
 * Contract v2 on this adapter, beyond the conformance suite: what is stored (documents, tags), metadata keys that
 * are field paths or operators elsewhere, documents without the new fields, and the races whose outcome hangs on
 * single-document atomicity (no transaction: they run on the stand-in too).
 */
const prefix = `v2_${randomUUID().slice(0, 8)}_`;
let repository: MongoConversationRepository;
let client: MongoClient;
const onStandIn = target().kind === 'stand-in';
const parsed = <T>(json: string): T => JSON.parse(json) as T;
const caught = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
const scope = (): Scope => ({ orgId: `org-${randomUUID()}`, userId: `u-${randomUUID()}` });

beforeAll(async () => {
  repository = openRepository(prefix);
  client = await rawClient();
});
afterAll(async () => {
  await repository.close();
  await client.close();
  await clearPrefix(prefix);
});

const threadDocs = () => client.db(target().dbName).collection<ThreadDocument>(`${prefix}threads`);
const messageDocs = () => client.db(target().dbName).collection<MessageDocument>(`${prefix}messages`);

/** Keys that are a field path, an operator, empty or special anywhere else. */
const NASTY_KEYS = ['a.b', '$set', '$', '', '__proto__', 'x.$y', 'constructor', '\u{1F600}.$'];

describe('stored shape', () => {
  it('stores status always, tokenCount and summaryOf only when set, and tags of primitive metadata', async () => {
    const s = scope();
    const thread = await repository.createThread(s, { metadata: { n: 1, s: '1', b: true, o: { x: 1 }, z: null } });
    await repository.appendMessages(s, {
      threadId: thread.id,
      messages: [
        { id: 'plain', role: 'user', content: 'hi' },
        { id: 'sum', role: 'system', content: 'sum', tokenCount: 7, summaryOf: { fromSeq: 1, toSeq: 1 } },
      ],
    });
    const [plain, sum] = await messageDocs().find({ threadId: thread.id }).sort({ seq: 1 }).toArray();
    expect(plain).toMatchObject({ status: 'completed' });
    expect(plain).not.toHaveProperty('tokenCount');
    expect(plain).not.toHaveProperty('summaryOf');
    expect(sum).toMatchObject({ status: 'completed', tokenCount: 7, summaryOf: { fromSeq: 1, toSeq: 1 } });
    const doc = await threadDocs().findOne({ _id: thread.id });
    expect(doc?.metadataTags).toEqual(['"n":1', '"s":"1"', '"b":true']);
    expect(doc?.summarySeq).toBe(2);
  });
});

describe('metadataPatch and expectedMetadata with keys that are paths or operators elsewhere', () => {
  it('sets and removes such keys, leaving the others, and matches them in expectedMetadata', async () => {
    const s = scope();
    const start = Object.fromEntries(NASTY_KEYS.map((key, i) => [key, i]));
    const thread = await repository.createThread(s, { metadata: parsed<JsonObject>(JSON.stringify(start)) });
    const updated = await repository.updateThread(s, {
      threadId: thread.id,
      // Parsed, so that "__proto__" is an own key.
      metadataPatch: parsed('{"a.b":"set","$set":null,"__proto__":{"deep":true},"new.$":1}'),
      expectedMetadata: parsed('{"$":2,"x.$y":5,"missing.key":null,"__proto__":4}'),
    });
    const expected = parsed<Record<string, unknown>>(JSON.stringify(start));
    delete expected.$set;
    expected['a.b'] = 'set';
    Object.defineProperty(expected, '__proto__', { value: { deep: true }, enumerable: true, writable: true });
    expected['new.$'] = 1;
    expect(updated.metadata).toEqual(expected);
    expect((await repository.getThread(s, thread.id))?.metadata).toEqual(expected);
    expect(Object.hasOwn(updated.metadata, '__proto__')).toBe(true);
    await expect(
      repository.updateThread(s, { threadId: thread.id, metadataPatch: { x: 1 }, expectedMetadata: { 'a.b': 0 } }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      repository.updateThread(s, { threadId: thread.id, metadataPatch: { x: 1 }, expectedMetadata: { $set: 1 } }),
    ).rejects.toBeInstanceOf(ConflictError);
    // Listing finds the thread by each of those keys.
    for (const [key, value] of [
      ['a.b', 'set'],
      ['new.$', 1],
      ['', 3],
      ['\u{1F600}.$', 7],
    ] as const) {
      const page = await repository.listThreads(s, { metadata: { [key]: value } });
      expect(page.threads.map((t) => t.id)).toEqual([thread.id]);
    }
    expect((await repository.listThreads(s, { metadata: { $set: 1 } })).threads).toEqual([]);
  });

  it('checks the conflict before the size, and writes nothing for an oversized merge', async () => {
    const s = scope();
    const thread = await repository.createThread(s, { metadata: { big: 'x'.repeat(LIMITS.metadataBytes - 100) } });
    const tooBig = { more: 'y'.repeat(200) };
    await expect(
      repository.updateThread(s, { threadId: thread.id, metadataPatch: tooBig, expectedMetadata: { big: 'no' } }),
    ).rejects.toBeInstanceOf(ConflictError);
    const error = await caught(repository.updateThread(s, { threadId: thread.id, metadataPatch: tooBig }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('metadataPatch');
    const after = await repository.getThread(s, thread.id);
    expect(after?.metadata).toEqual(thread.metadata);
    expect(after?.updatedAt).toEqual(thread.updatedAt);
  });

  it('32 concurrent patches of different keys all land', async (context) => {
    if (onStandIn) context.skip(STAND_IN_LOST_UPDATE);
    const s = scope();
    const thread = await repository.createThread(s, { metadata: { keep: true } });
    await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        repository.updateThread(s, { threadId: thread.id, metadataPatch: { [`k.${i}`]: i } }),
      ),
    );
    const metadata = (await repository.getThread(s, thread.id))?.metadata;
    expect(metadata).toEqual({
      keep: true,
      ...Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k.${i}`, i])),
    });
    const doc = await threadDocs().findOne({ _id: thread.id });
    expect(doc?.metadataTags).toHaveLength(33);
  });

  it('of 32 compare-and-set writers with the same expectation exactly one wins', async (context) => {
    if (onStandIn) context.skip(STAND_IN_LOST_UPDATE);
    const s = scope();
    const thread = await repository.createThread(s, { metadata: { owner: null } });
    const results = await Promise.allSettled(
      Array.from({ length: 32 }, (_, i) =>
        repository.updateThread(s, {
          threadId: thread.id,
          metadataPatch: { owner: `w${i}` },
          expectedMetadata: { owner: null },
        }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
    const winner = (won[0] as PromiseFulfilledResult<{ metadata: unknown }>).value.metadata;
    expect((await repository.getThread(s, thread.id))?.metadata).toEqual(winner);
  });

  it('a missing or foreign thread is NotFound, whatever the patch', async () => {
    const s = scope();
    const thread = await repository.createThread(s);
    await expect(
      repository.updateThread(scope(), { threadId: thread.id, metadataPatch: { a: 1 } }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      repository.updateThread(s, { threadId: 'nope', metadataPatch: { a: 1 }, expectedMetadata: { a: null } }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('listing by metadata', () => {
  it('is type-strict, ANDs the keys, keeps the order and gives full pages with cursors', async () => {
    const s = scope();
    const other = { orgId: s.orgId, userId: `u-${randomUUID()}` };
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const t = await repository.createThread(s, { metadata: { kind: i % 2 === 0 ? 'even' : 'odd', n: 1, t: true } });
      ids.push(t.id);
      await repository.createThread(s, { metadata: { kind: 'even', n: '1', t: 'true' } });
    }
    await repository.createThread(other, { metadata: { kind: 'even', n: 1, t: true } });
    const even = ids.filter((_, i) => i % 2 === 0).reverse();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repository.listThreads(s, {
        metadata: { kind: 'even', n: 1, t: true },
        limit: 3,
        ...(cursor === undefined ? {} : { cursor }),
      });
      if (page.nextCursor !== null) expect(page.threads).toHaveLength(3);
      seen.push(...page.threads.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toEqual(even);
    expect((await repository.listThreads(s, { metadata: { n: '1' } })).threads).toHaveLength(7);
    const org = await repository.listOrgThreads(s, { metadata: { kind: 'even', t: true } });
    expect(org.threads).toHaveLength(5);
  });

  it('follows metadata changes (replace and patch) and forks', async () => {
    const s = scope();
    const thread = await repository.createThread(s, { metadata: { tag: 'a' } });
    await repository.updateThread(s, { threadId: thread.id, metadata: { tag: 'b' } });
    expect((await repository.listThreads(s, { metadata: { tag: 'a' } })).threads).toEqual([]);
    await repository.updateThread(s, { threadId: thread.id, metadataPatch: { tag: 'c' } });
    expect((await repository.listThreads(s, { metadata: { tag: 'c' } })).threads.map((t) => t.id)).toEqual([thread.id]);
    const fork = await repository.forkThread(s, { threadId: thread.id });
    expect((await repository.listThreads(s, { metadata: { tag: 'c' } })).threads.map((t) => t.id)).toEqual([
      fork.id,
      thread.id,
    ]);
  });
});

describe('documents without the new fields (written before contract v2)', () => {
  it('read as completed, match expectedStatus completed, and take patches', async () => {
    const s = scope();
    const thread = await repository.createThread(s, { metadata: { a: 1 } });
    await repository.appendMessages(s, { threadId: thread.id, messages: [{ id: 'm', role: 'user', content: 'x' }] });
    await messageDocs().updateOne({ threadId: thread.id, id: 'm' }, { $unset: { status: '' } });
    await threadDocs().updateOne({ _id: thread.id }, { $unset: { metadataTags: '' } });
    const message = await repository.getMessage(s, { threadId: thread.id, messageId: 'm' });
    expect(message?.status).toBe('completed');
    await expect(
      repository.editMessage(s, {
        threadId: thread.id,
        messageId: 'm',
        status: 'incomplete',
        expectedStatus: 'in_progress',
      }),
    ).rejects.toThrow(/expectedStatus is in_progress but the message's status is completed/);
    const edited = await repository.editMessage(s, {
      threadId: thread.id,
      messageId: 'm',
      content: 'y',
      expectedStatus: 'completed',
    });
    expect(edited).toMatchObject({ content: 'y', status: 'completed' });
    const patched = await repository.updateThread(s, { threadId: thread.id, metadataPatch: { b: 2 } });
    expect(patched.metadata).toEqual({ a: 1, b: 2 });
    expect((await threadDocs().findOne({ _id: thread.id }))?.metadataTags).toEqual(['"a":1', '"b":2']);
  });

  it('migrate() tags untagged threads, guarded, and reports it once', async () => {
    const p = `v2tag_${randomUUID().slice(0, 8)}_`;
    const repo = openRepository(p);
    try {
      const s = scope();
      const thread = await repo.createThread(s, { metadata: { 'a.b': 'x', o: { y: 1 } } });
      const threads = client.db(target().dbName).collection<ThreadDocument>(`${p}threads`);
      await threads.updateOne({ _id: thread.id }, { $unset: { metadataTags: '' } });
      expect((await repo.listThreads(s, { metadata: { 'a.b': 'x' } })).threads).toEqual([]);
      expect(await repo.migrate()).toEqual([`${p}threads.metadataTags`]);
      expect(await repo.migrate()).toEqual([]);
      expect((await repo.listThreads(s, { metadata: { 'a.b': 'x' } })).threads.map((t) => t.id)).toEqual([thread.id]);
    } finally {
      await repo.close();
      await clearPrefix(p);
    }
  });
});

describe('tail replace and truncate', () => {
  it('replaceAfterSeq removes the tail, keeps ids at or before the cut, and sets messageCount and summarySeq', async () => {
    const s = scope();
    const thread = await repository.createThread(s);
    await repository.appendMessages(s, {
      threadId: thread.id,
      messages: [
        { id: 'u1', role: 'user', content: 'q' },
        { id: 's', role: 'system', content: 'sum', summaryOf: { fromSeq: 1, toSeq: 1 } },
        { id: 'a1', role: 'assistant', content: 'a' },
      ],
    });
    expect((await repository.getThread(s, thread.id))?.summarySeq).toBe(2);
    const out = await repository.appendMessages(s, {
      threadId: thread.id,
      replaceAfterSeq: 1,
      expectedLastSeq: 3,
      messages: [
        { id: 'u1', role: 'user', content: 'ignored' },
        { id: 'a2', role: 'assistant', content: 'b', status: 'in_progress', tokenCount: 3 },
      ],
    });
    expect(out.map((m) => [m.id, m.seq, m.content])).toEqual([
      ['u1', 1, 'q'],
      ['a2', 4, 'b'],
    ]);
    const after = await repository.getThread(s, thread.id);
    expect(after).toMatchObject({ lastSeq: 4, messageCount: 2 });
    expect(after).not.toHaveProperty('summarySeq');
    // The same call again is a retry: nothing written, the stored messages back.
    const again = await repository.appendMessages(s, {
      threadId: thread.id,
      replaceAfterSeq: 1,
      expectedLastSeq: 99,
      messages: [{ id: 'a2', role: 'assistant', content: 'other' }],
    });
    expect(again.map((m) => [m.id, m.seq, m.content, m.status, m.tokenCount])).toEqual([
      ['a2', 4, 'b', 'in_progress', 3],
    ]);
    expect((await repository.getThread(s, thread.id))?.updatedAt).toEqual(after?.updatedAt);
    const cut = await caught(
      repository.appendMessages(s, {
        threadId: thread.id,
        replaceAfterSeq: 5,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(cut).toBeInstanceOf(ValidationError);
    expect((cut as ValidationError).field).toBe('replaceAfterSeq');
  });

  it('truncateThread removes the tail, keeps lastSeq, unsets summarySeq beyond the cut', async () => {
    const s = scope();
    const thread = await repository.createThread(s);
    await repository.appendMessages(s, {
      threadId: thread.id,
      messages: [
        { role: 'user', content: '1' },
        { role: 'user', content: '2' },
        { role: 'system', content: 's', summaryOf: { fromSeq: 1, toSeq: 2 } },
      ],
    });
    await expect(
      repository.truncateThread(s, { threadId: thread.id, afterSeq: 1, expectedLastSeq: 2 }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(repository.truncateThread(s, { threadId: thread.id, afterSeq: 4 })).rejects.toBeInstanceOf(
      ValidationError,
    );
    const before = await repository.getThread(s, thread.id);
    expect(await repository.truncateThread(s, { threadId: thread.id, afterSeq: 3 })).toBe(0);
    expect((await repository.getThread(s, thread.id))?.updatedAt).toEqual(before?.updatedAt);
    expect(await repository.truncateThread(s, { threadId: thread.id, afterSeq: 1, expectedLastSeq: 3 })).toBe(2);
    const after = await repository.getThread(s, thread.id);
    expect(after).toMatchObject({ lastSeq: 3, messageCount: 1 });
    expect(after).not.toHaveProperty('summarySeq');
    await expect(repository.truncateThread(scope(), { threadId: thread.id, afterSeq: 0 })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

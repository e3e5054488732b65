import { ConflictError, NotFoundError, ValidationError } from '@fluxibly/core';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryOn, tempFolder } from './support/files.js';

/**
 * Contract v2 on SQLite, each rule of the brief once (the conformance suite's v2 specs check them all on every
 * backend): replaceAfterSeq, truncateThread, status / expectedStatus, tokenCount, summaryOf / summarySeq,
 * metadataPatch / expectedMetadata and the listing's metadata filter.
 */
const { file } = tempFolder();
const repo = repositoryOn(file());
afterAll(() => repo.close());
let n = 0;
const scope = (): { orgId: string; userId: string } => ({ orgId: `org-v2-${++n}`, userId: 'u' });
const user = (content: string, extra: object = {}): { role: 'user'; content: string } => ({
  role: 'user',
  content,
  ...extra,
});

async function threadWith(s: { orgId: string; userId: string }, count: number): Promise<string> {
  const thread = await repo.createThread(s);
  if (count > 0) {
    await repo.appendMessages(s, {
      threadId: thread.id,
      messages: Array.from({ length: count }, (_, i) => ({ id: `m${i + 1}`, ...user(`message ${i + 1}`) })),
    });
  }
  return thread.id;
}

describe('replaceAfterSeq', () => {
  it('replaces the tail atomically; a retry writes nothing; old ids before the cut are returned as stored', async () => {
    const s = scope();
    const threadId = await threadWith(s, 4);
    const replaced = await repo.appendMessages(s, {
      threadId,
      replaceAfterSeq: 2,
      messages: [
        { id: 'm2', ...user('ignored') },
        { id: 'm4', ...user('m4 again') },
        { id: 'x', ...user('new') },
      ],
    });
    expect(replaced.map((m) => [m.id, m.seq, m.content])).toEqual([
      ['m2', 2, 'message 2'],
      ['m4', 5, 'm4 again'],
      ['x', 6, 'new'],
    ]);
    const thread = await repo.getThread(s, threadId);
    expect(thread).toMatchObject({ lastSeq: 6, messageCount: 4 });
    // A retry of the same batch is not a replay (m2 is before the cut); a replay of the stored tail is.
    const replay = await repo.appendMessages(s, {
      threadId,
      replaceAfterSeq: 4,
      expectedLastSeq: 1,
      messages: [
        { id: 'm4', ...user('other') },
        { id: 'x', ...user('other') },
      ],
    });
    expect(replay.map((m) => [m.id, m.seq, m.content])).toEqual([
      ['m4', 5, 'm4 again'],
      ['x', 6, 'new'],
    ]);
    expect((await repo.getThread(s, threadId))?.updatedAt).toEqual(thread?.updatedAt);
  });

  it('checks expectedLastSeq, then the cut point; a missing thread is NotFound', async () => {
    const s = scope();
    const threadId = await threadWith(s, 2);
    await expect(
      repo.appendMessages(s, { threadId, replaceAfterSeq: 1, expectedLastSeq: 1, messages: [user('a')] }),
    ).rejects.toBeInstanceOf(ConflictError);
    const error = await repo
      .appendMessages(s, { threadId, replaceAfterSeq: 3, messages: [user('a')] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('replaceAfterSeq');
    await expect(
      repo.appendMessages(scope(), { threadId, replaceAfterSeq: 0, messages: [user('a')] }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('truncateThread and summarySeq', () => {
  it('removes after the cut, keeps lastSeq, unsets summarySeq beyond it; a summary append sets it', async () => {
    const s = scope();
    const threadId = await threadWith(s, 3);
    const [summary] = await repo.appendMessages(s, {
      threadId,
      messages: [{ role: 'system', content: 'summary', summaryOf: { fromSeq: 1, toSeq: 3 }, tokenCount: 7 }],
    });
    expect(summary).toMatchObject({ seq: 4, summaryOf: { fromSeq: 1, toSeq: 3 }, tokenCount: 7, status: 'completed' });
    expect(await repo.getThread(s, threadId)).toMatchObject({ summarySeq: 4 });
    const fork = await repo.forkThread(s, { threadId, atSeq: 4 });
    expect(fork.summarySeq).toBe(4);
    expect((await repo.forkThread(s, { threadId, atSeq: 3 })).summarySeq).toBeUndefined();
    const before = await repo.getThread(s, threadId);
    expect(await repo.truncateThread(s, { threadId, afterSeq: 4 })).toBe(0);
    expect((await repo.getThread(s, threadId))?.updatedAt).toEqual(before?.updatedAt);
    expect(await repo.truncateThread(s, { threadId, afterSeq: 2, expectedLastSeq: 4 })).toBe(2);
    const after = await repo.getThread(s, threadId);
    expect(after).toMatchObject({ lastSeq: 4, messageCount: 2 });
    expect(after?.summarySeq).toBeUndefined();
    await expect(repo.truncateThread(s, { threadId, afterSeq: 5 })).rejects.toBeInstanceOf(ValidationError);
    await expect(repo.truncateThread(s, { threadId, afterSeq: 1, expectedLastSeq: 3 })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(repo.truncateThread(scope(), { threadId, afterSeq: 0 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('clearThread unsets summarySeq', async () => {
    const s = scope();
    const threadId = await threadWith(s, 0);
    await repo.appendMessages(s, { threadId, messages: [{ ...user('s'), summaryOf: { fromSeq: 1, toSeq: 1 } }] });
    await repo.clearThread(s, threadId);
    expect((await repo.getThread(s, threadId))?.summarySeq).toBeUndefined();
  });
});

describe('editMessage with status', () => {
  it('expectedStatus is a compare-and-set: of two racing finishers exactly one wins', async () => {
    const s = scope();
    const threadId = await threadWith(s, 0);
    const [streaming] = await repo.appendMessages(s, {
      threadId,
      messages: [{ role: 'assistant', content: '', status: 'in_progress' }],
    });
    const messageId = streaming?.id ?? '';
    const results = await Promise.allSettled(
      ['one', 'two'].map((content) =>
        repo.editMessage(s, { threadId, messageId, content, status: 'completed', expectedStatus: 'in_progress' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError)).toHaveLength(1);
    const stored = await repo.getMessage(s, { threadId, messageId });
    expect(stored).toMatchObject({ status: 'completed' });
    expect(stored?.editedAt).toBeInstanceOf(Date);
    const edited = await repo.editMessage(s, { threadId, messageId, tokenCount: 12 });
    expect(edited).toMatchObject({ status: 'completed', tokenCount: 12 });
  });
});

describe('updateThread with metadataPatch and expectedMetadata; listing by metadata', () => {
  it('32 concurrent patches of different keys lose none', async () => {
    const s = scope();
    const thread = await repo.createThread(s, { metadata: { keep: 1 } });
    await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        repo.updateThread(s, { threadId: thread.id, metadataPatch: { [`k${i}`]: i } }),
      ),
    );
    const stored = await repo.getThread(s, thread.id);
    expect(Object.keys(stored?.metadata ?? {})).toHaveLength(33);
    const removed = await repo.updateThread(s, { threadId: thread.id, metadataPatch: { keep: null, k0: 'zero' } });
    expect(removed.metadata.keep).toBeUndefined();
    expect(removed.metadata.k0).toBe('zero');
  });

  it('expectedMetadata: null means absent or null; a conflict is checked before the size', async () => {
    const s = scope();
    const thread = await repo.createThread(s, { metadata: { state: 'open', gone: null, pad: 'p'.repeat(40_000) } });
    await expect(
      repo.updateThread(s, {
        threadId: thread.id,
        metadataPatch: { state: 'x' },
        expectedMetadata: { state: 'closed' },
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      repo.updateThread(s, {
        threadId: thread.id,
        metadataPatch: { big: 'x'.repeat(30_000) },
        expectedMetadata: { state: 'closed' },
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    const error = await repo
      .updateThread(s, { threadId: thread.id, metadataPatch: { big: 'x'.repeat(30_000) } })
      .catch((e: unknown) => e);
    expect((error as ValidationError).field).toBe('metadataPatch');
    const ok = await repo.updateThread(s, {
      threadId: thread.id,
      metadataPatch: { state: 'closed' },
      expectedMetadata: { state: 'open', gone: null, never: null },
    });
    expect(ok.metadata.state).toBe('closed');
  });

  it('listThreads filters by strict JSON equality (1 ≠ "1", true ≠ "true"), with paging', async () => {
    const s = scope();
    const values = [1, '1', true, 'true', 1, 'é"\n', null];
    const made: Record<string, string> = {};
    for (const [i, value] of values.entries()) {
      made[i] = (await repo.createThread(s, { name: `t${i}`, metadata: { v: value, 'we.ird"key': i % 2 } })).id;
    }
    const names = async (metadata: Record<string, string | number | boolean>, limit = 50): Promise<string[]> => {
      const out: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await repo.listThreads(s, { metadata, limit, ...(cursor === undefined ? {} : { cursor }) });
        out.push(...page.threads.map((t) => t.name));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return out.sort();
    };
    expect(await names({ v: 1 })).toEqual(['t0', 't4']);
    expect(await names({ v: 1 }, 1)).toEqual(['t0', 't4']);
    expect(await names({ v: '1' })).toEqual(['t1']);
    expect(await names({ v: true })).toEqual(['t2']);
    expect(await names({ v: 'true' })).toEqual(['t3']);
    expect(await names({ v: 'é"\n' })).toEqual(['t5']);
    expect(await names({ v: 1, 'we.ird"key': 0 })).toEqual(['t0', 't4']);
    expect(await names({ 'we.ird"key': 1 })).toEqual(['t1', 't3', 't5']);
    const org = await repo.listOrgThreads({ orgId: s.orgId }, { metadata: { v: 1 } });
    expect(org.threads.map((t) => t.name).sort()).toEqual(['t0', 't4']);
  });
});

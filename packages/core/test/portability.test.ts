import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  ChatThread,
  ConversationRepository,
  ExportRecord,
  NewMessage,
  Scope,
  ThreadRecord,
} from '../src/index.js';
import {
  ConflictError,
  exportConversations,
  importConversations,
  NotFoundError,
  parseJsonLines,
  toJsonLines,
  ValidationError,
} from '../src/index.js';
import { encodeMessageCursor } from '../src/cursor/cursor.js';
import { MemoryConversationRepository } from './support/memory.js';

const ORG = 'org-p';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The records after the header (which carries the export time). */
async function body(
  repository: ConversationRepository,
  scope: { orgId: string; userId?: string },
): Promise<ExportRecord[]> {
  return (await collect(exportConversations(repository, scope))).slice(1);
}

async function allMessages(repository: ConversationRepository, scope: Scope, threadId: string) {
  const page = await repository.getMessages(scope, { threadId, after: encodeMessageCursor(0), limit: 1000 });
  return page?.messages ?? [];
}

/** A conversation set that uses every field: forks, summaries, edits, deletions (gaps), statuses, names, tool calls. */
async function seed(repository: ConversationRepository): Promise<ChatThread[]> {
  const alice = { orgId: ORG, userId: 'alice' };
  const bob = { orgId: ORG, userId: 'bob' };
  const a = await repository.createThread(alice, { id: 'thread-a', name: 'Trip', metadata: { topic: 'travel' } });
  await repository.appendMessages(alice, {
    threadId: a.id,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?', name: 'Alice', metadata: { lang: 'en' } },
      {
        role: 'assistant',
        content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: { city: 'Paris' } }],
        tokenCount: 12,
      },
      { role: 'tool', content: '{"c":18}', toolCallId: 'call-1', name: 'weather' },
      { id: 'reply', role: 'assistant', content: 'Sunny, 18 °C.', status: 'in_progress' },
    ],
  });
  await repository.editMessage(alice, { threadId: a.id, messageId: 'reply', status: 'completed', content: 'Sunny.' });
  await repository.appendMessages(alice, {
    threadId: a.id,
    messages: [{ role: 'system', content: 'Asked about weather.', summaryOf: { fromSeq: 1, toSeq: 5 } }],
  });
  const [gone] = await repository.appendMessages(alice, { threadId: a.id, messages: [{ role: 'user', content: 'x' }] });
  await repository.deleteMessage(alice, { threadId: a.id, messageId: gone?.id ?? '' });
  const fork = await repository.forkThread(alice, { threadId: a.id, atSeq: 4, id: 'thread-a-fork' });
  const b = await repository.createThread(bob, { id: 'thread-b' });
  await repository.appendMessages(bob, {
    threadId: b.id,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  });
  const empty = await repository.createThread(bob, { id: 'thread-empty' });
  return [a, fork, b, empty];
}

describe('exportConversations / importConversations', () => {
  it('exports a header, then each thread followed by its messages (seq ascending), every field', async () => {
    const source = new MemoryConversationRepository();
    await seed(source);
    const records = await collect(exportConversations(source, { orgId: ORG }, { now: () => new Date(5) }));
    expect(records[0]).toEqual({ format: 'fluxibly.conversations', version: 1, exportedAt: new Date(5), orgId: ORG });
    const threads = records.filter((r) => 'type' in r && r.type === 'thread');
    expect(threads.map((t) => (t as { id: string }).id).sort()).toEqual([
      'thread-a',
      'thread-a-fork',
      'thread-b',
      'thread-empty',
    ]);
    const a = records.findIndex((r) => 'type' in r && r.type === 'thread' && r.id === 'thread-a');
    const aRecord = records[a] as ThreadRecord;
    expect(aRecord).toMatchObject({ lastSeq: 7, messageCount: 6, summarySeq: 6, metadata: { topic: 'travel' } });
    const followers = records.slice(a + 1, a + 1 + aRecord.messageCount);
    expect(followers.map((m) => (m as { seq: number }).seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(followers.every((m) => 'type' in m && m.type === 'message' && m.threadId === 'thread-a')).toBe(true);
    const fork = records.find((r) => 'type' in r && r.type === 'thread' && r.id === 'thread-a-fork');
    expect(fork).toMatchObject({ parent: { threadId: 'thread-a', seq: 4 } });
    const user = await collect(exportConversations(source, { orgId: ORG, userId: 'bob' }));
    expect(user[0]).toMatchObject({ orgId: ORG, userId: 'bob' });
    expect(user.filter((r) => 'type' in r && r.type === 'thread')).toHaveLength(2);
  });

  it('import then export gives the same records; every thread and message deep-equal; a second import writes nothing', async () => {
    const source = new MemoryConversationRepository();
    const threads = await seed(source);
    const target = new MemoryConversationRepository();
    const lines = await collect(toJsonLines(exportConversations(source, { orgId: ORG })));
    const first = await importConversations(target, parseJsonLines(lines.map((l) => l.slice(0, -1))));
    expect(first).toEqual({ threads: 4, messages: 11, skippedThreads: 0, records: 16 });
    expect(await body(target, { orgId: ORG })).toEqual(await body(source, { orgId: ORG }));
    for (const thread of threads) {
      const scope = { orgId: thread.orgId, userId: thread.userId };
      expect(await target.getThread(scope, thread.id)).toEqual(await source.getThread(scope, thread.id));
      expect(await allMessages(target, scope, thread.id)).toEqual(await allMessages(source, scope, thread.id));
    }
    const again = await importConversations(target, parseJsonLines(lines));
    expect(again).toEqual({ threads: 0, messages: 0, skippedThreads: 4, records: 16 });
    expect(await body(target, { orgId: ORG })).toEqual(await body(source, { orgId: ORG }));
  });

  it("an interrupted import repeated with 'skip' completes the thread; with 'fail' an existing thread is a ConflictError", async () => {
    const source = new MemoryConversationRepository();
    const scope = { orgId: ORG, userId: 'u' };
    await source.createThread(scope, { id: 'long' });
    const messages: NewMessage[] = Array.from({ length: 2500 }, (_, i) => ({ role: 'user', content: `m${i}` }));
    for (let i = 0; i < messages.length; i += 1000) {
      await source.appendMessages(scope, { threadId: 'long', messages: messages.slice(i, i + 1000) });
    }
    const records = await collect(exportConversations(source, { orgId: ORG }));
    const target = new MemoryConversationRepository();
    // The input fails after 1500 records: the first batch of 1000 messages was stored, the next one not.
    async function* killed(): AsyncGenerator<ExportRecord> {
      yield* records.slice(0, 1500);
      throw new Error('killed');
    }
    await expect(importConversations(target, killed())).rejects.toThrow('killed');
    expect((await target.getThread(scope, 'long'))?.messageCount).toBe(1000);
    await expect(importConversations(target, records, { onConflict: 'fail' })).rejects.toBeInstanceOf(ConflictError);
    expect((await target.getThread(scope, 'long'))?.messageCount).toBe(1000);
    expect(await importConversations(target, records, { onConflict: 'skip' })).toEqual({
      threads: 0,
      messages: 1500,
      skippedThreads: 1,
      records: 2502,
    });
    expect(await body(target, { orgId: ORG })).toEqual(records.slice(1));
  });

  it('a thread id stored under another scope is a ConflictError with either onConflict, and nothing is written to it', async () => {
    const source = new MemoryConversationRepository();
    await seed(source);
    const records = await collect(exportConversations(source, { orgId: ORG, userId: 'bob' }));
    for (const onConflict of ['skip', 'fail'] as const) {
      const target = new MemoryConversationRepository();
      await target.createThread({ orgId: 'elsewhere', userId: 'bob' }, { id: 'thread-b' });
      await target.createThread({ orgId: ORG, userId: 'carol' }, { id: 'thread-empty' });
      const error = await importConversations(target, records, { onConflict }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((await target.getThread({ orgId: 'elsewhere', userId: 'bob' }, 'thread-b'))?.messageCount).toBe(0);
    }
  });

  it('bad records are ValidationErrors naming the line and field', async () => {
    const source = new MemoryConversationRepository();
    await seed(source);
    const records = (await collect(exportConversations(source, { orgId: ORG, userId: 'bob' }))) as unknown as Record<
      string,
      unknown
    >[];
    const thread = records.findIndex((r) => r.type === 'thread' && r.id === 'thread-b');
    const cases: Array<[(rs: Record<string, unknown>[]) => unknown[], string]> = [
      [(rs) => rs.slice(1), 'line 1.format'],
      [(rs) => [{ ...rs[0], version: 2 }, ...rs.slice(1)], 'line 1.version'],
      [(rs) => rs.map((r, i) => (i === thread ? { ...r, lastSeq: -1 } : r)), `line ${thread + 1}.lastSeq`],
      [(rs) => rs.map((r, i) => (i === thread ? { ...r, orgId: 'other' } : r)), `line ${thread + 1}.orgId`],
      [(rs) => rs.map((r, i) => (i === thread + 1 ? { ...r, seq: 99 } : r)), `line ${thread + 2}.seq`],
      [(rs) => rs.map((r, i) => (i === thread + 1 ? { ...r, role: 'robot' } : r)), `line ${thread + 2}.role`],
      [(rs) => rs.map((r, i) => (i === thread + 1 ? { ...r, threadId: 'x' } : r)), `line ${thread + 2}.threadId`],
      [(rs) => rs.map((r, i) => (i === thread + 1 ? { ...r, createdAt: 'soon' } : r)), `line ${thread + 2}.createdAt`],
      [(rs) => rs.map((r, i) => (i === thread + 1 ? { ...r, type: 'note' } : r)), `line ${thread + 2}.type`],
      [(rs) => [rs[0], rs[thread + 1]], 'line 2.threadId'],
    ];
    for (const [mutate, field] of cases) {
      const target = new MemoryConversationRepository();
      const error = await importConversations(target, mutate(records)).catch((e: unknown) => e);
      expect(error, field).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    }
    await expect(
      importConversations(new MemoryConversationRepository(), records, { onConflict: 'merge' as 'skip' }),
    ).rejects.toThrow(/onConflict/);
  });

  it('parseJsonLines revives Dates and names a bad line', async () => {
    const source = new MemoryConversationRepository();
    await seed(source);
    const records = await collect(exportConversations(source, { orgId: ORG }));
    const lines = await collect(toJsonLines(records));
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(await collect(parseJsonLines(lines))).toEqual(records);
    const bad = [lines[0] ?? '', '{"type":"thread",'];
    const error = await collect(parseJsonLines(bad)).catch((e: unknown) => e);
    expect((error as ValidationError).field).toBe('line 2');
  });

  it('exports only messages up to the lastSeq its listing showed, so an append during the export cannot break the import', async () => {
    const source = new MemoryConversationRepository();
    const scope = { orgId: ORG, userId: 'u' };
    await source.createThread(scope, { id: 't' });
    await source.appendMessages(scope, { threadId: 't', messages: [{ role: 'user', content: 'a' }] });
    const iterator = exportConversations(source, { orgId: ORG })[Symbol.asyncIterator]();
    await iterator.next(); // header
    const thread = await iterator.next();
    await source.appendMessages(scope, { threadId: 't', messages: [{ role: 'user', content: 'b' }] });
    const rest: ExportRecord[] = [];
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) rest.push(next.value);
    expect(thread.value).toMatchObject({ lastSeq: 1, messageCount: 1 });
    expect(rest.map((r) => (r as { seq: number }).seq)).toEqual([1]);
  });

  it('importMessages of a thread deleted mid-import surfaces as NotFoundError', async () => {
    const source = new MemoryConversationRepository();
    await seed(source);
    const records = await collect(exportConversations(source, { orgId: ORG, userId: 'bob' }));
    const target = new MemoryConversationRepository();
    async function* deleting(): AsyncGenerator<ExportRecord> {
      for (const record of records) {
        yield record;
        if ('type' in record && record.type === 'message')
          await target.deleteThread({ orgId: ORG, userId: 'bob' }, record.threadId);
      }
    }
    await expect(importConversations(target, deleting())).rejects.toBeInstanceOf(NotFoundError);
  });
});

const text = fc.string({ maxLength: 20 });
const json = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 5 }),
  fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)),
  {
    maxKeys: 3,
  },
);
const content = fc.oneof(
  text,
  fc.array(
    fc.oneof(
      fc.record({ type: fc.constant('text'), text }),
      fc.record({ type: fc.constant('tool-call'), toolCallId: fc.uuid(), toolName: text, input: json }),
    ),
    { minLength: 1, maxLength: 3 },
  ),
);
const message = fc.record(
  {
    role: fc.constantFrom('system', 'user', 'assistant', 'tool'),
    content,
    name: fc.string({ minLength: 1, maxLength: 8 }),
    toolCallId: fc.string({ minLength: 1, maxLength: 8 }),
    metadata: json,
    status: fc.constantFrom('in_progress', 'completed', 'incomplete'),
    tokenCount: fc.nat(5000),
  },
  { requiredKeys: ['role', 'content'] },
) as fc.Arbitrary<NewMessage>;
const op = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), messages: fc.array(message, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('edit' as const), pick: fc.nat(), content: text }),
  fc.record({ kind: fc.constant('summary' as const) }),
  fc.record({ kind: fc.constant('fork' as const), pick: fc.nat() }),
);
const conversation = fc.array(
  fc.record({
    user: fc.constantFrom('u1', 'u2', 'u\u00e9'),
    name: text,
    metadata: json,
    ops: fc.array(op, { maxLength: 6 }),
  }),
  { maxLength: 4 },
);

describe('export → import round trip (property)', () => {
  it('any conversation set: the target exports exactly what the source exported, and reads the same', async () => {
    await fc.assert(
      fc.asyncProperty(conversation, async (threads) => {
        const source = new MemoryConversationRepository();
        let n = 0;
        for (const spec of threads) {
          const scope = { orgId: ORG, userId: spec.user };
          const thread = await source.createThread(scope, { id: `t${n++}`, name: spec.name, metadata: spec.metadata });
          for (const step of spec.ops) {
            const stored = await allMessages(source, scope, thread.id);
            const picked = stored.length === 0 ? undefined : stored[('pick' in step ? step.pick : 0) % stored.length];
            if (step.kind === 'append')
              await source.appendMessages(scope, { threadId: thread.id, messages: step.messages });
            else if (step.kind === 'summary' && stored.length > 0) {
              const last = stored[stored.length - 1]?.seq ?? 1;
              await source.appendMessages(scope, {
                threadId: thread.id,
                messages: [{ role: 'system', content: 'sum', summaryOf: { fromSeq: 1, toSeq: last } }],
              });
            } else if (picked === undefined) continue;
            else if (step.kind === 'delete')
              await source.deleteMessage(scope, { threadId: thread.id, messageId: picked.id });
            else if (step.kind === 'edit') {
              await source.editMessage(scope, { threadId: thread.id, messageId: picked.id, content: step.content });
            } else if (step.kind === 'fork') {
              await source.forkThread(scope, { threadId: thread.id, atSeq: picked.seq, id: `t${n++}` });
            }
          }
        }
        const lines = await collect(toJsonLines(exportConversations(source, { orgId: ORG }, { pageSize: 2 })));
        const target = new MemoryConversationRepository();
        const result = await importConversations(target, parseJsonLines(lines));
        const exported = await body(source, { orgId: ORG });
        expect(await body(target, { orgId: ORG })).toEqual(exported);
        expect(result.threads).toBe(exported.filter((r) => 'type' in r && r.type === 'thread').length);
        expect(result.messages).toBe(exported.filter((r) => 'type' in r && r.type === 'message').length);
        expect(await importConversations(target, parseJsonLines(lines))).toMatchObject({ threads: 0, messages: 0 });
      }),
      { numRuns: 60 },
    );
  });
});

import type { ChatMessage, ChatThread, ConversationRepository, NewMessage, Scope } from '@fluxibly/core';
import { LIMITS } from '@fluxibly/core';
import { beforeAll, expect } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import { expectValidation, readExistingMessages } from '../support/index.js';
import { deepContent, fidelityCases, stringOfJsonBytes, trickyKeysObject, UNICODE } from './fidelity/cases.js';
import { validateContent } from '@fluxibly/core/adapter';

/** How far a stored timestamp may be from the test's clock and still be "plausible" (a server's clock may drift). */
const CLOCK_SLACK_MS = 10 * 60_000;

/**
 * The caller-visible fields of a message, without the optional ones that are absent (`status` is always there:
 * `'completed'` unless given). Compared with `toEqual`: vitest's `toStrictEqual` compares `.constructor`, which a
 * data key named `constructor` shadows. Optional fields are copied only when present as keys, so a message that
 * returns `tokenCount: undefined` (instead of no key) differs.
 */
function body(message: NewMessage | ChatMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    role: message.role,
    content: message.content,
    metadata: message.metadata ?? {},
    status: message.status ?? 'completed',
  };
  for (const key of ['name', 'toolCallId', 'tokenCount', 'summaryOf'] as const) {
    if (key in message) out[key] = message[key] ?? '(undefined)';
  }
  return out;
}

function expectPlausibleDate(value: unknown, from: number, to: number, what: string): void {
  expect(value, `${what} is a Date`).toBeInstanceOf(Date);
  const time = (value as Date).getTime();
  expect(Number.isNaN(time), `${what} is a valid Date`).toBe(false);
  expect(time, `${what} is not long before the call`).toBeGreaterThanOrEqual(from - CLOCK_SLACK_MS);
  expect(time, `${what} is not long after the call`).toBeLessThanOrEqual(to + CLOCK_SLACK_MS);
}

/**
 * Guarantee 7: content, metadata and names come back deep-equal — through the writing instance and through a
 * fresh one — and dates come back as `Date`s. Returned objects are the caller's own copies.
 */
export const FIDELITY_GROUP = defineGroup({
  id: 'fidelity',
  title: 'round-trip fidelity',
  tests: ['round-trip', 'content-size-limit', 'depth-limit', 'proto-key', 'thread-fields', 'dates', 'copies'],
  register(context) {
    let reader: ConversationRepository;
    beforeAll(async () => {
      reader = await context.extraRepo();
    });
    const repo = (): ConversationRepository => context.repo();

    /** Append one message, then check it through append's result, getMessage, and a fresh instance's page. */
    async function roundTrip(scope: Scope, message: NewMessage): Promise<void> {
      const thread = await repo().createThread(scope);
      const [stored] = await repo().appendMessages(scope, { threadId: thread.id, messages: [message] });
      expect(stored, 'append returns the message').toBeDefined();
      expect(body(stored as ChatMessage), 'as returned by appendMessages').toEqual(body(message));
      const single = await repo().getMessage(scope, { threadId: thread.id, messageId: (stored as ChatMessage).id });
      expect(body(single as ChatMessage), 'as read by getMessage').toEqual(body(message));
      const page = await reader.getMessages(scope, { threadId: thread.id });
      expect(page?.messages).toHaveLength(1);
      expect(body(page?.messages[0] as ChatMessage), 'as read by a fresh instance').toEqual(body(message));
      expect(page?.messages[0]).toEqual(single);
    }

    context.it('round-trip').each(fidelityCases())('%s', async (_name, message) => {
      await roundTrip(context.newScope(), message);
    });

    context.it('content-size-limit')(
      'content at exactly the size limit is stored and read back; one byte more is a ValidationError',
      async () => {
        const scope = context.newScope();
        const atLimit = stringOfJsonBytes(LIMITS.contentBytes);
        expect(Buffer.byteLength(JSON.stringify(atLimit), 'utf8')).toBe(LIMITS.contentBytes);
        await roundTrip(scope, { role: 'user', content: atLimit });

        const thread = await repo().createThread(scope);
        const tooBig = stringOfJsonBytes(LIMITS.contentBytes + 1);
        await expectValidation(
          () => repo().appendMessages(scope, { threadId: thread.id, messages: [{ role: 'user', content: tooBig }] }),
          'messages[0].content',
        );
        expect(await repo().getThread(scope, thread.id)).toMatchObject({ lastSeq: 0, messageCount: 0 });
      },
    );

    context.it('depth-limit')(
      'nesting one level beyond the depth limit is a ValidationError (the at-limit case above is stored)',
      async () => {
        expect(() => validateContent(deepContent(), 'content')).not.toThrow();
        expect(() => validateContent(deepContent(1), 'content')).toThrow();
        const scope = context.newScope();
        const thread = await repo().createThread(scope);
        await expectValidation(
          () =>
            repo().appendMessages(scope, {
              threadId: thread.id,
              messages: [{ role: 'user', content: deepContent(1) }],
            }),
          'messages[0].content',
        );
        expect(await repo().getThread(scope, thread.id)).toMatchObject({ lastSeq: 0 });
      },
    );

    context.it('proto-key')('a __proto__ key stays data: nothing is polluted', async () => {
      const scope = context.newScope();
      const thread = await repo().createThread(scope);
      const [stored] = await repo().appendMessages(scope, {
        threadId: thread.id,
        messages: [{ role: 'user', content: 'x', metadata: trickyKeysObject() }],
      });
      const read = (await reader.getMessage(scope, {
        threadId: thread.id,
        messageId: stored?.id ?? '',
      })) as ChatMessage;
      for (const metadata of [stored?.metadata, read.metadata]) {
        expect(Object.prototype.hasOwnProperty.call(metadata, '__proto__')).toBe(true);
        expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
        expect((metadata as Record<string, unknown>).polluted).toBeUndefined();
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    context.it('thread-fields')(
      'thread name and metadata round-trip, through getThread, listThreads and a fresh instance',
      async () => {
        const scope = context.newScope();
        const name = `🧵 ${UNICODE.slice(0, 200)} "quoted" \\ ${freshId('n')}`;
        const metadata = { ...trickyKeysObject(), nested: { a: [null, false, 0, '', {}, []] } };
        const created = await repo().createThread(scope, { name, metadata });
        expect(created).toMatchObject({ name, metadata });
        expect(await repo().getThread(scope, created.id)).toEqual(created);
        const fresh = await reader.getThread(scope, created.id);
        expect(fresh).toEqual(created);
        const listed = await reader.listThreads(scope);
        expect(listed.threads).toEqual([created]);
      },
    );

    context.it('dates')('dates come back as plausible Dates: createdAt, updatedAt and editedAt', async () => {
      const scope = context.newScope();
      const from = Date.now();
      const thread = await repo().createThread(scope);
      const [message] = await repo().appendMessages(scope, {
        threadId: thread.id,
        messages: [{ role: 'user', content: 'when?' }],
      });
      const edited = await repo().editMessage(scope, {
        threadId: thread.id,
        messageId: message?.id ?? '',
        content: 'now',
      });
      const to = Date.now();

      const readThread = (await reader.getThread(scope, thread.id)) as ChatThread;
      const readMessage = (await reader.getMessage(scope, {
        threadId: thread.id,
        messageId: message?.id ?? '',
      })) as ChatMessage;
      for (const [what, t] of [
        ['createThread', thread],
        ['getThread (fresh instance)', readThread],
      ] as const) {
        expectPlausibleDate(t.createdAt, from, to, `${what}: createdAt`);
        expectPlausibleDate(t.updatedAt, from, to, `${what}: updatedAt`);
        expect(t.updatedAt.getTime()).toBeGreaterThanOrEqual(t.createdAt.getTime());
      }
      expect(message?.editedAt, 'a new message has no editedAt').toBeUndefined();
      expectPlausibleDate(message?.createdAt, from, to, 'appended message: createdAt');
      for (const [what, m] of [
        ['editMessage', edited],
        ['getMessage (fresh instance)', readMessage],
      ] as const) {
        expectPlausibleDate(m.createdAt, from, to, `${what}: createdAt`);
        expectPlausibleDate(m.editedAt, from, to, `${what}: editedAt`);
        expect(m.editedAt?.getTime()).toBeGreaterThanOrEqual(m.createdAt.getTime());
        expect(m.createdAt.getTime(), 'createdAt does not change on edit').toBe(message?.createdAt.getTime());
      }
      expect(readThread.updatedAt.getTime()).toBeGreaterThanOrEqual(readMessage.createdAt.getTime());
    });

    context.it('copies')(
      'returned objects are copies: mutating inputs or results never changes what is stored',
      async () => {
        const scope = context.newScope();
        const metadata = { tags: ['a'], nested: { n: 1 } };
        const thread = await repo().createThread(scope, { metadata });
        metadata.tags.push('mutated input');
        (thread.metadata.nested as Record<string, unknown>).n = 2;

        const parts = [{ type: 'text', text: 'original' }];
        const message = { role: 'user' as const, content: parts, metadata: { k: ['v'] } };
        const [stored] = await repo().appendMessages(scope, { threadId: thread.id, messages: [message] });
        parts[0] = { type: 'text', text: 'mutated input' };
        message.metadata.k.push('mutated input');
        ((stored?.content as Array<Record<string, unknown>>)[0] as Record<string, unknown>).text = 'mutated result';
        (stored?.metadata.k as unknown[]).push('mutated result');

        const page = await repo().getMessages(scope, { threadId: thread.id });
        const first = page?.messages[0] as ChatMessage;
        const original = {
          role: 'user',
          content: [{ type: 'text', text: 'original' }],
          metadata: { k: ['v'] },
          status: 'completed',
        };
        expect(body(first)).toEqual(original);
        ((first.content as Array<Record<string, unknown>>)[0] as Record<string, unknown>).text = 'mutated read';
        (first.metadata.k as unknown[]).push('mutated read');
        const again = await repo().getMessage(scope, { threadId: thread.id, messageId: first.id });
        expect(body(again as ChatMessage)).toEqual(original);

        const readThread = (await repo().getThread(scope, thread.id)) as ChatThread;
        expect(readThread.metadata).toEqual({ tags: ['a'], nested: { n: 1 } });
        (readThread.metadata.tags as unknown[]).push('mutated read');
        expect((await repo().getThread(scope, thread.id))?.metadata).toEqual({ tags: ['a'], nested: { n: 1 } });
        const all = await readExistingMessages(repo(), scope, thread.id);
        expect(all.map(body)).toEqual([original]);
      },
    );
  },
});

import type { ChatMessage, ConversationRepository, NewMessage } from '@fluxibly/core';
import { uuidv7 } from '@fluxibly/core';
import { expect } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import {
  captureState,
  expectNotFound,
  expectStateUnchanged,
  expectUuidV7,
  readExistingMessages,
  seedThread,
  seqsOf,
  textMessage,
  textMessages,
} from '../support/index.js';

/**
 * Guarantee 1 and the single-message operations: append order and numbering, getMessage, editMessage,
 * deleteMessage (gaps, seqs never reused). Deleting and clearing threads are in `lifecycle.ts`, forks in `fork.ts`.
 */
export const MESSAGES_GROUP = defineGroup({
  id: 'messages',
  title: 'messages',
  tests: [
    'append-seqs',
    'append-missing-thread',
    'get-message',
    'edit-message',
    'edit-missing',
    'delete-message',
    'delete-missing',
  ],
  register(context) {
    const repo = (): ConversationRepository => context.repo();

    context.it('append-seqs')(
      'appending k messages gives them lastSeq+1 … lastSeq+k in input order, as stored',
      async () => {
        const scope = context.newScope();
        const thread = await repo().createThread(scope);
        const first: NewMessage[] = [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'hi', id: freshId('m'), metadata: { source: 'web' } },
          { role: 'assistant', content: [{ type: 'tool-call', id: 'call-1', name: 'lookup' }] },
          { role: 'tool', content: 'result', toolCallId: 'call-1', name: 'lookup' },
        ];
        const stored = await repo().appendMessages(scope, { threadId: thread.id, messages: first });
        expect(seqsOf(stored)).toEqual([1, 2, 3, 4]);
        stored.forEach((message, i) => {
          const input = first[i] as NewMessage;
          expect(message).toMatchObject({
            threadId: thread.id,
            role: input.role,
            content: input.content,
            metadata: input.metadata ?? {},
          });
          if (input.id === undefined) expectUuidV7(message.id, 'a generated message id');
          else expect(message.id).toBe(input.id);
          expect(message.name).toBe(input.name);
          expect(message.toolCallId).toBe(input.toolCallId);
          expect(message.createdAt).toBeInstanceOf(Date);
          expect(message.editedAt, 'a new message is not edited').toBeUndefined();
        });
        expect(new Set(stored.map((m) => m.id)).size).toBe(4);

        const more = textMessages(5, { prefix: 'second batch' });
        const second = await repo().appendMessages(scope, { threadId: thread.id, messages: more });
        expect(seqsOf(second)).toEqual([5, 6, 7, 8, 9]);
        expect(second.map((m) => m.content)).toEqual(more.map((m) => m.content));
        expect(second.map((m) => m.id)).toEqual(more.map((m) => m.id));

        expect(await readExistingMessages(repo(), scope, thread.id)).toEqual([...stored, ...second]);
        expect(await repo().getThread(scope, thread.id)).toMatchObject({ lastSeq: 9, messageCount: 9 });
        const inspector = context.inspector();
        if (inspector !== undefined)
          expect(await inspector.messageSeqs(thread.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      },
    );

    context.it('append-missing-thread')('appending to a thread that never existed is a NotFoundError', async () => {
      await expectNotFound(() =>
        repo().appendMessages(context.newScope(), { threadId: uuidv7(), messages: [textMessage('user', 'hello')] }),
      );
    });

    context.it('get-message')(
      'getMessage returns one message; null for an unknown id, or an id that belongs to another thread',
      async () => {
        const scope = context.newScope();
        const a = await seedThread(repo(), scope, 3);
        const b = await seedThread(repo(), scope, 1);
        const [, second] = a.messages as [ChatMessage, ChatMessage];
        expect(await repo().getMessage(scope, { threadId: a.thread.id, messageId: second.id })).toEqual(second);
        expect(await repo().getMessage(scope, { threadId: a.thread.id, messageId: freshId('m') })).toBeNull();
        expect(await repo().getMessage(scope, { threadId: b.thread.id, messageId: second.id })).toBeNull();
        expect(await repo().getMessage(scope, { threadId: uuidv7(), messageId: second.id })).toBeNull();
      },
    );

    context.it('edit-message')(
      'editMessage replaces content and/or metadata, sets editedAt, and keeps id, seq, role, name, toolCallId, createdAt',
      async () => {
        const scope = context.newScope();
        const thread = await repo().createThread(scope);
        const [, tool] = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [
            textMessage('user', 'call a tool'),
            { role: 'tool', content: 'v1', name: 'weather', toolCallId: 'call-9', metadata: { a: 1, b: 2 } },
            textMessage('user', 'after'),
          ],
        });
        if (tool === undefined) throw new Error('append returned too few messages');
        const before = await repo().getThread(scope, thread.id);

        const contentEdit = await repo().editMessage(scope, {
          threadId: thread.id,
          messageId: tool.id,
          content: [{ type: 'text', text: 'v2' }],
        });
        const kept = {
          id: tool.id,
          threadId: thread.id,
          seq: 2,
          role: 'tool',
          name: 'weather',
          toolCallId: 'call-9',
          createdAt: tool.createdAt,
        };
        expect(contentEdit).toMatchObject({
          ...kept,
          content: [{ type: 'text', text: 'v2' }],
          metadata: { a: 1, b: 2 },
        });
        expect(contentEdit.editedAt).toBeInstanceOf(Date);
        expect(contentEdit.editedAt?.getTime()).toBeGreaterThanOrEqual(tool.createdAt.getTime());

        const metadataEdit = await repo().editMessage(scope, {
          threadId: thread.id,
          messageId: tool.id,
          metadata: { c: 3 },
        });
        expect(metadataEdit, 'metadata is replaced as a whole').toMatchObject({
          ...kept,
          content: [{ type: 'text', text: 'v2' }],
          metadata: { c: 3 },
        });
        expect(metadataEdit.editedAt?.getTime()).toBeGreaterThanOrEqual(contentEdit.editedAt?.getTime() ?? Infinity);

        const both = await repo().editMessage(scope, {
          threadId: thread.id,
          messageId: tool.id,
          content: 'v3',
          metadata: {},
        });
        expect(both).toMatchObject({ ...kept, content: 'v3', metadata: {} });
        expect(await repo().getMessage(scope, { threadId: thread.id, messageId: tool.id })).toEqual(both);
        const all = await readExistingMessages(repo(), scope, thread.id);
        expect(seqsOf(all)).toEqual([1, 2, 3]);
        expect(all[1]).toEqual(both);
        expect(await repo().getThread(scope, thread.id), 'an edit keeps lastSeq and messageCount').toMatchObject({
          lastSeq: before?.lastSeq,
          messageCount: before?.messageCount,
        });
      },
    );

    context.it('edit-missing')(
      'editMessage of a missing message or thread is a NotFoundError and changes nothing',
      async () => {
        const scope = context.newScope();
        const { thread, messages } = await seedThread(repo(), scope, 2);
        const other = await seedThread(repo(), scope, 1);
        const watched = [{ scope, threadIds: [thread.id, other.thread.id] }];
        const before = await captureState(context, watched);
        await expectNotFound(() =>
          repo().editMessage(scope, { threadId: thread.id, messageId: freshId('m'), content: 'x' }),
        );
        await expectNotFound(() =>
          repo().editMessage(scope, { threadId: other.thread.id, messageId: messages[0]?.id ?? '', content: 'x' }),
        );
        await expectNotFound(() =>
          repo().editMessage(scope, { threadId: uuidv7(), messageId: messages[0]?.id ?? '', content: 'x' }),
        );
        await expectStateUnchanged(context, watched, before);
      },
    );

    context.it('delete-message')(
      'deleteMessage leaves a gap, keeps lastSeq, returns false the second time, and a seq is never reused',
      async () => {
        const scope = context.newScope();
        const { thread, messages } = await seedThread(repo(), scope, 5);
        const [m1, m2, m3, m4, m5] = messages as [ChatMessage, ChatMessage, ChatMessage, ChatMessage, ChatMessage];
        expect(await repo().deleteMessage(scope, { threadId: thread.id, messageId: m3.id })).toBe(true);
        expect(await repo().getMessage(scope, { threadId: thread.id, messageId: m3.id })).toBeNull();
        expect(await readExistingMessages(repo(), scope, thread.id), 'other messages keep their seqs').toEqual([
          m1,
          m2,
          m4,
          m5,
        ]);
        expect(await repo().getThread(scope, thread.id)).toMatchObject({ lastSeq: 5, messageCount: 4 });
        expect(await repo().deleteMessage(scope, { threadId: thread.id, messageId: m3.id }), 'a second delete').toBe(
          false,
        );

        expect(await repo().deleteMessage(scope, { threadId: thread.id, messageId: m5.id })).toBe(true);
        const [next] = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [textMessage('user', 'next')],
        });
        expect(next?.seq, 'the seq of a deleted last message is not reused').toBe(6);
        expect(seqsOf(await readExistingMessages(repo(), scope, thread.id))).toEqual([1, 2, 4, 6]);
        expect(await repo().getThread(scope, thread.id)).toMatchObject({ lastSeq: 6, messageCount: 4 });
        const inspector = context.inspector();
        if (inspector !== undefined) expect(await inspector.messageSeqs(thread.id)).toEqual([1, 2, 4, 6]);
      },
    );

    context.it('delete-missing')(
      'deleteMessage returns false for an unknown message, a message of another thread, or a missing thread',
      async () => {
        const scope = context.newScope();
        const { thread, messages } = await seedThread(repo(), scope, 2);
        const other = await seedThread(repo(), scope, 1);
        const watched = [{ scope, threadIds: [thread.id, other.thread.id] }];
        const before = await captureState(context, watched);
        const id = messages[0]?.id ?? '';
        expect(await repo().deleteMessage(scope, { threadId: thread.id, messageId: freshId('m') })).toBe(false);
        expect(await repo().deleteMessage(scope, { threadId: other.thread.id, messageId: id })).toBe(false);
        expect(await repo().deleteMessage(scope, { threadId: uuidv7(), messageId: id })).toBe(false);
        await expectStateUnchanged(context, watched, before);
      },
    );
  },
});

import type { ConversationRepository, NewMessage, Scope } from '@fluxibly/core';
import { expect } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import {
  decoysOf,
  listAllOrgThreads,
  listAllThreads,
  NASTY_ID_TEMPLATES,
  nastyIds,
  readExistingMessages,
  textMessage,
} from '../support/index.js';

/**
 * Valid ids full of syntax (quotes, colons, braces, wildcards, `..`, backslashes, whitespace, Unicode) are opaque:
 * as org, user, message and tool-call ids they work and address only themselves, never a look-alike.
 * (Thread ids are covered in `threads.ts`.)
 */
export const NASTY_IDS_GROUP = defineGroup({
  id: 'nasty-ids',
  title: 'valid ids with special characters',
  tests: ['scope-ids', 'message-ids'],
  register(context) {
    const repo = (): ConversationRepository => context.repo();

    context.it('scope-ids').each(NASTY_ID_TEMPLATES.map((template, index) => ({ template, index })))(
      'as org and user ids: $template',
      async ({ index }) => {
        const orgId = nastyIds()[index] as string;
        const userId = nastyIds()[index] as string;
        const scope: Scope = { orgId, userId };
        const thread = await repo().createThread(scope, { name: 'nasty scope' });
        expect(thread).toMatchObject({ orgId, userId });
        await repo().appendMessages(scope, { threadId: thread.id, messages: [textMessage('user', 'hello')] });
        expect((await listAllThreads(repo(), scope)).map((t) => t.id)).toEqual([thread.id]);
        expect((await listAllOrgThreads(repo(), orgId)).map((t) => t.id)).toEqual([thread.id]);

        const lookalikes: Scope[] = [
          ...decoysOf(orgId).map((o) => ({ orgId: o, userId })),
          ...decoysOf(userId).map((u) => ({ orgId, userId: u })),
        ];
        for (const other of lookalikes) {
          const what = `scope ${JSON.stringify(other)}`;
          expect(await repo().getThread(other, thread.id), what).toBeNull();
          expect((await repo().listThreads(other)).threads, what).toEqual([]);
          expect(await repo().deleteThread(other, thread.id), what).toBe(false);
        }
        for (const o of decoysOf(orgId))
          expect((await repo().listOrgThreads({ orgId: o })).threads, `org ${JSON.stringify(o)}`).toEqual([]);
        expect(await repo().getThread(scope, thread.id)).toMatchObject({ lastSeq: 1, messageCount: 1 });
      },
    );

    context.it('message-ids')('as message ids and tool-call ids: each addresses only itself', async () => {
      const scope = context.newScope();
      const thread = await repo().createThread(scope);
      const ids = nastyIds();
      const decoys = [...new Set(ids.flatMap(decoysOf))].filter((d) => !ids.includes(d));
      const toolMessages = (list: string[]): NewMessage[] =>
        list.map((id) => ({ id, role: 'tool', content: `content of ${id}`, toolCallId: id }));
      const stored = await repo().appendMessages(scope, { threadId: thread.id, messages: toolMessages(ids) });
      expect(stored.map((m) => [m.id, m.toolCallId])).toEqual(ids.map((id) => [id, id]));
      for (const id of decoys) {
        const ref = { threadId: thread.id, messageId: id };
        expect(await repo().getMessage(scope, ref), `look-alike ${JSON.stringify(id)} before it exists`).toBeNull();
        expect(await repo().deleteMessage(scope, ref), `look-alike ${JSON.stringify(id)} before it exists`).toBe(false);
      }
      const more = await repo().appendMessages(scope, { threadId: thread.id, messages: toolMessages(decoys) });
      expect(
        more.map((m) => m.id),
        'look-alikes are new messages, not retries',
      ).toEqual(decoys);
      expect(more.map((m) => m.seq)).toEqual(decoys.map((_, i) => ids.length + i + 1));
      for (const id of ids) {
        const message = await repo().getMessage(scope, { threadId: thread.id, messageId: id });
        expect(message, `getMessage(${JSON.stringify(id)})`).toMatchObject({
          id,
          toolCallId: id,
          content: `content of ${id}`,
        });
        await repo().editMessage(scope, { threadId: thread.id, messageId: id, content: `edited ${id}` });
      }
      for (const id of ids)
        expect(
          await repo().deleteMessage(scope, { threadId: thread.id, messageId: id }),
          `delete ${JSON.stringify(id)}`,
        ).toBe(true);
      const left = await readExistingMessages(repo(), scope, thread.id);
      expect(
        left.map((m) => [m.id, m.content, m.editedAt]),
        'every look-alike is untouched',
      ).toEqual(decoys.map((id) => [id, `content of ${id}`, undefined]));
      const again = await repo().appendMessages(scope, {
        threadId: thread.id,
        messages: [textMessage('user', 'retry', decoys[0] ?? freshId('m'))],
      });
      expect(again[0]?.content, 'a look-alike id is still recognised as stored (idempotent)').toBe(
        `content of ${decoys[0] ?? ''}`,
      );
    });
  },
});

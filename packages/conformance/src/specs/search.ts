import { randomInt } from 'node:crypto';
import type { ChatMessage, ConversationRepository, Scope } from '@fluxibly/core';
import { expect } from 'vitest';
import { defineGroup } from '../group.js';
import { expectUnsupported, textMessage } from '../support/index.js';

/** A made-up lowercase word no real text contains, so only this test's messages match it. */
function distinctiveWord(): string {
  let word = 'zq';
  for (let i = 0; i < 12; i++) word += String.fromCharCode(97 + randomInt(26));
  return word;
}

/**
 * Full-text search (an optional capability): when declared, it finds a word in text content and `text` parts,
 * only within the caller's tenant, honours `threadId` and `limit`; when not declared, it is `UnsupportedError`.
 */
export const SEARCH_GROUP = defineGroup({
  id: 'search',
  title: 'searchMessages',
  tests: ['unsupported', 'finds-word', 'tenant-scoped', 'thread-filter', 'limit', 'no-deleted'],
  register(context) {
    const repo = (): ConversationRepository => context.repo();

    if (!context.options.capabilities.fullTextSearch) {
      context.it('unsupported')('rejects with UnsupportedError when fullTextSearch is not declared', async () => {
        const scope = context.newScope();
        const thread = await repo().createThread(scope);
        await repo().appendMessages(scope, { threadId: thread.id, messages: [textMessage('user', 'hello world')] });
        await expectUnsupported(() => repo().searchMessages(scope, { query: 'hello' }));
      });
      return;
    }

    async function seed(
      scope: Scope,
      contents: Array<ChatMessage['content']>,
    ): Promise<{ threadId: string; ids: string[] }> {
      const thread = await repo().createThread(scope);
      const stored = await repo().appendMessages(scope, {
        threadId: thread.id,
        messages: contents.map((content) => ({ role: 'user' as const, content })),
      });
      return { threadId: thread.id, ids: stored.map((m) => m.id) };
    }

    context.it('finds-word')('finds a distinctive word in text content and in text parts', async () => {
      const word = distinctiveWord();
      const scope = context.newScope();
      const { ids } = await seed(scope, [
        `we talked about ${word} yesterday`,
        'nothing to see here',
        [{ type: 'text', text: `a part that mentions ${word} too` }],
      ]);
      const found = await repo().searchMessages(scope, { query: word });
      expect(found.map((m) => m.id).sort()).toEqual([ids[0], ids[2]].sort());
      for (const m of found) expect(m.createdAt).toBeInstanceOf(Date);
    });

    context.it('tenant-scoped')("never returns another user's or another organisation's messages", async () => {
      const word = distinctiveWord();
      const scope = context.newScope();
      const sameOrg = { orgId: scope.orgId, userId: context.newScope().userId };
      const otherOrg = { orgId: context.newScope().orgId, userId: scope.userId };
      const mine = await seed(scope, [`mine ${word}`]);
      await seed(sameOrg, [`colleague ${word}`]);
      await seed(otherOrg, [`other org ${word}`]);
      const found = await repo().searchMessages(scope, { query: word });
      expect(found.map((m) => m.id)).toEqual(mine.ids);
      expect(await repo().searchMessages(context.newScope(), { query: word })).toEqual([]);
    });

    context.it('thread-filter')(
      'threadId restricts to one thread of the scope; a foreign threadId finds nothing',
      async () => {
        const word = distinctiveWord();
        const scope = context.newScope();
        const a = await seed(scope, [`in a ${word}`]);
        const b = await seed(scope, [`in b ${word}`, `again b ${word}`]);
        const inB = await repo().searchMessages(scope, { query: word, threadId: b.threadId });
        expect(inB.map((m) => m.id).sort()).toEqual([...b.ids].sort());
        expect(inB.every((m) => m.threadId === b.threadId)).toBe(true);
        const inA = await repo().searchMessages(scope, { query: word, threadId: a.threadId });
        expect(inA.map((m) => m.id)).toEqual(a.ids);
        const stranger = context.newScope();
        const foreign = await repo()
          .searchMessages(stranger, { query: word, threadId: a.threadId })
          .catch((e: unknown) => e);
        expect(foreign, "another tenant's threadId gives [] (as a missing one does)").toEqual([]);
      },
    );

    context.it('limit')('limit caps the number of results', async () => {
      const word = distinctiveWord();
      const scope = context.newScope();
      await seed(
        scope,
        [1, 2, 3, 4, 5].map((i) => `${word} number ${i}`),
      );
      expect(await repo().searchMessages(scope, { query: word, limit: 2 })).toHaveLength(2);
      expect(await repo().searchMessages(scope, { query: word })).toHaveLength(5);
    });

    context.it('no-deleted')('does not find deleted messages or messages of deleted threads', async () => {
      const word = distinctiveWord();
      const scope = context.newScope();
      const kept = await seed(scope, [`${word} kept`, `${word} removed`]);
      const gone = await seed(scope, [`${word} in a deleted thread`]);
      await repo().deleteMessage(scope, { threadId: kept.threadId, messageId: kept.ids[1] as string });
      await repo().deleteThread(scope, gone.threadId);
      const found = await repo().searchMessages(scope, { query: word });
      expect(found.map((m) => m.id)).toEqual([kept.ids[0]]);
    });
  },
});

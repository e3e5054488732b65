import type { ConversationRepository } from '@fluxibly/core';
import { expect } from 'vitest';
import { defineGroup } from '../group.js';

/** Guarantee 10: a repository declares its optional features, exactly as its test options say; the rest is not optional. */
export const CAPABILITIES_GROUP = defineGroup({
  id: 'capabilities',
  title: 'capabilities',
  tests: ['declared', 'always-implemented'],
  register(context) {
    const repo = (): ConversationRepository => context.repo();

    context.it('declared')('every instance declares exactly the capabilities given to the suite', async () => {
      expect(repo().capabilities).toEqual(context.options.capabilities);
      expect((await context.extraRepo()).capabilities).toEqual(context.options.capabilities);
      for (const [key, value] of Object.entries(repo().capabilities))
        expect(typeof value, `capabilities.${key}`).toBe('boolean');
    });

    context.it('always-implemented')(
      'editing and deleting single messages and forking are always implemented',
      async () => {
        const scope = context.newScope();
        const thread = await repo().createThread(scope);
        const [message] = await repo().appendMessages(scope, {
          threadId: thread.id,
          messages: [{ role: 'user', content: 'x' }],
        });
        const id = message?.id ?? '';
        expect((await repo().editMessage(scope, { threadId: thread.id, messageId: id, content: 'y' })).content).toBe(
          'y',
        );
        expect((await repo().forkThread(scope, { threadId: thread.id })).messageCount).toBe(1);
        expect(await repo().deleteMessage(scope, { threadId: thread.id, messageId: id })).toBe(true);
      },
    );
  },
});

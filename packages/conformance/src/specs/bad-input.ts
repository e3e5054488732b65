import type { ConversationRepository } from '@fluxibly/core';
import { beforeAll, expect } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import {
  captureState,
  expectStateUnchanged,
  expectValidation,
  loose,
  readExistingMessages,
  seedThread,
  textMessages,
} from '../support/index.js';
import type { Fixture } from './bad-input/case.js';
import { idCases, scopeShapeCases } from './bad-input/ids.js';
import { batchCases, messageCases } from './bad-input/messages.js';
import { pagingCases } from './bad-input/paging.js';
import { lifecycleCases } from './bad-input/lifecycle.js';
import { v2Cases } from './bad-input/v2.js';

/** Guarantee 2 and "validation first": every bad input is a `ValidationError` naming its field, and writes nothing. */
export const BAD_INPUT_GROUP = defineGroup({
  id: 'bad-input',
  title: 'bad input',
  tests: ['rejects-and-changes-nothing', 'bad-message-stores-no-batch', 'validation-first'],
  register(context) {
    const repo = (): ConversationRepository => context.repo();
    const cases = [
      ...idCases(),
      ...scopeShapeCases(),
      ...messageCases(),
      ...batchCases(),
      ...pagingCases(),
      ...v2Cases(),
      ...lifecycleCases(),
    ].filter((c) => c.search !== true || context.options.capabilities.fullTextSearch);

    let f: Fixture;
    beforeAll(async () => {
      const scope = context.newScope();
      const { thread, messages } = await seedThread(repo(), scope, 3);
      await repo().createThread(scope);
      const page = await repo().getMessages(scope, { threadId: thread.id, limit: 1 });
      const listing = await repo().listThreads(scope, { limit: 1 });
      f = {
        repo: loose(repo()),
        scope,
        threadId: thread.id,
        messageId: messages[0]?.id ?? '',
        messageCursor: page?.olderCursor ?? '',
        threadCursor: listing.nextCursor ?? '',
      };
    });

    context.it('rejects-and-changes-nothing').each(cases)('$name', async ({ call, field }) => {
      const watched = [{ scope: f.scope, threadIds: [f.threadId] }];
      const before = await captureState(context, watched);
      await expectValidation(() => call(f), field);
      await expectStateUnchanged(context, watched, before, 'after a rejected call');
    });

    context.it('bad-message-stores-no-batch')(
      'one bad message anywhere in a batch stores none of it; the good messages can then be appended',
      async () => {
        const scope = context.newScope();
        const { thread } = await seedThread(repo(), scope, 2);
        const batch = textMessages(5);
        const watched = [{ scope, threadIds: [thread.id] }];
        for (const index of [0, 2, 4]) {
          const broken: unknown[] = [...batch];
          broken[index] = { ...batch[index], content: { not: 'content' } };
          const before = await captureState(context, watched);
          await expectValidation(
            () => loose(repo()).appendMessages(scope, { threadId: thread.id, messages: broken }),
            `messages[${index}].content`,
          );
          await expectStateUnchanged(context, watched, before);
        }
        const stored = await repo().appendMessages(scope, { threadId: thread.id, messages: batch });
        expect(
          stored.map((m) => m.seq),
          'no id of the failed batches was recorded',
        ).toEqual([3, 4, 5, 6, 7]);
        expect((await readExistingMessages(repo(), scope, thread.id)).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      },
    );

    context.it('validation-first')('validation comes before idempotency and the thread lookup', async () => {
      const scope = context.newScope();
      const { thread, messages } = await seedThread(repo(), scope, 2);
      const retry = messages.map((m) => ({ id: m.id, role: m.role, content: m.content }));
      const watched = [{ scope, threadIds: [thread.id] }];
      const before = await captureState(context, watched);
      await expectValidation(
        () =>
          loose(repo()).appendMessages(scope, {
            threadId: thread.id,
            messages: [...retry, { role: 'user', content: 7 }],
          }),
        'messages[2].content',
      );
      await expectValidation(
        () =>
          loose(repo()).appendMessages(scope, {
            threadId: freshId('missing'),
            messages: [{ role: 'user', content: 7 }],
          }),
        'messages[0].content',
      );
      await expectStateUnchanged(context, watched, before);
    });
  },
});

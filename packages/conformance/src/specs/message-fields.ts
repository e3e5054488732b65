import type { ChatMessage, ConversationRepository, NewMessage, Scope } from '@fluxibly/core';
import { ConflictError } from '@fluxibly/core';
import { assert, beforeAll, expect } from 'vitest';
import { freshId } from '../context.js';
import { defineGroup } from '../group.js';
import {
  captureState,
  expectConflict,
  expectNotFound,
  expectSame,
  expectStateUnchanged,
  range,
  readExistingMessages,
  textMessage,
  waitForStoreTimeAfter,
} from '../support/index.js';

/** Messages carrying every combination of the v2 fields (seqs 1…6 in a new thread). */
const WITH_FIELDS: readonly NewMessage[] = [
  { role: 'user', content: 'plain' },
  { role: 'assistant', content: '', status: 'in_progress' },
  { role: 'assistant', content: 'cut off', status: 'incomplete', tokenCount: 0 },
  { role: 'assistant', content: [{ type: 'text', text: 'done' }], status: 'completed', tokenCount: 12_345 },
  { role: 'user', content: 'huge count', tokenCount: Number.MAX_SAFE_INTEGER },
  { role: 'system', content: 'summary', summaryOf: { fromSeq: 1, toSeq: 5 }, tokenCount: 7, status: 'completed' },
];

/** What a stored message must read back as, for a message of {@link WITH_FIELDS}. */
function expectedFields(message: NewMessage): Record<string, unknown> {
  return {
    status: message.status ?? 'completed',
    ...(message.tokenCount === undefined ? {} : { tokenCount: message.tokenCount }),
    ...(message.summaryOf === undefined ? {} : { summaryOf: message.summaryOf }),
  };
}

/** The v2 fields of a message as read: present keys only. */
function fieldsOf(message: ChatMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { status: message.status };
  for (const key of ['tokenCount', 'summaryOf'] as const) if (key in message) out[key] = message[key];
  return out;
}

/**
 * Message `status` (default `'completed'`), `tokenCount` and `summaryOf` round-trip exactly and appear only when
 * set; `editMessage` changes status and token count, and with `expectedStatus` is a compare-and-set: two racing
 * finishers of one streaming message, exactly one wins. `forkThread` copies the fields and `summarySeq`.
 */
export const MESSAGE_FIELDS_GROUP = defineGroup({
  id: 'message-fields',
  title: 'message status, token counts and summaries',
  tests: [
    'defaults',
    'round-trip',
    'edit-status-and-tokens',
    'expected-status',
    'expected-status-errors',
    'racing-finishers',
    'fork-copies',
  ],
  register(context) {
    const repo = (): ConversationRepository => context.repo();
    let other: ConversationRepository;
    beforeAll(async () => {
      other = await context.extraRepo();
    });

    async function threadWith(scope: Scope, messages: readonly NewMessage[]): Promise<[string, ChatMessage[]]> {
      const thread = await repo().createThread(scope);
      const stored = await repo().appendMessages(scope, { threadId: thread.id, messages });
      return [thread.id, stored];
    }

    async function messageOf(scope: Scope, threadId: string, messageId: string): Promise<ChatMessage> {
      const message = await repo().getMessage(scope, { threadId, messageId });
      if (message === null) return assert.fail(`message ${messageId} is missing`);
      return message;
    }

    context.it('defaults')(
      "a message appended without the new fields reads back with status 'completed' and no tokenCount or summaryOf",
      async () => {
        const scope = context.newScope();
        const [threadId, [stored]] = await threadWith(scope, [textMessage('user', 'hello defaults')]);
        const reads: ChatMessage[] = [
          stored as ChatMessage,
          await messageOf(scope, threadId, stored?.id ?? ''),
          ...(await readExistingMessages(other, scope, threadId)),
        ];
        if (context.options.capabilities.fullTextSearch) {
          reads.push(...(await repo().searchMessages(scope, { query: 'defaults', threadId })));
        }
        expect(reads).toHaveLength(context.options.capabilities.fullTextSearch ? 4 : 3);
        for (const message of reads) {
          expect(message.status).toBe('completed');
          expect(message).not.toHaveProperty('tokenCount');
          expect(message).not.toHaveProperty('summaryOf');
        }
      },
    );

    context.it('round-trip')(
      'status, tokenCount and summaryOf round-trip exactly through every read, on another instance too',
      async () => {
        const scope = context.newScope();
        const [threadId, stored] = await threadWith(scope, WITH_FIELDS);
        stored.forEach((message, i) => {
          expect(fieldsOf(message), `returned message ${i}`).toEqual(expectedFields(WITH_FIELDS[i] as NewMessage));
        });
        const read = await readExistingMessages(other, scope, threadId);
        expectSame(read, stored, 'read back on another instance');
        for (const message of stored) {
          expectSame(await messageOf(scope, threadId, message.id), message, `getMessage ${message.seq}`);
        }
        expect(await other.getThread(scope, threadId)).toMatchObject({ summarySeq: 6 });
      },
    );

    context.it('edit-status-and-tokens')(
      'editMessage sets status and tokenCount, keeps the other fields and summaryOf, sets editedAt and moves updatedAt',
      async () => {
        const scope = context.newScope();
        const [threadId, stored] = await threadWith(scope, WITH_FIELDS);
        const draft = stored[1] as ChatMessage;
        const before = await repo().getThread(scope, threadId);
        await waitForStoreTimeAfter(repo(), before?.updatedAt ?? new Date());

        const finished = await repo().editMessage(scope, { threadId, messageId: draft.id, status: 'completed' });
        expect(finished).toMatchObject({ id: draft.id, seq: draft.seq, content: '', status: 'completed' });
        expect(finished).not.toHaveProperty('tokenCount');
        expect(finished.editedAt).toBeInstanceOf(Date);
        const thread = await repo().getThread(scope, threadId);
        expect(thread?.updatedAt.getTime()).toBeGreaterThan(before?.updatedAt.getTime() ?? 0);

        const counted = await repo().editMessage(scope, { threadId, messageId: draft.id, tokenCount: 42 });
        expect(fieldsOf(counted)).toEqual({ status: 'completed', tokenCount: 42 });
        const summary = stored[5] as ChatMessage;
        const edited = await repo().editMessage(scope, {
          threadId,
          messageId: summary.id,
          content: 'better summary',
          status: 'incomplete',
          tokenCount: 3,
        });
        expect(fieldsOf(edited), 'summaryOf never changes').toEqual({
          status: 'incomplete',
          tokenCount: 3,
          summaryOf: { fromSeq: 1, toSeq: 5 },
        });
        const contentOnly = await repo().editMessage(scope, { threadId, messageId: summary.id, content: 'again' });
        expect(fieldsOf(contentOnly), 'a content edit keeps status and tokenCount').toEqual(fieldsOf(edited));
        expectSame(await readExistingMessages(other, scope, threadId), [
          stored[0],
          counted,
          ...stored.slice(2, 5),
          contentOnly,
        ]);
      },
    );

    context.it('expected-status')(
      'editMessage with expectedStatus applies only when the status matches; a mismatch is a ConflictError and writes nothing',
      async () => {
        const scope = context.newScope();
        const [threadId, stored] = await threadWith(scope, [
          textMessage('user', 'question'),
          { ...textMessage('assistant', ''), status: 'in_progress' },
        ]);
        const [question, draft] = stored as [ChatMessage, ChatMessage];
        const chunk = await repo().editMessage(scope, {
          threadId,
          messageId: draft.id,
          content: 'Once',
          expectedStatus: 'in_progress',
        });
        expect(chunk, 'a guarded content edit keeps the status').toMatchObject({
          content: 'Once',
          status: 'in_progress',
        });
        const watched = [{ scope, threadIds: [threadId] }];
        let state = await captureState(context, watched);
        for (const expectedStatus of ['completed', 'incomplete'] as const) {
          const error = await expectConflict(() =>
            repo().editMessage(scope, { threadId, messageId: draft.id, status: 'completed', expectedStatus }),
          );
          expect(error.message).toContain(expectedStatus);
        }
        await expectStateUnchanged(context, watched, state, 'after the mismatched edits');

        const done = await repo().editMessage(scope, {
          threadId,
          messageId: draft.id,
          content: 'Once upon a time.',
          status: 'completed',
          tokenCount: 5,
          expectedStatus: 'in_progress',
        });
        expect(done).toMatchObject({ content: 'Once upon a time.', status: 'completed', tokenCount: 5 });
        state = await captureState(context, watched);
        await expectConflict(() =>
          repo().editMessage(scope, {
            threadId,
            messageId: draft.id,
            status: 'incomplete',
            expectedStatus: 'in_progress',
          }),
        );
        await expectStateUnchanged(context, watched, state, 'after a second finisher');
        const plain = await repo().editMessage(scope, {
          threadId,
          messageId: question.id,
          metadata: { checked: true },
          expectedStatus: 'completed',
        });
        expect(plain, "a message appended without status is 'completed'").toMatchObject({
          status: 'completed',
          metadata: { checked: true },
        });
      },
    );

    context.it('expected-status-errors')(
      'expectedStatus on a missing thread or message is NotFound (not a conflict), and writes nothing',
      async () => {
        const scope = context.newScope();
        const [threadId] = await threadWith(scope, [textMessage('user', 'x')]);
        const watched = [{ scope, threadIds: [threadId] }];
        const state = await captureState(context, watched);
        await expectNotFound(() =>
          repo().editMessage(scope, {
            threadId,
            messageId: freshId('missing'),
            status: 'completed',
            expectedStatus: 'in_progress',
          }),
        );
        await expectNotFound(() =>
          repo().editMessage(scope, {
            threadId: freshId('missing'),
            messageId: freshId('m'),
            status: 'completed',
            expectedStatus: 'completed',
          }),
        );
        await expectStateUnchanged(context, watched, state);
      },
    );

    context.it('racing-finishers')(
      'racing finishers of one streaming message with the same expectedStatus: exactly one wins, the others conflict',
      async () => {
        const pool: ConversationRepository[] = [repo(), other];
        for (let i = 0; i < 2; i++) pool.push(await context.extraRepo());
        const scope = context.newScope();
        const rounds = Math.max(4, Math.round(4 * context.intensity));
        const racers = 8;
        for (let round = 0; round < rounds; round++) {
          const [threadId, [draft]] = await threadWith(scope, [
            { ...textMessage('assistant', 'partial'), status: 'in_progress' },
          ]);
          const messageId = draft?.id ?? '';
          const outcomes = await Promise.allSettled(
            range(0, racers - 1).map((r) =>
              (pool[r % pool.length] as ConversationRepository).editMessage(scope, {
                threadId,
                messageId,
                content: `finisher ${r}`,
                status: r % 2 === 0 ? 'completed' : 'incomplete',
                tokenCount: r,
                expectedStatus: 'in_progress',
              }),
            ),
          );
          const winners = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
          expect(winners, `round ${round}: exactly one winner`).toHaveLength(1);
          for (const outcome of outcomes) {
            if (outcome.status === 'rejected')
              expect(outcome.reason, String(outcome.reason)).toBeInstanceOf(ConflictError);
          }
          const winner = winners[0] as ChatMessage;
          const final = await messageOf(scope, threadId, messageId);
          expectSame(final, winner, 'the stored message is the winner');
          expect(final.content).toBe(`finisher ${String(final.tokenCount)}`);
        }
      },
      120_000 * Math.max(1, context.intensity),
    );

    context.it('fork-copies')(
      'forkThread copies status, tokenCount and summaryOf, and summarySeq when it is at most atSeq',
      async () => {
        const scope = context.newScope();
        const [threadId, stored] = await threadWith(scope, [...WITH_FIELDS, textMessage('user', 'after')]);
        const whole = await repo().forkThread(scope, { threadId });
        expect(whole.summarySeq).toBe(6);
        expectSame(
          await readExistingMessages(other, scope, whole.id),
          stored.map((m) => ({ ...m, threadId: whole.id })),
          'the fork has the same messages, with every field',
        );
        const atSummary = await repo().forkThread(scope, { threadId, atSeq: 6 });
        expect(atSummary.summarySeq).toBe(6);
        const before = await repo().forkThread(scope, { threadId, atSeq: 5 });
        expect(before, 'a fork that ends before the summary has no summarySeq').not.toHaveProperty('summarySeq');
        expect(await other.getThread(scope, before.id)).not.toHaveProperty('summarySeq');
        const plain = await repo().createThread(scope);
        expect(await repo().forkThread(scope, { threadId: plain.id })).not.toHaveProperty('summarySeq');
      },
    );
  },
});

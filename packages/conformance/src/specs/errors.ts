import type { ConversationRepository, FluxiblyErrorCode, Scope } from '@fluxibly/core';
import { ConflictError, FluxiblyError, NotFoundError, UnsupportedError, ValidationError } from '@fluxibly/core';
import { expect } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import { waitForStoreTimeAfter } from '../support/index.js';

/** What each case gets: a repository, the owner's scope, another tenant, and a thread with two messages. */
interface Fixture {
  repo: ConversationRepository;
  scope: Scope;
  stranger: Scope;
  threadId: string;
  messageId: string;
  /** When the fixture was last written. */
  updatedAt: Date;
}

type Case = [name: string, code: FluxiblyErrorCode, call: (f: Fixture) => Promise<unknown>];

/** Untyped input, as a JavaScript caller (or a bad cast) could pass it. */
const bad = <T>(value: unknown): T => value as T;

const CASES: Case[] = [
  ['a scope without userId', 'VALIDATION', (f) => f.repo.getThread(bad({ orgId: f.scope.orgId }), f.threadId)],
  ['a null scope', 'VALIDATION', (f) => f.repo.listThreads(bad(null))],
  ['an empty orgId', 'VALIDATION', (f) => f.repo.createThread({ orgId: '', userId: f.scope.userId })],
  ['a numeric thread id', 'VALIDATION', (f) => f.repo.getMessages(f.scope, { threadId: bad(42) })],
  ['an id longer than 255 characters', 'VALIDATION', (f) => f.repo.createThread(f.scope, { id: 'x'.repeat(256) })],
  ['a missing input object', 'VALIDATION', (f) => f.repo.appendMessages(f.scope, bad(undefined))],
  ['an empty batch', 'VALIDATION', (f) => f.repo.appendMessages(f.scope, { threadId: f.threadId, messages: [] })],
  [
    'an unknown role',
    'VALIDATION',
    (f) => f.repo.appendMessages(f.scope, { threadId: f.threadId, messages: [{ role: bad('robot'), content: 'x' }] }),
  ],
  [
    'content that is a number',
    'VALIDATION',
    (f) => f.repo.appendMessages(f.scope, { threadId: f.threadId, messages: [{ role: 'user', content: bad(1) }] }),
  ],
  [
    'a part without type',
    'VALIDATION',
    (f) =>
      f.repo.appendMessages(f.scope, {
        threadId: f.threadId,
        messages: [{ role: 'user', content: bad([{ text: 'x' }]) }],
      }),
  ],
  [
    'a Date inside metadata',
    'VALIDATION',
    (f) =>
      f.repo.appendMessages(f.scope, {
        threadId: f.threadId,
        messages: [{ role: 'user', content: 'x', metadata: bad({ at: new Date() }) }],
      }),
  ],
  [
    'a negative expectedLastSeq',
    'VALIDATION',
    (f) =>
      f.repo.appendMessages(f.scope, {
        threadId: f.threadId,
        expectedLastSeq: -1,
        messages: [{ role: 'user', content: 'x' }],
      }),
  ],
  ['limit 0', 'VALIDATION', (f) => f.repo.getMessages(f.scope, { threadId: f.threadId, limit: 0 })],
  ['limit 1001', 'VALIDATION', (f) => f.repo.listThreads(f.scope, { limit: 1001 })],
  [
    'a forged message cursor',
    'VALIDATION',
    (f) => f.repo.getMessages(f.scope, { threadId: f.threadId, before: 'not-a-cursor' }),
  ],
  ['a forged thread cursor', 'VALIDATION', (f) => f.repo.listThreads(f.scope, { cursor: 'not-a-cursor' })],
  [
    'an unknown order',
    'VALIDATION',
    (f) => f.repo.getMessages(f.scope, { threadId: f.threadId, order: bad('sideways') }),
  ],
  [
    'an edit with nothing to change',
    'VALIDATION',
    (f) => f.repo.editMessage(f.scope, { threadId: f.threadId, messageId: f.messageId }),
  ],
  ['a fork beyond lastSeq', 'VALIDATION', (f) => f.repo.forkThread(f.scope, { threadId: f.threadId, atSeq: 3 })],
  ['a taken thread id', 'CONFLICT', (f) => f.repo.createThread(f.stranger, { id: f.threadId })],
  ['a taken fork id', 'CONFLICT', (f) => f.repo.forkThread(f.scope, { threadId: f.threadId, id: f.threadId })],
  [
    'a stale expectedLastSeq',
    'CONFLICT',
    (f) =>
      f.repo.appendMessages(f.scope, {
        threadId: f.threadId,
        expectedLastSeq: 1,
        messages: [{ role: 'user', content: 'x' }],
      }),
  ],
  [
    'an append to a missing thread',
    'NOT_FOUND',
    (f) => f.repo.appendMessages(f.scope, { threadId: freshId('missing'), messages: [{ role: 'user', content: 'x' }] }),
  ],
  [
    "an append to another tenant's thread",
    'NOT_FOUND',
    (f) => f.repo.appendMessages(f.stranger, { threadId: f.threadId, messages: [{ role: 'user', content: 'x' }] }),
  ],
  [
    "an update of another tenant's thread",
    'NOT_FOUND',
    (f) => f.repo.updateThread(f.stranger, { threadId: f.threadId, name: 'mine now' }),
  ],
  ["a clear of another tenant's thread", 'NOT_FOUND', (f) => f.repo.clearThread(f.stranger, f.threadId)],
  [
    'an edit of a missing message',
    'NOT_FOUND',
    (f) => f.repo.editMessage(f.scope, { threadId: f.threadId, messageId: freshId('missing'), content: 'x' }),
  ],
  [
    "an edit in another tenant's thread",
    'NOT_FOUND',
    (f) => f.repo.editMessage(f.stranger, { threadId: f.threadId, messageId: f.messageId, content: 'x' }),
  ],
  ["a fork of another tenant's thread", 'NOT_FOUND', (f) => f.repo.forkThread(f.stranger, { threadId: f.threadId })],
];

/** Every code a repository may throw. */
const ERROR_CODES: readonly FluxiblyErrorCode[] = ['NOT_FOUND', 'VALIDATION', 'CONFLICT', 'UNAVAILABLE', 'UNSUPPORTED'];

const CLASSES = {
  NOT_FOUND: NotFoundError,
  VALIDATION: ValidationError,
  CONFLICT: ConflictError,
  UNSUPPORTED: UnsupportedError,
} as const;

/**
 * Guarantee 9: every error a repository throws is a `FluxiblyError` with a known `code` and the matching class;
 * a `ValidationError` names its field; not-found errors for another tenant's thread never name that tenant.
 */
export const ERRORS_GROUP = defineGroup({
  id: 'errors',
  title: 'typed errors',
  tests: ['typed-error', 'names-offending-message'],
  register(context) {
    async function fixture(): Promise<Fixture> {
      const repo = context.repo();
      const scope = context.newScope();
      const thread = await repo.createThread(scope, { name: 'errors' });
      const [message] = await repo.appendMessages(scope, {
        threadId: thread.id,
        messages: [
          { role: 'user', content: 'one' },
          { role: 'assistant', content: 'two' },
        ],
      });
      return {
        repo,
        scope,
        stranger: context.newScope(),
        threadId: thread.id,
        messageId: message?.id ?? '',
        updatedAt: (await repo.getThread(scope, thread.id))?.updatedAt ?? thread.updatedAt,
      };
    }

    context.it('typed-error').each(CASES)('%s: %s', async (_name, code, call) => {
      const f = await fixture();
      const snapshot = async (): Promise<unknown> => {
        const inspector = context.inspector();
        return inspector === undefined
          ? undefined
          : [await inspector.snapshot(f.scope.orgId), await inspector.snapshot(f.stranger.orgId)];
      };
      const before = await snapshot();
      // Let the store's clock pass the fixture's writes, so a failed call that touched a thread would show.
      if (before !== undefined) await waitForStoreTimeAfter(f.repo, f.updatedAt);
      let caught: unknown;
      try {
        await call(f);
      } catch (error) {
        caught = error;
      }
      expect(caught, 'the call must throw').toBeDefined();
      expect(caught).toBeInstanceOf(Error);
      expect(caught, `a FluxiblyError, got ${String(caught)}`).toBeInstanceOf(FluxiblyError);
      const error = caught as FluxiblyError;
      expect(ERROR_CODES).toContain(error.code);
      expect(error.code, error.message).toBe(code);
      expect(error).toBeInstanceOf(CLASSES[code as keyof typeof CLASSES]);
      expect(FluxiblyError.is(error, code)).toBe(true);
      expect(typeof error.message === 'string' && error.message.length > 0).toBe(true);
      if (error instanceof ValidationError) expect(error.field.length).toBeGreaterThan(0);
      if (code === 'NOT_FOUND') {
        expect(error.message).not.toContain(f.scope.orgId);
        expect(error.message).not.toContain(f.scope.userId);
      }
      if (before !== undefined) {
        expect(await snapshot(), 'a failed call writes nothing').toEqual(before);
      }
    });

    context.it('names-offending-message')('a ValidationError names the offending message of a batch', async () => {
      const f = await fixture();
      const error = await f.repo
        .appendMessages(f.scope, {
          threadId: f.threadId,
          messages: [
            { role: 'user', content: 'fine' },
            { role: 'user', content: 'fine' },
            { role: 'user', content: bad(undefined) },
          ],
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toMatch(/^messages\[2\]/);
    });
  },
});

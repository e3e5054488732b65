import type { ConversationRepository, Scope } from '@fluxibly/core';
import { UnavailableError } from '@fluxibly/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { freshId } from '../context.js';
import { rejectionOf } from '../support/index.js';

type Call = (repo: ConversationRepository, scope: Scope, threadId: string) => Promise<unknown>;

/** Every method, with valid input, so only the backend's absence can make it fail. */
const CALLS: ReadonlyArray<readonly [string, Call]> = [
  ['createThread', (r, s) => r.createThread(s, { name: 'x' })],
  ['getThread', (r, s, t) => r.getThread(s, t)],
  ['listThreads', (r, s) => r.listThreads(s)],
  ['listOrgThreads', (r, s) => r.listOrgThreads({ orgId: s.orgId })],
  ['updateThread', (r, s, t) => r.updateThread(s, { threadId: t, name: 'y' })],
  ['appendMessages', (r, s, t) => r.appendMessages(s, { threadId: t, messages: [{ role: 'user', content: 'hi' }] })],
  ['getMessages', (r, s, t) => r.getMessages(s, { threadId: t })],
  ['getMessage', (r, s, t) => r.getMessage(s, { threadId: t, messageId: 'm' })],
  ['editMessage', (r, s, t) => r.editMessage(s, { threadId: t, messageId: 'm', content: 'x' })],
  ['deleteMessage', (r, s, t) => r.deleteMessage(s, { threadId: t, messageId: 'm' })],
  ['clearThread', (r, s, t) => r.clearThread(s, t)],
  ['forkThread', (r, s, t) => r.forkThread(s, { threadId: t })],
  ['deleteThread', (r, s, t) => r.deleteThread(s, t)],
];

/**
 * Guarantee 9 when the backend is gone: every call rejects (never throws synchronously, never hangs past the
 * test timeout) with `UnavailableError`, carrying the driver's error as `cause`, with no secret in its message;
 * `close()` still works. Also: `close()` is idempotent on a healthy instance. Runs when `options.unavailable` is set.
 */
export function registerUnavailable(context: SuiteContext): void {
  describe('unavailable backend', () => {
    it('close() is idempotent', async () => {
      const repo = await context.extraRepo();
      await repo.close();
      await expect(repo.close()).resolves.toBeUndefined();
    });

    const target = context.options.unavailable;
    if (target === undefined) return;

    const calls: ReadonlyArray<readonly [string, Call]> = context.options.capabilities.fullTextSearch
      ? [...CALLS, ['searchMessages', (r, s) => r.searchMessages(s, { query: 'hello' })]]
      : CALLS;
    it.each(calls)('%s rejects with UnavailableError', async (_name, call) => {
      const repo = await target.create();
      try {
        const error = await rejectionOf(() => call(repo, context.newScope(), freshId('thread')));
        expect(error).toBeInstanceOf(UnavailableError);
        const unavailable = error as UnavailableError;
        expect(unavailable.code).toBe('UNAVAILABLE');
        if (target.driverCause !== false) expect(unavailable.cause, 'the driver error is the cause').toBeDefined();
        if (target.secret !== undefined) {
          expect(unavailable.message).not.toContain(target.secret);
          expect(String(unavailable)).not.toContain(target.secret);
        }
      } finally {
        await repo.close();
      }
    });
  });
}

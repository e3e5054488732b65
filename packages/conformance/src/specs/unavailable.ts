import { UnavailableError } from '@fluxibly/core';
import { expect } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import { expectNoSecret, methodCalls, printError, rejectionOf } from '../support/index.js';

/**
 * Guarantee 9 when the backend is gone: every call rejects (never throws synchronously, never hangs past the
 * test timeout) with `UnavailableError`, carrying a printable copy of the driver's error as `cause` (a name and a
 * message), with the secret nowhere in the error or its cause chain; `close()` still works. Also: `close()` is
 * idempotent on a healthy instance. Runs when `options.unavailable` is set.
 */
export const UNAVAILABLE_GROUP = defineGroup({
  id: 'unavailable',
  title: 'unavailable backend',
  tests: ['close-idempotent', 'rejects'],
  register(context) {
    context.it('close-idempotent')('close() is idempotent', async () => {
      const repo = await context.extraRepo();
      await repo.close();
      await expect(repo.close()).resolves.toBeUndefined();
    });

    const target = context.options.unavailable;
    if (target === undefined) return;

    context.it('rejects').each(methodCalls(context.options.capabilities))(
      '%s rejects with UnavailableError',
      async (_name, call) => {
        const repo = await target.create();
        try {
          const error = await rejectionOf(() => call(repo, context.newScope(), freshId('thread')));
          expect(error).toBeInstanceOf(UnavailableError);
          const unavailable = error as UnavailableError;
          expect(unavailable.code).toBe('UNAVAILABLE');
          if (target.driverCause !== false) {
            const cause: unknown = unavailable.cause;
            expect(cause, 'the driver error is the cause (a printable copy)').toBeDefined();
            const { name, message } = (cause ?? {}) as { name?: unknown; message?: unknown };
            expect(typeof name === 'string' && name.length > 0, 'the cause has a name').toBe(true);
            expect(typeof message, 'the cause has a message').toBe('string');
          }
          if (target.secret !== undefined) expectNoSecret(printError(unavailable), target.secret, 'the error');
        } finally {
          await repo.close();
        }
      },
    );
  },
});

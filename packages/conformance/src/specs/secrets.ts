import type { ConversationRepository } from '@fluxibly/core';
import { FluxiblyError } from '@fluxibly/core';
import type { TestContext } from 'vitest';
import { describe, expect } from 'vitest';
import { defineGroup } from '../group.js';
import { freshId } from '../context.js';
import type { SecretsTarget } from '../options.js';
import { expectNoSecret, methodCalls, printError, printRepository, rejectionOf } from '../support/index.js';

type Kind = readonly [label: string, make: () => Promise<ConversationRepository>];

/** Report forms that could not be printed (e.g. `JSON.stringify` of a circular structure): not leaks, but noted. */
async function report(test: TestContext, notes: readonly string[]): Promise<void> {
  for (const note of new Set(notes)) await test.annotate(`not a leak: ${note}`, 'notice');
}

/** The backend failures a secret must survive: an unreachable server always, a wrong password when given. */
function kinds(target: SecretsTarget): Kind[] {
  const out: Kind[] = [['unreachable server', target.unreachable.bind(target)]];
  const authFailure = target.authFailure?.bind(target);
  if (authFailure !== undefined) out.push(['wrong password', authFailure]);
  return out;
}

/**
 * Guarantee 9, secrets: the password of a connection URL appears in no printable surface — the repository
 * itself, or any error of any method with its whole `cause` chain — for an unreachable server, a wrong password
 * and a closed repository. Runs when `options.secrets` is set; otherwise one skipped test says it did not run.
 */
export const SECRETS_GROUP = defineGroup({
  id: 'secrets',
  title: 'secrets',
  tests: ['not-run', 'repository', 'method-error', 'after-close'],
  register(context) {
    const target = context.options.secrets;
    if (target === undefined) {
      context.it('not-run')('secrets are never printed', (test) => {
        test.skip('not run: the adapter gave no `secrets` target (a repository whose URL holds a password)');
      });
      return;
    }
    const { secret } = target;
    const calls = methodCalls(context.options.capabilities);

    describe.each(kinds(target))('%s', (_label, make) => {
      context.it('repository')(
        'the repository prints no secret: new, after a failed call, after close()',
        async (test) => {
          const repo = await make();
          const notes: string[] = [];
          try {
            notes.push(...expectNoSecret(printRepository(repo), secret, 'a new repository'));
            await rejectionOf(() => repo.getThread(context.newScope(), freshId('thread')));
            notes.push(...expectNoSecret(printRepository(repo), secret, 'after a failed call'));
          } finally {
            await repo.close().catch((error: unknown) => {
              notes.push(...expectNoSecret(printError(error), secret, 'the error of close()'));
            });
          }
          notes.push(...expectNoSecret(printRepository(repo), secret, 'after close()'));
          await report(test, notes);
        },
      );

      context.it('method-error').for(calls)(
        '%s: the error and its whole cause chain print no secret',
        async ([, call], test) => {
          const repo = await make();
          try {
            const error = await rejectionOf(() => call(repo, context.newScope(), freshId('thread')));
            expect(FluxiblyError.is(error), `a typed error, got ${String(error)}`).toBe(true);
            await report(test, expectNoSecret(printError(error), secret, 'the error'));
          } finally {
            await repo.close();
          }
        },
      );

      context.it('after-close')(
        'after close(), every method rejects with an error that prints no secret',
        async (test) => {
          const repo = await make();
          await rejectionOf(() => repo.listThreads(context.newScope()));
          await repo.close();
          const notes: string[] = [];
          for (const [name, call] of calls) {
            const error = await rejectionOf(() => call(repo, context.newScope(), freshId('thread')));
            expect(FluxiblyError.is(error), `${name}: a typed error, got ${String(error)}`).toBe(true);
            notes.push(...expectNoSecret(printError(error), secret, `${name} after close()`));
          }
          await report(test, notes);
        },
      );
    });
  },
});

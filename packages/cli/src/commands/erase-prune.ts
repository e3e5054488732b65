import { createInterface } from 'node:readline/promises';
import type { CommandContext } from '../context.js';
import { withBackend } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';

/** `fluxibly erase --org X [--user Y] [--yes]`: every thread and message of the org / user, in resumable batches. */
export async function eraseCommand(
  context: CommandContext,
  options: { org: string; user?: string; yes?: boolean },
): Promise<void> {
  const what =
    options.user === undefined ? `organisation ${options.org}` : `user ${options.user} of organisation ${options.org}`;
  if (options.yes !== true) {
    if (context.io.stdin.isTTY !== true || context.io.stderr.isTTY !== true) {
      throw new CliError(
        EXIT.usage,
        `erase deletes every thread and message of ${what}: pass --yes to confirm when not on a terminal`,
      );
    }
    const expected = options.user ?? options.org;
    const prompt = createInterface({ input: context.io.stdin, output: context.io.stderr });
    const answer = await prompt.question(
      `Erase every thread and message of ${what}? Type ${JSON.stringify(expected)} to confirm: `,
    );
    prompt.close();
    if (answer.trim() !== expected) throw new CliError(EXIT.aborted, 'not confirmed; nothing erased');
  }
  await withBackend(context.open(), async ({ repository }) => {
    const result =
      options.user === undefined
        ? await repository.eraseOrg({ orgId: options.org })
        : await repository.eraseUser({ orgId: options.org, userId: options.user });
    context.result(
      { orgId: options.org, ...(options.user === undefined ? {} : { userId: options.user }), ...result },
      `erased ${result.threads} threads, ${result.messages} messages of ${what}`,
    );
  });
}

/** `fluxibly prune --inactive-days N [--org X] [--batch N]`: delete inactive threads, oldest first, in batches. */
export async function pruneCommand(
  context: CommandContext,
  options: { inactiveDays: number; org?: string; batch: number },
): Promise<void> {
  const inactiveBefore = new Date(Date.now() - options.inactiveDays * 86_400_000);
  await withBackend(context.open(), async ({ repository }) => {
    const progress = context.progress('prune');
    const total = { threads: 0, messages: 0 };
    try {
      for (;;) {
        const result = await repository.pruneThreads(options.org === undefined ? {} : { orgId: options.org }, {
          inactiveBefore,
          limit: options.batch,
        });
        total.threads += result.deleted;
        total.messages += result.messages;
        progress.update(total);
        if (!result.more) break;
      }
    } finally {
      progress.stop();
    }
    context.result(
      {
        inactiveBefore: inactiveBefore.toISOString(),
        ...(options.org === undefined ? {} : { orgId: options.org }),
        deleted: total.threads,
        messages: total.messages,
      },
      `pruned ${total.threads} threads (${total.messages} messages) inactive since ${inactiveBefore.toISOString()}`,
    );
  });
}

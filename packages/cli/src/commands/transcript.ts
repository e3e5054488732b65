import { createWriteStream } from 'node:fs';
import { transcriptChunks } from '@fluxibly/core';
import type { CommandContext } from '../context.js';
import { withBackend } from '../context.js';
import { writeAll } from './export-import.js';

/** `fluxibly transcript --thread T --org X --user Y [--out file]`: the thread as Markdown. */
export async function transcriptCommand(
  context: CommandContext,
  options: { thread: string; org: string; user: string; out?: string },
): Promise<void> {
  await withBackend(context.open(), async ({ repository }) => {
    const chunks = transcriptChunks(repository, { orgId: options.org, userId: options.user }, options.thread);
    if (options.out === undefined || options.out === '-') {
      await writeAll(chunks, context.io.stdout, false);
      return;
    }
    await writeAll(chunks, createWriteStream(options.out), true);
    context.result({ threadId: options.thread, out: options.out }, `wrote ${options.out}`);
  });
}

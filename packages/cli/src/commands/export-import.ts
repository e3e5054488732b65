import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ExportRecord, ImportConflict } from '@fluxibly/core';
import { exportConversations, importConversations, isExportHeader, parseJsonLines, toJsonLines } from '@fluxibly/core';
import type { CommandContext } from '../context.js';
import { withBackend } from '../context.js';

/** Write `chunks` to `stream`, waiting for it to drain (constant memory), then end it. */
export async function writeAll(
  chunks: AsyncIterable<string>,
  stream: NodeJS.WritableStream,
  end: boolean,
): Promise<void> {
  for await (const chunk of chunks) {
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
  if (end) {
    stream.end();
    await once(stream, 'finish');
  }
}

/** Count records as they pass. */
async function* counted(
  records: AsyncIterable<ExportRecord>,
  counts: { threads: number; messages: number },
  onCount: () => void,
): AsyncGenerator<ExportRecord> {
  for await (const record of records) {
    if (!isExportHeader(record)) {
      if (record.type === 'thread') counts.threads += 1;
      else counts.messages += 1;
      if (record.type === 'thread' || counts.messages % 500 === 0) onCount();
    }
    yield record;
  }
}

/** `fluxibly export --org X [--user Y] [--out file]`: JSON Lines to the file or stdout. */
export async function exportCommand(
  context: CommandContext,
  options: { org: string; user?: string; out?: string },
): Promise<void> {
  await withBackend(context.open(), async ({ repository }) => {
    const scope = options.user === undefined ? { orgId: options.org } : { orgId: options.org, userId: options.user };
    const counts = { threads: 0, messages: 0 };
    const progress = context.progress('export');
    const records = counted(exportConversations(repository, scope), counts, () => progress.update(counts));
    const toFile = options.out !== undefined && options.out !== '-';
    const stream = toFile ? createWriteStream(options.out as string) : context.io.stdout;
    try {
      await writeAll(toJsonLines(records), stream, toFile);
    } finally {
      progress.stop();
    }
    const summary = { ...scope, ...counts, out: toFile ? options.out : null };
    const line = `exported ${counts.threads} threads, ${counts.messages} messages${toFile ? ` to ${options.out}` : ''}`;
    if (toFile) context.result(summary, line);
    else if (context.json) context.io.stderr.write(`${JSON.stringify(summary)}\n`);
    else context.note(line);
  });
}

/** `fluxibly import --file f [--on-conflict skip|fail]` (`-` reads stdin). */
export async function importCommand(
  context: CommandContext,
  options: { file: string; onConflict: ImportConflict },
): Promise<void> {
  await withBackend(context.open(), async ({ repository }) => {
    const input = options.file === '-' ? context.io.stdin : createReadStream(options.file);
    const lines = createInterface({ input, crlfDelay: Infinity });
    const progress = context.progress('import');
    try {
      const result = await importConversations(repository, parseJsonLines(lines), {
        onConflict: options.onConflict,
        onProgress: (p) => progress.update({ threads: p.threads + p.skippedThreads, messages: p.messages }),
      });
      progress.stop();
      context.result(
        result,
        `imported ${result.threads} threads, ${result.messages} messages` +
          (result.skippedThreads > 0
            ? ` (${result.skippedThreads} threads already there: their missing messages added)`
            : ''),
      );
    } finally {
      lines.close();
      progress.stop();
    }
  });
}

import type { ConversationRepository, ExportScope } from '@fluxibly/core';
import { exportConversations, importConversations, iterateThreads } from '@fluxibly/core';
import { backendSource, envFileVariables, openBackend } from '../backend.js';
import type { ConversationDigest } from '../checksum.js';
import { digestConversations } from '../checksum.js';
import type { CommandContext } from '../context.js';
import { withBackend } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';

/**
 * `fluxibly copy --org X [--user Y] --to-env-file target.env [--no-verify]`: export from the source backend straight
 * into the target's import (streaming, constant memory), then verify both sides by counts and checksum. Resumable:
 * run it again after an interruption and it completes the target (stored threads are kept, stored messages skipped).
 */
export async function copyCommand(
  context: CommandContext,
  options: { org: string; user?: string; toEnvFile: string; verify: boolean },
): Promise<void> {
  const targetVariables = await envFileVariables(options.toEnvFile);
  if ((targetVariables.DB_BACKEND ?? '').trim() === '') {
    throw new CliError(EXIT.usage, `${options.toEnvFile} must set DB_BACKEND (the target backend)`);
  }
  const scope: ExportScope =
    options.user === undefined ? { orgId: options.org } : { orgId: options.org, userId: options.user };
  await withBackend(context.open(), async (source) => {
    await withBackend(openBackend(await backendSource(options.toEnvFile, 'target')), async (target) => {
      const total =
        context.json || context.options.quiet === true ? undefined : await messageTotal(source.repository, scope);
      const progress = context.progress(
        `copy ${source.backend} → ${target.backend}`,
        total === undefined ? {} : { totalMessages: total },
      );
      const started = Date.now();
      let result;
      try {
        result = await importConversations(target.repository, exportConversations(source.repository, scope), {
          onConflict: 'skip',
          onProgress: (p) => progress.update({ threads: p.threads + p.skippedThreads, messages: p.messages }),
        });
      } finally {
        progress.stop();
      }
      const seconds = (Date.now() - started) / 1000;
      let verification: { source: ConversationDigest; target: ConversationDigest; ok: boolean } | null = null;
      if (options.verify) {
        const verifying = context.progress('verify');
        const [sourceDigest, targetDigest] = await Promise.all([
          digestConversations(source.repository, scope, (c) => verifying.update(c)),
          digestConversations(target.repository, scope),
        ]);
        verifying.stop();
        verification = {
          source: sourceDigest,
          target: targetDigest,
          ok:
            sourceDigest.threads === targetDigest.threads &&
            sourceDigest.messages === targetDigest.messages &&
            sourceDigest.checksum === targetDigest.checksum,
        };
      }
      const summary = {
        ...scope,
        from: source.backend,
        to: target.backend,
        threads: result.threads,
        messages: result.messages,
        skippedThreads: result.skippedThreads,
        seconds,
        messagesPerSecond: Math.round(result.messages / Math.max(seconds, 0.001)),
        verification,
        /** This process's peak resident memory (bytes): constant whatever the copy's size. */
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
      };
      const lines = [
        `copied ${result.threads} threads, ${result.messages} messages (${summary.messagesPerSecond} messages/s)` +
          (result.skippedThreads > 0 ? `; ${result.skippedThreads} threads were already there (completed)` : ''),
      ];
      if (verification !== null) {
        lines.push(
          `verify: source ${verification.source.threads} threads / ${verification.source.messages} messages / ` +
            `${verification.source.checksum.slice(0, 16)}…, target ${verification.target.threads} / ` +
            `${verification.target.messages} / ${verification.target.checksum.slice(0, 16)}… — ` +
            (verification.ok ? 'identical' : 'DIFFERENT'),
        );
      }
      context.result(summary, lines);
      if (verification !== null && !verification.ok) {
        throw new CliError(
          EXIT.verification,
          'the target differs from the source (was the source written during the copy?)',
        );
      }
    });
  });
}

/** The messages the source holds for the scope, from its thread listings (for the progress bar's total). */
async function messageTotal(repository: ConversationRepository, scope: ExportScope): Promise<number> {
  let total = 0;
  for await (const thread of iterateThreads(repository, scope)) total += thread.messageCount;
  return total;
}

import type { ConversationRepository } from '@fluxibly/core';
import { iterateMessages, iterateThreads } from '@fluxibly/core';
import type { CommandContext } from '../context.js';
import { withBackend } from '../context.js';

/** One organisation's figures. */
export interface OrgStats {
  orgId: string;
  threads: number;
  messages: number;
  /** UTF-8 JSON bytes of every message's content and metadata (`null` with `--no-bytes`). */
  bytes: number | null;
  users: number;
}

/**
 * `fluxibly stats --org X [--org Y…] [--no-bytes]`. The contract has no listing of organisations, so they are named.
 * Threads and messages come from iterating `listOrgThreads` (its `messageCount`s); bytes need every message read
 * (`getMessages` pages), which `--no-bytes` skips.
 */
export async function statsCommand(context: CommandContext, options: { org: string[]; bytes: boolean }): Promise<void> {
  await withBackend(context.open(), async ({ repository, backend }) => {
    const all: OrgStats[] = [];
    for (const orgId of options.org) {
      const progress = context.progress(`stats ${orgId}`);
      all.push(await orgStats(repository, orgId, options.bytes, (c) => progress.update(c)));
      progress.stop();
    }
    context.result({ backend, orgs: all }, [
      `${'org'.padEnd(24)} ${'users'.padStart(8)} ${'threads'.padStart(10)} ${'messages'.padStart(12)} ${'bytes'.padStart(14)}`,
      ...all.map(
        (s) =>
          `${s.orgId.padEnd(24)} ${String(s.users).padStart(8)} ${String(s.threads).padStart(10)} ` +
          `${String(s.messages).padStart(12)} ${String(s.bytes ?? '-').padStart(14)}`,
      ),
    ]);
  });
}

async function orgStats(
  repository: ConversationRepository,
  orgId: string,
  withBytes: boolean,
  onProgress: (counts: { threads: number; messages: number }) => void,
): Promise<OrgStats> {
  const stats: OrgStats = { orgId, threads: 0, messages: 0, bytes: withBytes ? 0 : null, users: 0 };
  const users = new Set<string>();
  for await (const thread of iterateThreads(repository, { orgId })) {
    stats.threads += 1;
    stats.messages += thread.messageCount;
    users.add(thread.userId);
    if (withBytes) {
      const scope = { orgId: thread.orgId, userId: thread.userId };
      for await (const m of iterateMessages(repository, scope, thread.id)) {
        stats.bytes =
          (stats.bytes ?? 0) +
          Buffer.byteLength(JSON.stringify(m.content)) +
          Buffer.byteLength(JSON.stringify(m.metadata));
      }
    }
    onProgress({ threads: stats.threads, messages: stats.messages });
  }
  stats.users = users.size;
  return stats;
}

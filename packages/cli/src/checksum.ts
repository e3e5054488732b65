import { createHash } from 'node:crypto';
import type { ConversationRepository, ExportScope } from '@fluxibly/core';
import { exportConversations, isExportHeader } from '@fluxibly/core';

/** What {@link digestConversations} found: counts and a checksum. */
export interface ConversationDigest {
  threads: number;
  messages: number;
  /** SHA-256 (hex) over every message's thread id, seq, id and content hash, in export order. */
  checksum: string;
}

/**
 * Count and checksum an organisation's (or user's) conversations as `exportConversations` reads them: SHA-256 over
 * one line per message — thread id, seq, message id and the SHA-256 of its content's canonical JSON (object keys
 * sorted: PostgreSQL's jsonb and MongoDB do not keep key order, which means nothing in JSON) — in export order (threads
 * newest activity first, messages by seq), which is the same on every backend for the same data. Streams.
 */
export async function digestConversations(
  repository: ConversationRepository,
  scope: ExportScope,
  onProgress?: (counts: { threads: number; messages: number }) => void,
): Promise<ConversationDigest> {
  const hash = createHash('sha256');
  let threads = 0;
  let messages = 0;
  for await (const record of exportConversations(repository, scope)) {
    if (isExportHeader(record)) continue;
    if (record.type === 'thread') {
      threads += 1;
      hash.update(`T\t${JSON.stringify(record.id)}\n`);
      continue;
    }
    messages += 1;
    const content = createHash('sha256').update(canonicalJson(record.content)).digest('hex');
    hash.update(`M\t${JSON.stringify(record.threadId)}\t${record.seq}\t${JSON.stringify(record.id)}\t${content}\n`);
    if (onProgress !== undefined && messages % 1000 === 0) onProgress({ threads, messages });
  }
  return { threads, messages, checksum: hash.digest('hex') };
}

/** JSON with every object's keys sorted (by code unit), so equal values give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

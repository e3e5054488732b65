import { ValidationError } from '../errors/errors.js';
import type { ChatMessage, MessageRole } from '../model/message.js';
import { threadNotFound } from '../state-manager/support.js';
import { newestSummary, readAfter } from '../state-manager/summary.js';
import { validateMetadata } from '../validation/json.js';
import { validateRole } from '../validation/messages.js';
import { validateInputObject, validateInteger } from '../validation/primitives.js';
import type { CompactOptions, HistoryStore } from './types.js';

/** {@link CompactOptions}, checked. */
export interface CompactSettings {
  summarize: CompactOptions['summarize'];
  keepLast: number;
  role: MessageRole;
  metadata: ReturnType<typeof validateMetadata>;
}

/** Check {@link CompactOptions}. @throws ValidationError naming `summarize`, `keepLast`, `role` or `metadata`. */
export function readCompactOptions(options: unknown): CompactSettings {
  const input = validateInputObject(options, 'options');
  if (typeof input.summarize !== 'function') {
    throw new ValidationError('summarize', 'must be a function (messages) => content');
  }
  return {
    summarize: input.summarize as CompactOptions['summarize'],
    keepLast: validateInteger(input.keepLast, 'keepLast', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 }),
    role: input.role === undefined ? 'system' : validateRole(input.role, 'role'),
    metadata: validateMetadata(input.metadata, 'metadata'),
  };
}

/**
 * Summarise a thread's messages since its previous summary (see `ConversationHistory.compact`) and append the
 * summary. Returns it as stored, or `null` when there is nothing to summarise.
 */
export async function compactThread(
  store: HistoryStore,
  threadId: string,
  settings: CompactSettings,
): Promise<ChatMessage | null> {
  const thread = await store.getThread(threadId);
  if (thread === null) throw threadNotFound(threadId);
  const previous = await newestSummary(store, thread);
  const since = await readAfter(store, threadId, previous?.summaryOf.toSeq ?? 0);
  const raw = since.filter((message) => message.summaryOf === undefined);
  const start = previous === null ? raw.findIndex((message) => message.role !== 'system') : 0;
  if (start === -1) return null;
  let end = Math.max(start, raw.length - settings.keepLast);
  while (end < raw.length && raw[end]?.role === 'tool') end += 1; // a tool result goes with its call
  const covered = raw.slice(start, end);
  const first = covered[0];
  const last = covered.at(-1);
  if (first === undefined || last === undefined) return null;
  const content = await settings.summarize(previous === null ? covered : [previous, ...covered]);
  const fromSeq = previous?.summaryOf.fromSeq ?? first.seq;
  const [stored] = await store.addMessages(
    [{ role: settings.role, content, metadata: settings.metadata, summaryOf: { fromSeq, toSeq: last.seq } }],
    { threadId },
  );
  return stored ?? null;
}

import type { HistoryMessage, WindowBudget } from './types.js';
import { groupUnits } from './units.js';

/** The result of {@link trimWindow}. */
export interface TrimResult {
  /** The messages kept, in their original order. */
  readonly kept: HistoryMessage[];
  /** Tool-call ids of the assistant messages dropped, so late results for them can be dropped too. */
  readonly droppedCallIds: string[];
}

/**
 * Fit messages into a budget. System messages are pinned (never dropped). Other messages are dropped oldest
 * unit first (see {@link groupUnits}: a tool call and its results go together) until the window fits. The unit
 * holding the newest non-system message is always kept, so the window exceeds the budget only when the system
 * messages plus that unit alone exceed it.
 */
export function trimWindow(
  messages: readonly HistoryMessage[],
  budget: WindowBudget,
  count: (message: HistoryMessage) => number,
): TrimResult {
  const { maxMessages, maxTokens } = budget;
  if (maxMessages === undefined && maxTokens === undefined) return { kept: [...messages], droppedCallIds: [] };
  let size = messages.length;
  let tokens = maxTokens === undefined ? 0 : messages.reduce((sum, message) => sum + count(message), 0);
  const fits = (): boolean =>
    (maxMessages === undefined || size <= maxMessages) && (maxTokens === undefined || tokens <= maxTokens);
  if (fits()) return { kept: [...messages], droppedCallIds: [] };

  const units = groupUnits(messages);
  const newest = findLastNonSystem(messages);
  const dropped = new Set<number>();
  const droppedCallIds: string[] = [];
  for (const unit of units) {
    if (fits()) break;
    if (unit.indices.includes(newest)) continue;
    for (const index of unit.indices) {
      dropped.add(index);
      size -= 1;
      if (maxTokens !== undefined) tokens -= count(messages[index] as HistoryMessage);
    }
    droppedCallIds.push(...unit.callIds);
  }
  return { kept: messages.filter((_, index) => !dropped.has(index)), droppedCallIds };
}

function findLastNonSystem(messages: readonly HistoryMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.role !== 'system') return i;
  return -1;
}

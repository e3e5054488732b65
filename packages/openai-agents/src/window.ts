import type { AgentInputItem } from '@openai/agents-core';
import { callIdOf, isResult } from './items.js';

/**
 * Drop every result item whose call is not in `items` (it was cut off by a window): sending such a
 * `function_call_result` without its `function_call` makes the next model call fail. Order is kept.
 */
export function withoutOrphanResults(items: readonly AgentInputItem[]): AgentInputItem[] {
  const calls = new Set<string>();
  const kept: AgentInputItem[] = [];
  for (const item of items) {
    const callId = callIdOf(item);
    if (isResult(item)) {
      if (callId !== undefined && calls.has(callId)) kept.push(item);
      continue;
    }
    if (callId !== undefined) calls.add(callId);
    kept.push(item);
  }
  return kept;
}

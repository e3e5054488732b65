import type { HistoryMessage } from './types.js';

/**
 * A group of messages that is kept or dropped together: one message, or an assistant message carrying tool calls
 * together with every tool result answering those calls.
 */
export interface MessageUnit {
  /** Positions in the window, ascending; the first is the unit's position for trimming (oldest first). */
  readonly indices: number[];
  /** The tool-call ids the unit's assistant message made. */
  readonly callIds: readonly string[];
}

function partIds(message: HistoryMessage, type: string): string[] {
  if (typeof message.content === 'string') return [];
  const ids: string[] = [];
  for (const part of message.content) {
    if (part.type === type && typeof part.toolCallId === 'string') ids.push(part.toolCallId);
  }
  return ids;
}

/** The tool calls an assistant message makes: its content parts `{ type: 'tool-call', toolCallId, … }`. */
export function toolCallIdsOf(message: HistoryMessage): string[] {
  return message.role === 'assistant' ? partIds(message, 'tool-call') : [];
}

/** The tool calls a tool message answers: its `toolCallId` and any `{ type: 'tool-result', toolCallId }` parts. */
export function answeredCallIdsOf(message: HistoryMessage): string[] {
  if (message.role !== 'tool') return [];
  const ids = partIds(message, 'tool-result');
  if (message.toolCallId !== undefined) ids.unshift(message.toolCallId);
  return ids;
}

/**
 * Group the non-system messages of a window into units, ordered by their first message. A tool message joins the
 * unit of the assistant message whose call it answers; one that answers no call in the window stands alone.
 * System messages belong to no unit (they are pinned).
 */
export function groupUnits(messages: readonly HistoryMessage[]): MessageUnit[] {
  const units: MessageUnit[] = [];
  const byCall = new Map<string, MessageUnit>();
  messages.forEach((message, index) => {
    if (message.role === 'system') return;
    const owner = answeredCallIdsOf(message)
      .map((id) => byCall.get(id))
      .find((unit) => unit !== undefined);
    if (owner !== undefined) {
      owner.indices.push(index);
      return;
    }
    const unit: MessageUnit = { indices: [index], callIds: toolCallIdsOf(message) };
    for (const id of unit.callIds) byCall.set(id, unit);
    units.push(unit);
  });
  return units;
}

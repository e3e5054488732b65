import { ValidationError } from '@fluxibly/core';
import type { ContentPart } from '@fluxibly/core';
import { partsOf, type MessageInput } from './json.js';
import { RAW_PART } from './rules.js';

/** The name of a message in errors: its index, and its id when it has one. */
export function messageField(messages: readonly MessageInput[], index: number): string {
  const id = messages[index]?.id;
  return id === undefined ? `messages[${index}]` : `messages[${index}] (id ${id})`;
}

/** A `ValidationError` naming the message at `index`. */
export function invalidMessage(messages: readonly MessageInput[], index: number, problem: string): ValidationError {
  return new ValidationError(messageField(messages, index), problem);
}

/**
 * Checks that every tool result answers a call made by the assistant turn right before it (only other results in
 * between), as OpenAI and Anthropic require. `callsOf` and `resultsOf` read the ids from a message.
 */
export function checkToolPairing(
  messages: readonly MessageInput[],
  callsOf: (message: MessageInput) => readonly string[],
  resultsOf: (message: MessageInput) => readonly string[],
): void {
  let open = new Set<string>();
  messages.forEach((message, index) => {
    const results = resultsOf(message);
    for (const id of results) {
      if (!open.has(id)) throw invalidMessage(messages, index, `tool result ${id} does not follow its tool call`);
      open.delete(id);
    }
    if (results.length === 0) open = new Set(callsOf(message));
  });
}

/** The ids of the tool results a `tool` message carries: its `tool-result` parts, else its `toolCallId`. */
export function toolResultIds(message: MessageInput): string[] {
  if (message.role !== 'tool') return [];
  const ids = partsOf(message.content).flatMap((p) =>
    p.type === 'tool-result' && typeof p.toolCallId === 'string' ? [p.toolCallId] : [],
  );
  return ids.length > 0 ? ids : message.toolCallId === undefined ? [] : [message.toolCallId];
}

/** The ids of the tool calls an `assistant` message makes. */
export function toolCallIds(message: MessageInput): string[] {
  if (message.role !== 'assistant') return [];
  return partsOf(message.content).flatMap((p) =>
    p.type === 'tool-call' && typeof p.toolCallId === 'string' ? [p.toolCallId] : [],
  );
}

/** The error for a part that `format` cannot carry. */
export function unsupportedPart(messages: readonly MessageInput[], index: number, part: ContentPart, format: string) {
  const kind = part.type === RAW_PART && typeof part.format === 'string' ? `${part.format} block` : `${part.type} part`;
  return invalidMessage(messages, index, `a ${kind} has no ${format} form`);
}

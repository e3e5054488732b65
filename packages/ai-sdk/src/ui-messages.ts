import type {
  ContentPart,
  JsonObject,
  JsonValue,
  MessageContent,
  MessageRole,
  MessageStatus,
  NewMessage,
} from '@fluxibly/core';
import type { UIMessage } from 'ai';

/** The metadata key that holds a UI message's own `metadata`. */
export const UI_METADATA_KEY = 'uiMetadata';

/** What {@link toUIMessages} reads from a stored message (a `ChatMessage` fits). */
export interface StoredMessageLike {
  readonly id: string;
  readonly role: MessageRole;
  readonly content: MessageContent;
  readonly metadata?: JsonObject;
  readonly status?: MessageStatus;
}

/** A JSON copy (drops `undefined` properties, which a stored message cannot hold). */
export function jsonCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * UI messages → messages to append, one for one, lossless. The UI message `id` is the stored id; every part (text and
 * reasoning with `state` and `providerMetadata`, `file`, `source-url`, `source-document`, `step-start`, `data-*`,
 * `tool-*` and `dynamic-tool` in every state with `approval`, and part types of other AI SDK majors) is stored as it
 * is, a content part whose `type` is the part's; the UI message's `metadata` goes to `metadata.uiMetadata`.
 */
export function fromUIMessages(uiMessages: readonly UIMessage[]): (NewMessage & { id: string })[] {
  return uiMessages.map((ui) => {
    const message: NewMessage & { id: string } = {
      id: ui.id,
      role: ui.role,
      content: jsonCopy(ui.parts) as unknown as ContentPart[],
    };
    if (ui.metadata !== undefined) message.metadata = { [UI_METADATA_KEY]: jsonCopy(ui.metadata) as JsonValue };
    return message;
  });
}

/**
 * Stored messages → UI messages (`useChat`'s `messages`). The inverse of {@link fromUIMessages}:
 * `fromUIMessages(toUIMessages(m))` and `toUIMessages(fromUIMessages(x))` are deep-equal. A message written by other
 * code maps too: a string body becomes one text part; a `tool` message (no UI role) becomes an assistant message.
 */
export function toUIMessages(messages: readonly StoredMessageLike[]): UIMessage[] {
  return messages.map((message) => {
    const parts =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : jsonCopy(message.content);
    const ui = {
      id: message.id,
      role: message.role === 'tool' ? 'assistant' : message.role,
      parts: parts as unknown as UIMessage['parts'],
    } as UIMessage;
    const metadata = message.metadata?.[UI_METADATA_KEY];
    if (metadata !== undefined) ui.metadata = jsonCopy(metadata);
    return ui;
  });
}

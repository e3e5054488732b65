import { uuidv7, type ContentPart, type JsonValue, type NewMessage } from '@fluxibly/core';
import type { ModelMessage } from 'ai';

/** The metadata key that holds a model message's `providerOptions`. */
export const PROVIDER_OPTIONS_KEY = 'providerOptions';

/** Binary data and URLs (allowed in image and file parts) as JSON: base64 text and the URL's string. */
function toJson(value: unknown): JsonValue {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof ArrayBuffer) return Buffer.from(value).toString('base64');
  if (value instanceof URL) return value.toString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, JsonValue> = {};
    for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = toJson(field);
    return out;
  }
  return value as JsonValue;
}

/**
 * Model messages (a step's `response.messages` in `onStepFinish`) → messages to append, with UUIDv7 ids minted here,
 * so a reply can be persisted step by step. Parts are stored as the AI SDK writes them (`tool-call`, `tool-result`,
 * `reasoning`, `file`…; bytes as base64); a tool message answering one call gets that `toolCallId`.
 */
export function fromModelMessages(modelMessages: readonly ModelMessage[]): (NewMessage & { id: string })[] {
  return modelMessages.map((model) => {
    const content = typeof model.content === 'string' ? model.content : (toJson(model.content) as ContentPart[]);
    const message: NewMessage & { id: string } = { id: uuidv7(), role: model.role, content };
    if (model.role === 'tool') {
      const ids = new Set(model.content.flatMap((part) => ('toolCallId' in part ? [part.toolCallId] : [])));
      if (ids.size === 1) message.toolCallId = [...ids][0] as string;
    }
    if (model.providerOptions !== undefined)
      message.metadata = { [PROVIDER_OPTIONS_KEY]: toJson(model.providerOptions) };
    return message;
  });
}

import type { ContentPart, JsonObject, JsonValue, MessageContent, MessageRole } from '@fluxibly/core';

/** A message as the converters read and write it: the appendable fields of a `ChatMessage` (`NewMessage`). */
export interface ConvertedMessage {
  role: MessageRole;
  content: MessageContent;
  name?: string;
  toolCallId?: string;
  metadata?: JsonObject;
}

/** What `to…` converters accept: a stored `ChatMessage`, a `NewMessage`, or a `from…` result. */
export interface MessageInput {
  readonly id?: string;
  readonly role: MessageRole;
  readonly content: MessageContent;
  readonly name?: string;
  readonly toolCallId?: string;
  readonly metadata?: JsonObject;
}

/** Any provider object, read as JSON. */
export type JsonRecord = Record<string, JsonValue>;

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of JSON without `undefined` properties (provider SDK objects may carry them). */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The object stored under `key` in `metadata`, or `{}`. */
export function metadataEntry(metadata: JsonObject | undefined, key: string): JsonRecord {
  const entry = metadata?.[key];
  return isRecord(entry) ? entry : {};
}

/** `metadata` without `key`; `undefined` when nothing is left (so a round trip does not invent `{}`). */
export function withoutEntry(metadata: JsonObject | undefined, key: string): JsonObject | undefined {
  if (metadata === undefined) return undefined;
  const { [key]: _drop, ...rest } = metadata;
  return rest;
}

/** A converted message with only the fields that are set. */
export function message(
  role: MessageRole,
  content: MessageContent,
  fields: { name?: unknown; toolCallId?: unknown; metadata?: JsonObject | undefined },
): ConvertedMessage {
  const out: ConvertedMessage = { role, content };
  if (typeof fields.name === 'string') out.name = fields.name;
  if (typeof fields.toolCallId === 'string') out.toolCallId = fields.toolCallId;
  if (fields.metadata !== undefined && Object.keys(fields.metadata).length > 0) out.metadata = fields.metadata;
  return out;
}

/** The parts of a message body (a string body is one text part). */
export function partsOf(content: MessageContent): ContentPart[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

import {
  AIMessage,
  ChatMessage as LangChainChatMessage,
  FunctionMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import type { BaseMessage, MessageContent } from '@langchain/core/messages';
import type { ChatMessage, ContentPart, JsonObject, MessageRole, NewMessage } from '@fluxibly/core';

/** The content-part type that carries a whole LangChain message. */
export const MESSAGE_PART_TYPE = 'langchain_message';

/** The fields every message type keeps, and those only some types have. */
const COMMON = ['content', 'name', 'id', 'additional_kwargs', 'response_metadata'] as const;
const BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  ai: ['tool_calls', 'invalid_tool_calls', 'usage_metadata'],
  tool: ['tool_call_id', 'status', 'artifact', 'metadata'],
  generic: ['role'],
  function: [],
  human: [],
  system: [],
};

/** What is stored for a message: its type and every field it sets (JSON). */
export interface StoredLangChainMessage {
  type: string;
  fields: JsonObject;
}

/** The JSON form of a LangChain message: its type and the fields it sets (absent ones are left out). */
export function serialize(message: BaseMessage): StoredLangChainMessage {
  const type = message.getType();
  const source = message as unknown as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const key of [...COMMON, ...(BY_TYPE[type] ?? [])]) {
    const value = source[key];
    if (value !== undefined) fields[key] = value;
  }
  // JSON (what every backend stores): a non-JSON artifact fails validation by name instead of being lost silently.
  return { type, fields: JSON.parse(JSON.stringify(fields)) as JsonObject };
}

/** The LangChain message a stored form describes. */
export function deserialize(stored: StoredLangChainMessage): BaseMessage {
  const fields = stored.fields as never;
  switch (stored.type) {
    case 'human':
      return new HumanMessage(fields);
    case 'ai':
      return new AIMessage(fields);
    case 'system':
      return new SystemMessage(fields);
    case 'tool':
      return new ToolMessage(fields);
    case 'function':
      return new FunctionMessage(fields);
    default:
      return new LangChainChatMessage(fields);
  }
}

const ROLES: Readonly<Record<string, MessageRole>> = {
  human: 'user',
  ai: 'assistant',
  system: 'system',
  tool: 'tool',
  function: 'tool',
};

/** A message storing `message` losslessly, with role / name / toolCallId repeated for other readers. */
export function toNewMessage(message: BaseMessage): NewMessage {
  const stored = serialize(message);
  const part = { type: MESSAGE_PART_TYPE, message: stored as unknown as JsonObject } as ContentPart;
  const result: NewMessage = { role: ROLES[stored.type] ?? roleOfGeneric(message), content: [part] };
  if (typeof message.name === 'string' && message.name.length > 0 && message.name.length <= 255) {
    result.name = message.name;
  }
  if (ToolMessage.isInstance(message)) result.toolCallId = message.tool_call_id;
  return result;
}

/** The LangChain message a stored message holds; one written by another program reads as the closest type. */
export function fromStored(message: ChatMessage): BaseMessage {
  if (Array.isArray(message.content)) {
    const part = message.content.find((p) => p.type === MESSAGE_PART_TYPE);
    if (part !== undefined) return deserialize(part.message as unknown as StoredLangChainMessage);
  }
  const content = message.content as MessageContent;
  switch (message.role) {
    case 'user':
      return new HumanMessage({ content, id: message.id });
    case 'assistant':
      return new AIMessage({ content, id: message.id });
    case 'system':
      return new SystemMessage({ content, id: message.id });
    case 'tool':
      return new ToolMessage({ content, id: message.id, tool_call_id: message.toolCallId ?? '' });
  }
}

function roleOfGeneric(message: BaseMessage): MessageRole {
  const role = (message as { role?: unknown }).role;
  return role === 'assistant' || role === 'system' || role === 'tool' ? role : 'user';
}

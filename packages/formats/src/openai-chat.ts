import type { ContentPart, JsonObject } from '@fluxibly/core';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import {
  cloneJson,
  message,
  metadataEntry,
  partsOf,
  type ConvertedMessage,
  type JsonRecord,
  type MessageInput,
} from './json.js';
import { BlockCodec } from './rules.js';
import { checkToolPairing, invalidMessage, toolCallIds, toolResultIds, unsupportedPart } from './validation.js';

/** The metadata key and part field that keep what Chat Completions has and `ChatMessage` does not. */
export const OPENAI_CHAT_KEY = 'openaiChat';

const parts = new BlockCodec(OPENAI_CHAT_KEY, [
  { native: 'text', canonical: 'text', fields: [['text', 'text']] },
  { native: 'refusal', canonical: 'refusal', fields: [['refusal', 'text']] },
  { native: 'image_url', canonical: 'image', fields: [['image_url.url', 'url']] },
  {
    native: 'input_audio',
    canonical: 'audio',
    fields: [
      ['input_audio.data', 'data'],
      ['input_audio.format', 'format'],
    ],
  },
  {
    native: 'file',
    canonical: 'file',
    fields: [
      ['file.file_data', 'data'],
      ['file.file_id', 'fileId'],
      ['file.filename', 'filename'],
    ],
  },
]);

const toolCalls = new BlockCodec(OPENAI_CHAT_KEY, [
  {
    native: 'function',
    canonical: 'tool-call',
    fields: [
      ['id', 'toolCallId'],
      ['function.name', 'toolName'],
      ['function.arguments', 'input'],
    ],
  },
  {
    native: 'custom',
    canonical: 'tool-call',
    fields: [
      ['id', 'toolCallId'],
      ['custom.name', 'toolName'],
      ['custom.input', 'input'],
    ],
  },
]);

const ROLE_OF: Record<string, ConvertedMessage['role']> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'assistant',
  tool: 'tool',
  function: 'tool',
};
const DEFAULT_NATIVE_ROLE: Record<string, string> = {
  system: 'system',
  user: 'user',
  assistant: 'assistant',
  tool: 'tool',
};

/**
 * Chat Completions messages → messages to append. Lossless: `toOpenAIChat(fromOpenAIChat(x))` deep-equals `x`. What
 * `ChatMessage` has no field for (the `developer` role, `refusal`, `audio`, a `null` content…) is kept in
 * `metadata.openaiChat`; each part keeps its extra fields (e.g. `detail`) in `part.openaiChat`.
 */
export function fromOpenAIChat(messages: readonly ChatCompletionMessageParam[]): ConvertedMessage[] {
  return messages.map((input) => {
    const { role, content, name, tool_call_id, tool_calls, ...rest } = cloneJson(input) as unknown as JsonRecord;
    const canonicalRole = ROLE_OF[role as string] ?? 'user';
    const kept: JsonObject = { ...rest };
    if (DEFAULT_NATIVE_ROLE[canonicalRole] !== role) kept.role = role ?? null;
    const body: ContentPart[] = Array.isArray(content) ? content.map((p) => parts.toPart(p as JsonRecord)) : [];
    let converted: ConvertedMessage['content'] = body;
    if (Array.isArray(tool_calls)) {
      if (typeof content === 'string') body.push({ type: 'text', text: content });
      body.push(...tool_calls.map((call) => toolCalls.toPart(call as JsonRecord)));
      kept.content = Array.isArray(content)
        ? 'parts'
        : content === undefined
          ? 'absent'
          : typeof content === 'string'
            ? 'string'
            : null;
    } else if (typeof content === 'string') converted = content;
    else if (content === undefined || content === null) kept.content = content === null ? null : 'absent';
    if (Array.isArray(tool_calls) && tool_calls.length === 0) kept.toolCalls = 'empty';
    return message(canonicalRole, converted, {
      name,
      toolCallId: tool_call_id,
      metadata: Object.keys(kept).length > 0 ? { [OPENAI_CHAT_KEY]: kept } : undefined,
    });
  });
}

/** Options of the `to…` converters. */
export interface ToProviderOptions {
  /** A part this format cannot carry (e.g. reasoning for Chat Completions): `'throw'` (default) or `'drop'` it. */
  unsupportedParts?: 'throw' | 'drop';
}

/**
 * Messages → Chat Completions messages, typed against the `openai` SDK. Throws a `ValidationError` naming the message
 * when a tool result does not follow its call, a tool message has no `toolCallId`, or a part has no Chat Completions
 * form (unless `unsupportedParts: 'drop'`).
 */
export function toOpenAIChat(
  messages: readonly MessageInput[],
  options: ToProviderOptions = {},
): ChatCompletionMessageParam[] {
  checkToolPairing(messages, toolCallIds, toolResultIds);
  return messages.flatMap((input, index) => {
    const kept = metadataEntry(input.metadata, OPENAI_CHAT_KEY);
    const { content: contentKind, toolCalls: toolCallsKind, role: nativeRole, ...rest } = kept;
    const out: JsonRecord = { role: (nativeRole as string | undefined) ?? input.role };
    if (
      input.role === 'tool' &&
      typeof input.content !== 'string' &&
      input.content.some((p) => p.type === 'tool-result')
    ) {
      return splitToolResults(messages, index);
    }
    const calls: JsonRecord[] = [];
    const body: JsonRecord[] = [];
    if (typeof input.content !== 'string') {
      for (const part of input.content) {
        const call = part.type === 'tool-call' ? toolCalls.fromPart(withStringInput(part)) : undefined;
        if (call !== undefined) calls.push(call);
        else {
          const block = parts.fromPart(part);
          if (block !== undefined) body.push(block);
          else if (options.unsupportedParts !== 'drop') {
            throw unsupportedPart(messages, index, part, 'Chat Completions');
          }
        }
      }
    }
    if (typeof input.content === 'string') out.content = input.content;
    else if (contentKind === 'absent') void 0;
    else if (contentKind === null) out.content = null;
    else if (contentKind === 'string') out.content = typeof body[0]?.text === 'string' ? body[0].text : '';
    else out.content = body;
    if (input.name !== undefined) out.name = input.name;
    if (out.role === 'tool') {
      if (input.toolCallId === undefined) throw invalidMessage(messages, index, 'a tool message needs a toolCallId');
      out.tool_call_id = input.toolCallId;
    }
    if (calls.length > 0 || toolCallsKind === 'empty') out.tool_calls = calls;
    return [{ ...out, ...rest } as unknown as ChatCompletionMessageParam];
  });
}

function withStringInput(part: ContentPart): ContentPart {
  return typeof part.input === 'string' || part.input === undefined
    ? part
    : { ...part, input: JSON.stringify(part.input) };
}

function splitToolResults(messages: readonly MessageInput[], index: number): ChatCompletionMessageParam[] {
  const input = messages[index] as MessageInput;
  return partsOf(input.content).map((part) => {
    if (part.type !== 'tool-result' || typeof part.toolCallId !== 'string') {
      throw invalidMessage(messages, index, `a ${part.type} part cannot sit beside tool results in Chat Completions`);
    }
    const output = part.output;
    const content = typeof output === 'string' ? output : JSON.stringify(output ?? null);
    return { role: 'tool', tool_call_id: part.toolCallId, content };
  });
}

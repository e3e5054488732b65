import type { ContentPart, JsonObject } from '@fluxibly/core';
import type { MessageParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
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
import type { ToProviderOptions } from './openai-chat.js';
import { checkToolPairing, invalidMessage, toolCallIds, toolResultIds, unsupportedPart } from './validation.js';

/** The metadata key and part field that keep what Anthropic Messages has and `ChatMessage` does not. */
export const ANTHROPIC_KEY = 'anthropic';

/** An Anthropic Messages request body's conversation: the system prompt and the messages. */
export interface AnthropicConversation {
  system?: string | TextBlockParam[];
  messages: MessageParam[];
}

const blocks = new BlockCodec(ANTHROPIC_KEY, [
  { native: 'text', canonical: 'text', fields: [['text', 'text']] },
  {
    native: 'image',
    canonical: 'image',
    fields: [
      ['source.data', 'data'],
      ['source.media_type', 'mediaType'],
      ['source.url', 'url'],
      ['source.file_id', 'fileId'],
    ],
  },
  {
    native: 'document',
    canonical: 'file',
    fields: [
      ['source.data', 'data'],
      ['source.media_type', 'mediaType'],
      ['source.url', 'url'],
      ['source.file_id', 'fileId'],
      ['title', 'filename'],
    ],
  },
  {
    native: 'tool_use',
    canonical: 'tool-call',
    fields: [
      ['id', 'toolCallId'],
      ['name', 'toolName'],
      ['input', 'input'],
    ],
  },
  {
    native: 'tool_result',
    canonical: 'tool-result',
    fields: [
      ['tool_use_id', 'toolCallId'],
      ['content', 'output'],
      ['is_error', 'isError'],
    ],
  },
  // Thinking is returned unmodified: the signature is kept byte-for-byte and blocks stay in their order.
  {
    native: 'thinking',
    canonical: 'reasoning',
    fields: [
      ['thinking', 'text'],
      ['signature', 'signature'],
    ],
  },
  { native: 'redacted_thinking', canonical: 'redacted-reasoning', fields: [['data', 'data']] },
]);

/**
 * An Anthropic conversation → messages to append, lossless (`toAnthropic(fromAnthropic(x))` deep-equals `x`). The
 * system prompt becomes a leading `system` message; a user message that carries `tool_result` blocks becomes a
 * `tool` message whose parts are `tool-result`s (with `isError`), in order, beside any other blocks. Every block
 * field without a part field (`cache_control`, `citations`, the source `type`…) is kept in `part.anthropic`.
 */
export function fromAnthropic(conversation: AnthropicConversation): ConvertedMessage[] {
  const out: ConvertedMessage[] = [];
  const { system, messages, ...rest } = cloneJson(conversation) as unknown as JsonRecord & { messages: JsonRecord[] };
  if (system !== undefined) {
    const content = typeof system === 'string' ? system : (system as JsonRecord[]).map((b) => blocks.toPart(b));
    out.push(message('system', content, { metadata: { [ANTHROPIC_KEY]: { system: true, ...rest } } }));
  }
  for (const input of messages) {
    const { role, content, ...extra } = input;
    const parts = typeof content === 'string' ? content : (content as JsonRecord[]).map((b) => blocks.toPart(b));
    const isToolTurn = role === 'user' && typeof parts !== 'string' && parts.some((p) => p.type === 'tool-result');
    const kept: JsonObject = { ...extra };
    const ids = isToolTurn ? parts.filter((p) => p.type === 'tool-result').map((p) => p.toolCallId) : [];
    out.push(
      message(isToolTurn ? 'tool' : role === 'assistant' ? 'assistant' : 'user', parts, {
        toolCallId: ids.length === 1 ? ids[0] : undefined,
        metadata: Object.keys(kept).length > 0 ? { [ANTHROPIC_KEY]: kept } : undefined,
      }),
    );
  }
  return out;
}

/**
 * Messages → an Anthropic conversation typed against `@anthropic-ai/sdk`. `system` messages become `system` (they
 * must come first); `tool` messages become user messages of `tool_result` blocks (a Chat-Completions-style tool
 * message, `toolCallId` + content, becomes one `tool_result`). Thinking blocks are emitted unmodified. Throws a
 * `ValidationError` naming the message when a tool result does not follow its call, a system message comes after
 * the conversation started, or a part has no Anthropic form (unless `unsupportedParts: 'drop'`).
 */
export function toAnthropic(messages: readonly MessageInput[], options: ToProviderOptions = {}): AnthropicConversation {
  checkToolPairing(messages, toolCallIds, toolResultIds);
  const conversation: AnthropicConversation = { messages: [] };
  messages.forEach((input, index) => {
    const kept = metadataEntry(input.metadata, ANTHROPIC_KEY);
    const convert = (parts: readonly ContentPart[]): JsonRecord[] =>
      parts.flatMap((part) => {
        const block = blocks.fromPart(
          part.type === 'tool-call' && typeof part.input === 'string' ? withObjectInput(part) : part,
        );
        if (block !== undefined) return [block];
        if (options.unsupportedParts === 'drop') return [];
        throw unsupportedPart(messages, index, part, 'Anthropic');
      });
    if (input.role === 'system') {
      if (conversation.messages.length > 0 || conversation.system !== undefined) {
        throw invalidMessage(messages, index, 'Anthropic takes system text only before the first message');
      }
      const { system: _flag, ...rest } = kept;
      conversation.system = (typeof input.content === 'string' ? input.content : convert(input.content)) as
        string | TextBlockParam[];
      Object.assign(conversation, rest);
      return;
    }
    let content: string | JsonRecord[];
    if (input.role === 'tool' && !partsOf(input.content).some((p) => p.type === 'tool-result')) {
      if (input.toolCallId === undefined) throw invalidMessage(messages, index, 'a tool message needs a toolCallId');
      const output = typeof input.content === 'string' ? input.content : convert(input.content);
      content = [{ type: 'tool_result', tool_use_id: input.toolCallId, content: output }];
    } else content = typeof input.content === 'string' ? input.content : convert(input.content);
    const role = input.role === 'assistant' ? 'assistant' : 'user';
    conversation.messages.push({ role, content, ...kept } as unknown as MessageParam);
  });
  return conversation;
}

function withObjectInput(part: ContentPart): ContentPart {
  try {
    return { ...part, input: JSON.parse(part.input as string) as ContentPart[string] };
  } catch {
    return { ...part, input: part.input ?? null };
  }
}

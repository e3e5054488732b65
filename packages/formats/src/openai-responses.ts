import type { ContentPart, JsonObject } from '@fluxibly/core';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import {
  cloneJson,
  isRecord,
  message,
  metadataEntry,
  partsOf,
  type ConvertedMessage,
  type JsonRecord,
  type MessageInput,
} from './json.js';
import type { ToProviderOptions } from './openai-chat.js';
import { BlockCodec, RAW_PART } from './rules.js';
import { checkToolPairing, toolCallIds, toolResultIds, unsupportedPart } from './validation.js';

/** The metadata key and part field that keep what Responses items have and `ChatMessage` does not. */
export const OPENAI_RESPONSES_KEY = 'openaiResponses';

/** The part field (inside `part.openaiResponses`) that marks the first part of an assistant message item. */
const ITEM = '$item';

const contentParts = new BlockCodec(OPENAI_RESPONSES_KEY, [
  { native: 'input_text', canonical: 'text', fields: [['text', 'text']] },
  { native: 'output_text', canonical: 'text', fields: [['text', 'text']] },
  { native: 'refusal', canonical: 'refusal', fields: [['refusal', 'text']] },
  {
    native: 'input_image',
    canonical: 'image',
    fields: [
      ['image_url', 'url'],
      ['file_id', 'fileId'],
    ],
  },
  {
    native: 'input_file',
    canonical: 'file',
    fields: [
      ['file_data', 'data'],
      ['file_id', 'fileId'],
      ['filename', 'filename'],
      ['file_url', 'url'],
    ],
  },
]);

const items = new BlockCodec(OPENAI_RESPONSES_KEY, [
  {
    native: 'function_call',
    canonical: 'tool-call',
    fields: [
      ['call_id', 'toolCallId'],
      ['name', 'toolName'],
      ['arguments', 'input'],
    ],
  },
  // `summary` and `id` stay in `part.openaiResponses`; `encrypted_content` is returned as it came.
  { native: 'reasoning', canonical: 'reasoning', fields: [['encrypted_content', 'encryptedContent']] },
  { native: 'item_reference', canonical: 'item-reference', fields: [['id', 'itemId']] },
]);

const ROLE_OF: Record<string, ConvertedMessage['role']> = { user: 'user', system: 'system', developer: 'system' };

function convertContent(content: unknown): ConvertedMessage['content'] {
  return typeof content === 'string' ? content : (content as JsonRecord[]).map((p) => contentParts.toPart(p));
}

/** Adds `extra` to a part's `openaiResponses` entry. */
function mark(part: ContentPart, extra: JsonObject): ContentPart {
  return { ...part, [OPENAI_RESPONSES_KEY]: { ...metadataEntry(part, OPENAI_RESPONSES_KEY), ...extra } };
}

/**
 * Responses input items → messages to append, lossless (`toOpenAIResponses(fromOpenAIResponses(x))` deep-equals
 * `x`). User, system and developer `message` items become one message each; a run of assistant-side items (output
 * messages, `function_call`, `reasoning`, `item_reference`, other item types) becomes one `assistant` message whose
 * parts are in item order; `function_call_output` becomes a `tool` message with `toolCallId` = `call_id`. Item ids,
 * statuses, annotations, summaries and `encrypted_content` are kept.
 */
export function fromOpenAIResponses(input: readonly ResponseInputItem[]): ConvertedMessage[] {
  const out: ConvertedMessage[] = [];
  let group: ContentPart[] | undefined;
  for (const item of cloneJson(input) as unknown as JsonRecord[]) {
    const role = typeof item.role === 'string' ? item.role : undefined;
    if (item.type === 'function_call_output') {
      group = undefined;
      const { type: _type, call_id, output, ...rest } = item;
      const metadata = Object.keys(rest).length > 0 ? { [OPENAI_RESPONSES_KEY]: rest } : undefined;
      out.push(message('tool', convertContent(output), { toolCallId: call_id, metadata }));
      continue;
    }
    if (role !== undefined && role !== 'assistant') {
      group = undefined;
      const { role: _role, content, ...rest } = item;
      const kept: JsonObject = role === 'developer' ? { ...rest, role } : rest;
      const metadata = Object.keys(kept).length > 0 ? { [OPENAI_RESPONSES_KEY]: kept } : undefined;
      out.push(message(ROLE_OF[role] ?? 'user', convertContent(content), { metadata }));
      continue;
    }
    if (group === undefined) {
      group = [];
      out.push(message('assistant', group, {}));
    }
    if (
      role === 'assistant' &&
      (typeof item.content === 'string' || (Array.isArray(item.content) && item.content.length > 0))
    ) {
      const { content, ...rest } = item;
      if (typeof content === 'string')
        group.push(mark({ type: 'text', text: content }, { [ITEM]: { ...rest, content: 'string' } }));
      else {
        const parts = convertContent(content) as ContentPart[];
        group.push(mark(parts[0] as ContentPart, { [ITEM]: rest }), ...parts.slice(1));
      }
    } else if (role === 'assistant') group.push({ type: RAW_PART, format: OPENAI_RESPONSES_KEY, block: item });
    else group.push(items.toPart(item));
  }
  return out;
}

/**
 * Messages → Responses input items, typed against the `openai` SDK. Throws a `ValidationError` naming the message
 * when a `function_call_output` would not follow its `function_call`, or a part has no Responses form (e.g.
 * Anthropic thinking, which has no `encrypted_content`; unless `unsupportedParts: 'drop'`).
 */
export function toOpenAIResponses(
  messages: readonly MessageInput[],
  options: ToProviderOptions = {},
): ResponseInputItem[] {
  checkToolPairing(messages, toolCallIds, toolResultIds);
  const out: JsonRecord[] = [];
  messages.forEach((input, index) => {
    const kept = metadataEntry(input.metadata, OPENAI_RESPONSES_KEY);
    const unsupported = (part: ContentPart): [] => {
      if (options.unsupportedParts === 'drop') return [];
      throw unsupportedPart(messages, index, part, 'Responses');
    };
    const content = (body: MessageInput['content']): string | JsonRecord[] =>
      typeof body === 'string' ? body : body.flatMap<JsonRecord>((p) => contentParts.fromPart(p) ?? unsupported(p));
    if (input.role === 'tool') {
      const results = partsOf(input.content).filter((p) => p.type === 'tool-result');
      if (results.length === 0) {
        out.push({
          type: 'function_call_output',
          call_id: input.toolCallId ?? '',
          output: content(input.content),
          ...kept,
        });
      }
      for (const part of results) {
        const output = typeof part.output === 'string' ? part.output : JSON.stringify(part.output ?? null);
        out.push({ type: 'function_call_output', call_id: part.toolCallId ?? '', output });
      }
      return;
    }
    if (input.role !== 'assistant') {
      const { role, ...rest } = kept;
      out.push({ role: typeof role === 'string' ? role : input.role, content: content(input.content), ...rest });
      return;
    }
    let open: JsonRecord[] | undefined;
    for (const part of partsOf(input.content)) {
      const extra = metadataEntry(part, OPENAI_RESPONSES_KEY);
      const { [ITEM]: itemFields, ...partExtra } = extra;
      const plain: ContentPart = { ...part, [OPENAI_RESPONSES_KEY]: partExtra };
      if (Object.keys(partExtra).length === 0) delete plain[OPENAI_RESPONSES_KEY];
      const block = contentParts.fromPart(plain);
      if (block !== undefined && part.type !== RAW_PART) {
        if (isRecord(itemFields)) {
          const { content: kind, ...fields } = itemFields;
          if (kind === 'string') {
            out.push({ ...fields, content: typeof part.text === 'string' ? part.text : '' });
            open = undefined;
          } else out.push({ ...fields, content: (open = [block]) });
        } else if (open !== undefined) open.push(block);
        else
          out.push({
            role: 'assistant',
            content: (open = [
              block.type === 'input_text' ? { type: 'output_text', text: block.text ?? '', annotations: [] } : block,
            ]),
          });
        continue;
      }
      open = undefined;
      const item =
        part.type === RAW_PART && part.format === OPENAI_RESPONSES_KEY && isRecord(part.block)
          ? cloneJson(part.block)
          : undefined;
      const needsExtras = part.type === 'reasoning' && Object.keys(partExtra).length === 0;
      const converted =
        item ??
        (needsExtras
          ? undefined
          : items.fromPart(
              part.type === 'tool-call' && typeof part.input !== 'string'
                ? { ...part, input: JSON.stringify(part.input ?? null) }
                : part,
            ));
      out.push(...(converted === undefined ? unsupported(part) : [converted]));
    }
  });
  return out as unknown as ResponseInputItem[];
}

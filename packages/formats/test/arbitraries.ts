import fc from 'fast-check';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import type { AnthropicConversation } from '../src/index.js';

const text = fc.string({ maxLength: 12 });
const id = fc.stringMatching(/^[a-z]{1,4}_[a-z0-9]{1,6}$/);
const ids = fc.uniqueArray(id, { minLength: 1, maxLength: 3 });
const jsonObject = fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(text, fc.integer(), fc.boolean()), {
  maxKeys: 3,
});
const opt = <T>(record: { [K in keyof T]: fc.Arbitrary<T[K]> }, required: (keyof T)[]) =>
  fc.record(record, { requiredKeys: required });

// --- OpenAI Chat Completions ---------------------------------------------------------------------------------------
const chatText = opt({ type: fc.constant('text' as const), text }, ['type', 'text']);
const chatUserPart = fc.oneof(
  chatText,
  fc.record({
    type: fc.constant('image_url' as const),
    image_url: opt({ url: text, detail: fc.constantFrom('auto' as const, 'low' as const, 'high' as const) }, ['url']),
  }),
  fc.record({
    type: fc.constant('input_audio' as const),
    input_audio: fc.record({ data: text, format: fc.constantFrom('wav' as const, 'mp3' as const) }),
  }),
  fc.record({ type: fc.constant('file' as const), file: opt({ file_data: text, file_id: id, filename: text }, []) }),
);
const chatSystem = opt(
  {
    role: fc.constantFrom('system' as const, 'developer' as const),
    content: fc.oneof(text, fc.array(chatText, { maxLength: 2 })),
    name: text,
  },
  ['role', 'content'],
);
const chatUser = opt(
  { role: fc.constant('user' as const), content: fc.oneof(text, fc.array(chatUserPart, { maxLength: 3 })), name: text },
  ['role', 'content'],
);
const assistantContent = fc.oneof(
  text,
  fc.constant(null),
  fc.array(fc.oneof(chatText, fc.record({ type: fc.constant('refusal' as const), refusal: text })), { maxLength: 2 }),
);
const chatAssistant = opt(
  {
    role: fc.constant('assistant' as const),
    content: assistantContent,
    refusal: fc.option(text),
    name: text,
    audio: fc.record({ id }),
  },
  ['role'],
);
const toolCall = (callId: string) =>
  fc.oneof(
    fc.record({
      id: fc.constant(callId),
      type: fc.constant('function' as const),
      function: fc.record({ name: text, arguments: text }),
    }),
    fc.record({
      id: fc.constant(callId),
      type: fc.constant('custom' as const),
      custom: fc.record({ name: text, input: text }),
    }),
  );
const chatToolTurn = ids.chain((callIds) =>
  fc
    .tuple(
      chatAssistant.chain((a) => fc.tuple(...callIds.map(toolCall)).map((tool_calls) => ({ ...a, tool_calls }))),
      fc.tuple(
        ...callIds.map((callId) =>
          fc.record({
            role: fc.constant('tool' as const),
            tool_call_id: fc.constant(callId),
            content: fc.oneof(text, fc.array(chatText, { maxLength: 2 })),
          }),
        ),
      ),
    )
    .map(([call, results]) => [call, ...results] as ChatCompletionMessageParam[]),
);
export const chatMessages: fc.Arbitrary<ChatCompletionMessageParam[]> = fc
  .array(
    fc.oneof(
      chatSystem.map((m) => [m]),
      chatUser.map((m) => [m]),
      chatAssistant.map((m) => [m]),
      chatToolTurn,
    ),
    { maxLength: 6 },
  )
  .map((turns) => turns.flat() as ChatCompletionMessageParam[]);

// --- Anthropic Messages --------------------------------------------------------------------------------------------
const cacheControl = fc.record({ type: fc.constant('ephemeral' as const) });
const anthropicText = opt({ type: fc.constant('text' as const), text, cache_control: cacheControl }, ['type', 'text']);
const anthropicUserBlock = fc.oneof(
  anthropicText,
  fc.record({
    type: fc.constant('image' as const),
    source: fc.oneof(
      fc.record({
        type: fc.constant('base64' as const),
        media_type: fc.constantFrom('image/png' as const, 'image/jpeg' as const),
        data: text,
      }),
      fc.record({ type: fc.constant('url' as const), url: text }),
    ),
  }),
  opt(
    {
      type: fc.constant('document' as const),
      source: fc.oneof(
        fc.record({
          type: fc.constant('base64' as const),
          media_type: fc.constant('application/pdf' as const),
          data: text,
        }),
        fc.record({ type: fc.constant('text' as const), media_type: fc.constant('text/plain' as const), data: text }),
      ),
      title: text,
      context: text,
      cache_control: cacheControl,
    },
    ['type', 'source'],
  ),
);
const thinking = fc.oneof(
  fc.record({ type: fc.constant('thinking' as const), thinking: text, signature: fc.base64String({ maxLength: 16 }) }),
  fc.record({ type: fc.constant('redacted_thinking' as const), data: fc.base64String({ maxLength: 16 }) }),
);
const anthropicUser = fc.record({
  role: fc.constant('user' as const),
  content: fc.oneof(text, fc.array(anthropicUserBlock, { maxLength: 3 })),
});
const anthropicAssistant = fc.record({
  role: fc.constant('assistant' as const),
  content: fc.oneof(text, fc.array(fc.oneof(thinking, anthropicText), { maxLength: 3 })),
});
const anthropicToolTurn = ids.chain((callIds) =>
  fc
    .tuple(
      fc.array(thinking, { maxLength: 2 }),
      fc.tuple(
        ...callIds.map((callId) =>
          fc.record({ type: fc.constant('tool_use' as const), id: fc.constant(callId), name: text, input: jsonObject }),
        ),
      ),
      fc.tuple(
        ...callIds.map((callId) =>
          opt(
            {
              type: fc.constant('tool_result' as const),
              tool_use_id: fc.constant(callId),
              content: fc.oneof(text, fc.array(anthropicText, { maxLength: 2 })),
              is_error: fc.boolean(),
              cache_control: cacheControl,
            },
            ['type', 'tool_use_id'],
          ),
        ),
      ),
      fc.array(anthropicText, { maxLength: 1 }),
    )
    .map(([thoughts, uses, results, after]) => [
      { role: 'assistant' as const, content: [...thoughts, ...uses] },
      { role: 'user' as const, content: [...results, ...after] },
    ]),
);
export const anthropicConversations: fc.Arbitrary<AnthropicConversation> = fc
  .tuple(
    fc.option(fc.oneof(text, fc.array(anthropicText, { maxLength: 2 })), { nil: undefined }),
    fc.array(
      fc.oneof(
        anthropicUser.map((m) => [m]),
        anthropicAssistant.map((m) => [m]),
        anthropicToolTurn,
      ),
      { maxLength: 5 },
    ),
  )
  .map(([system, turns]) => {
    const messages = turns.flat() as MessageParam[];
    return system === undefined ? { messages } : { system, messages };
  });

// --- OpenAI Responses ----------------------------------------------------------------------------------------------
const inputContent = fc.oneof(
  fc.record({ type: fc.constant('input_text' as const), text }),
  opt(
    {
      type: fc.constant('input_image' as const),
      detail: fc.constantFrom('auto' as const, 'low' as const),
      image_url: text,
      file_id: id,
    },
    ['type', 'detail'],
  ),
  opt({ type: fc.constant('input_file' as const), file_data: text, file_id: id, filename: text, file_url: text }, [
    'type',
  ]),
);
const userItem = opt(
  {
    role: fc.constantFrom('user' as const, 'system' as const, 'developer' as const),
    content: fc.oneof(text, fc.array(inputContent, { maxLength: 3 })),
    type: fc.constant('message' as const),
  },
  ['role', 'content'],
);
const outputMessage = fc.record({
  type: fc.constant('message' as const),
  id,
  role: fc.constant('assistant' as const),
  status: fc.constantFrom('completed' as const, 'incomplete' as const),
  content: fc.array(
    fc.oneof(
      fc.record({
        type: fc.constant('output_text' as const),
        text,
        annotations: fc.array(
          fc.record({
            type: fc.constant('url_citation' as const),
            url: text,
            title: text,
            start_index: fc.nat(),
            end_index: fc.nat(),
          }),
          { maxLength: 1 },
        ),
      }),
      fc.record({ type: fc.constant('refusal' as const), refusal: text }),
    ),
    { maxLength: 2 },
  ),
});
const easyAssistant = opt(
  { role: fc.constant('assistant' as const), content: text, type: fc.constant('message' as const) },
  ['role', 'content'],
);
const reasoning = opt(
  {
    type: fc.constant('reasoning' as const),
    id,
    summary: fc.array(fc.record({ type: fc.constant('summary_text' as const), text }), { maxLength: 2 }),
    encrypted_content: fc.base64String({ maxLength: 16 }),
  },
  ['type', 'id', 'summary'],
);
const itemReference = fc.record({ type: fc.constant('item_reference' as const), id });
const functionCalls = ids.chain((callIds) =>
  fc
    .tuple(
      fc.tuple(
        ...callIds.map((callId) =>
          opt(
            {
              type: fc.constant('function_call' as const),
              call_id: fc.constant(callId),
              name: text,
              arguments: text,
              id,
              status: fc.constant('completed' as const),
            },
            ['type', 'call_id', 'name', 'arguments'],
          ),
        ),
      ),
      fc.tuple(
        ...callIds.map((callId) =>
          opt(
            {
              type: fc.constant('function_call_output' as const),
              call_id: fc.constant(callId),
              output: fc.oneof(text, fc.array(inputContent, { maxLength: 2 })),
              id,
            },
            ['type', 'call_id', 'output'],
          ),
        ),
      ),
    )
    .map(([calls, outputs]) => [...calls, ...outputs]),
);
export const responsesItems: fc.Arbitrary<ResponseInputItem[]> = fc
  .array(
    fc.oneof(
      userItem.map((i) => [i]),
      outputMessage.map((i) => [i]),
      easyAssistant.map((i) => [i]),
      reasoning.map((i) => [i]),
      itemReference.map((i) => [i]),
      functionCalls,
    ),
    { maxLength: 6 },
  )
  .map((turns) => turns.flat() as ResponseInputItem[]);

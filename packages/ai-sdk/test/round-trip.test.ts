import type { UIMessage } from 'ai';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromUIMessages, toUIMessages } from '../src/index.js';

const text = fc.string({ maxLength: 10 });
const json: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const providerMetadata = fc.dictionary(
  fc.constantFrom('openai', 'anthropic'),
  fc.dictionary(text, fc.oneof(text, fc.integer()), { maxKeys: 2 }),
  { maxKeys: 1 },
);
const opt = <T extends Record<string, unknown>>(
  required: { [K in keyof T]: fc.Arbitrary<T[K]> },
  optional: Record<string, fc.Arbitrary<unknown>>,
) => fc.tuple(fc.record(required), fc.record(optional, { requiredKeys: [] })).map(([a, b]) => ({ ...a, ...b }));
const streamState = fc.constantFrom('streaming', 'done');
const approval = (approved?: boolean) =>
  opt({ id: text }, approved === undefined ? { signature: text } : { approved: fc.constant(approved), reason: text });

const toolStates = fc.oneof(
  opt({ state: fc.constant('input-streaming') }, { input: json }),
  fc.record({ state: fc.constant('input-available'), input: json }),
  fc.record({ state: fc.constant('approval-requested'), input: json, approval: approval() }),
  fc.record({ state: fc.constant('approval-responded'), input: json, approval: approval(true) }),
  opt(
    { state: fc.constant('output-available'), input: json, output: json },
    { preliminary: fc.boolean(), approval: approval(true) },
  ),
  opt({ state: fc.constant('output-error'), input: json, errorText: text }, { approval: approval(true) }),
  fc.record({ state: fc.constant('output-denied'), input: json, approval: approval(false) }),
);
const toolCommon = { toolCallId: text };
const toolOptional = { title: text, providerExecuted: fc.boolean(), callProviderMetadata: providerMetadata };

/** Every UIMessage part type and state of AI SDK 6, and a part type it does not know (kept as is). */
const part = fc.oneof(
  opt({ type: fc.constant('text'), text }, { state: streamState, providerMetadata }),
  opt({ type: fc.constant('reasoning'), text }, { state: streamState, providerMetadata }),
  opt({ type: fc.constant('file'), mediaType: text, url: text }, { filename: text, providerMetadata }),
  opt({ type: fc.constant('source-url'), sourceId: text, url: text }, { title: text, providerMetadata }),
  opt(
    { type: fc.constant('source-document'), sourceId: text, mediaType: text, title: text },
    { filename: text, providerMetadata },
  ),
  fc.constant({ type: 'step-start' }),
  opt({ type: fc.constantFrom('data-weather', 'data-progress'), data: json }, { id: text }),
  fc
    .tuple(fc.constantFrom('tool-weather', 'tool-search'), opt(toolCommon, toolOptional), toolStates)
    .map(([type, a, b]) => ({ type, ...a, ...b })),
  fc
    .tuple(opt({ ...toolCommon, toolName: text }, toolOptional), toolStates)
    .map(([a, b]) => ({ type: 'dynamic-tool', ...a, ...b })),
  fc.record({ type: fc.constant('future-part'), payload: json }),
);

const uiMessage = opt(
  { id: fc.uuid(), role: fc.constantFrom('system', 'user', 'assistant'), parts: fc.array(part, { maxLength: 5 }) },
  { metadata: json },
).map((m) => JSON.parse(JSON.stringify(m)) as UIMessage);

describe('UI messages round trip', () => {
  it('toUIMessages(fromUIMessages(x)) deep-equals x, and the stored id is the UI id', () => {
    fc.assert(
      fc.property(fc.array(uiMessage, { maxLength: 4 }), (messages) => {
        const stored = fromUIMessages(messages);
        expect(stored.map((m) => m.id)).toEqual(messages.map((m) => m.id));
        expect(toUIMessages(stored)).toStrictEqual(messages);
        expect(fromUIMessages(toUIMessages(stored))).toStrictEqual(stored);
      }),
      { numRuns: 300 },
    );
  });
});

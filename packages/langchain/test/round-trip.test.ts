import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import type { BaseMessage } from '@langchain/core/messages';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FluxiblyChatMessageHistory, serialize } from '../src/index.js';
import { backends, newUser } from '@fluxibly/test-backends';
import type { Backend } from '@fluxibly/test-backends';

const BACKENDS = backends('langchain');

const text = fc.string({ maxLength: 30 });
const id = fc.string({ minLength: 1, maxLength: 16 });
const scalar = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null));
const json = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }),
  fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })),
  {
    maxKeys: 3,
  },
);
/** Legacy content blocks and v1 standard blocks. */
const block = fc.oneof(
  fc.record({ type: fc.constant('text'), text }),
  fc.record({ type: fc.constant('image_url'), image_url: fc.record({ url: text }) }),
  fc.record({ type: fc.constant('image'), url: text, mimeType: fc.constantFrom('image/png', 'image/jpeg') }),
  fc.record({ type: fc.constant('file'), data: text, mimeType: fc.constant('application/pdf') }),
  fc.record({ type: fc.constant('reasoning'), reasoning: text }),
);
const content = fc.oneof(text, fc.array(block, { maxLength: 3 }));
const base = fc.record({ content, id, name: id, additional_kwargs: json }, { requiredKeys: ['content'] });
const toolCall = fc.record({ id, name: id, args: json, type: fc.constant('tool_call' as const) });
const usage = fc.record({ input_tokens: fc.nat(), output_tokens: fc.nat(), total_tokens: fc.nat() });

const message: fc.Arbitrary<BaseMessage> = fc.oneof(
  base.map((f) => new HumanMessage(f as never)),
  base.map((f) => new SystemMessage(f as never)),
  fc
    .tuple(base, fc.array(toolCall, { maxLength: 2 }), fc.option(usage, { nil: undefined }), json)
    .map(
      ([f, tool_calls, usage_metadata, response_metadata]) =>
        new AIMessage({ ...f, tool_calls, usage_metadata, response_metadata } as never),
    ),
  fc
    .tuple(base, id, fc.constantFrom('success', 'error'), fc.option(json, { nil: undefined }))
    .map(([f, tool_call_id, status, artifact]) => new ToolMessage({ ...f, tool_call_id, status, artifact })),
);

/** What must survive: the class and every field (as LangChain exposes them). */
const shape = (m: BaseMessage): unknown => ({ cls: m.constructor.name, ...serialize(m) });

describe.each(BACKENDS)('every message round-trips deep-equal on $name', ({ name, create }) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await create();
  });
  afterAll(async () => backend.dispose());

  it('getMessages returns exactly what addMessages stored, in order', async () => {
    const stateManager = newUser(backend.open());
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 6 }), async (messages) => {
        const history = new FluxiblyChatMessageHistory({
          stateManager,
          threadId: `rt-${name}-${n++}-${Math.random()}`,
        });
        await history.addMessages(messages);
        const back = await history.getMessages();
        expect(back.map(shape)).toEqual(messages.map(shape));
        expect(back).toEqual(messages);
      }),
      { numRuns: name === 'memory' ? 150 : 40 },
    );
  });
});

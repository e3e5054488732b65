import type { AgentInputItem } from '@openai/agents-core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FluxiblySession } from '../src/index.js';
import { backends, newUser } from '@fluxibly/test-backends';
import type { Backend } from '@fluxibly/test-backends';

const BACKENDS = backends('openai-agents');

const text = fc.string({ maxLength: 40 });
const id = fc.string({ minLength: 1, maxLength: 20 });
const providerData = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 10 }),
  fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })),
  { maxKeys: 3 },
);
const status = fc.constantFrom('in_progress', 'completed', 'incomplete');
/** Optional fields: present with a value, or absent. */
const extra = fc.record({ id, providerData }, { requiredKeys: [] });

const inputPart = fc.oneof(
  fc.record({ type: fc.constant('input_text'), text }),
  fc.record({ type: fc.constant('input_image'), image: text, detail: fc.constantFrom('auto', 'low', 'high') }),
  fc.record({ type: fc.constant('input_file'), file: text, filename: text }),
  fc.record({ type: fc.constant('audio'), audio: text, format: fc.constantFrom('mp3', 'wav') }),
);
const outputPart = fc.oneof(
  fc.record({ type: fc.constant('output_text'), text, providerData }, { requiredKeys: ['type', 'text'] }),
  fc.record({ type: fc.constant('refusal'), refusal: text }),
);

/** Every `AgentInputItem` kind the SDK persists. */
const item = fc
  .oneof(
    fc.tuple(
      extra,
      fc.record({ role: fc.constant('user'), content: fc.oneof(text, fc.array(inputPart, { maxLength: 3 })) }),
    ),
    fc.tuple(extra, fc.record({ role: fc.constant('system'), content: text })),
    fc.tuple(
      extra,
      fc.record({ role: fc.constant('assistant'), status, content: fc.array(outputPart, { maxLength: 3 }) }),
    ),
    fc.tuple(extra, fc.record({ type: fc.constant('function_call'), callId: id, name: id, arguments: text, status })),
    fc.tuple(
      extra,
      fc.record({
        type: fc.constant('function_call_result'),
        callId: id,
        name: id,
        status,
        output: fc.oneof(text, fc.record({ type: fc.constant('text'), text }), fc.array(inputPart, { maxLength: 2 })),
      }),
    ),
    fc.tuple(
      extra,
      fc.record(
        {
          type: fc.constant('reasoning'),
          content: fc.array(fc.record({ type: fc.constant('input_text'), text }), { maxLength: 2 }),
          rawContent: fc.array(fc.record({ type: fc.constant('reasoning_text'), text }), { maxLength: 2 }),
        },
        { requiredKeys: ['type', 'content'] },
      ),
    ),
    fc.tuple(extra, fc.record({ type: fc.constant('compaction'), encrypted_content: text })),
    fc.tuple(
      extra,
      fc.record(
        { type: fc.constant('hosted_tool_call'), name: id, arguments: text, status, output: text },
        { requiredKeys: ['type', 'name'] },
      ),
    ),
    fc.tuple(
      extra,
      fc.record({
        type: fc.constant('computer_call'),
        callId: id,
        status,
        action: fc.record({
          type: fc.constant('click'),
          x: fc.nat(),
          y: fc.nat(),
          button: fc.constantFrom('left', 'right'),
        }),
      }),
    ),
    fc.tuple(
      extra,
      fc.record({
        type: fc.constant('computer_call_result'),
        callId: id,
        output: fc.record({ type: fc.constant('computer_screenshot'), data: text }),
      }),
    ),
  )
  .map(([optional, body]) => ({ ...optional, ...body }) as unknown as AgentInputItem);

describe.each(BACKENDS)('every item round-trips deep-equal on $name', ({ name, create }) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await create();
  });
  afterAll(async () => backend.dispose());

  it('getItems returns exactly what addItems stored, in order', async () => {
    const stateManager = newUser(backend.open());
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 8 }), async (items) => {
        const session = new FluxiblySession({ stateManager });
        await session.addItems(items);
        expect(await session.getItems()).toEqual(items);
        expect(await session.popItem()).toEqual(items.at(-1));
      }),
      { numRuns: name === 'memory' ? 200 : 50 },
    );
  });
});

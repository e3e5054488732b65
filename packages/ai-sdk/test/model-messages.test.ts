import type { ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { fromModelMessages } from '../src/index.js';
import { BACKENDS } from './backends.js';
import { openState } from './chat.js';

describe('fromModelMessages (persist per step)', () => {
  it('mints UUIDv7 ids, keeps parts and providerOptions, and stores bytes as base64', async () => {
    const step: ModelMessage[] = [
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'hm', providerOptions: { anthropic: { signature: 'sig' } } },
          { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Oslo' } },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'c1', toolName: 'weather', output: { type: 'json', value: { t: 3 } } },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'file', mediaType: 'image/png', data: new Uint8Array([1, 2, 3]) }],
        providerOptions: { x: { y: 1 } },
      },
    ];
    const messages = fromModelMessages(step);
    expect(messages.every((m) => /^[0-9a-f]{8}-[0-9a-f]{4}-7/.test(m.id))).toBe(true);
    expect(messages[1]).toMatchObject({ role: 'tool', toolCallId: 'c1' });
    expect(messages[2]).toMatchObject({
      content: [{ type: 'file', mediaType: 'image/png', data: 'AQID' }],
      metadata: { providerOptions: { x: { y: 1 } } },
    });
    const backend = (BACKENDS[0] as (typeof BACKENDS)[number]).make();
    const state = await openState(backend);
    const thread = await state.createThread();
    const stored = await state.addMessages(messages, { threadId: thread.id });
    expect(stored.map((m) => m.content)).toEqual(messages.map((m) => m.content));
    // Saving the same step again (a retried onStepFinish) adds nothing.
    await state.addMessages(messages, { threadId: thread.id });
    expect((await state.getThread(thread.id))?.messageCount).toBe(3);
    await backend.close();
  });
});

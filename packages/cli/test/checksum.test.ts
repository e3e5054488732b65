import { describe, expect, it } from 'vitest';
import { MemoryConversationRepository } from '@fluxibly/memory';
import { canonicalJson, digestConversations } from '../src/checksum.js';

describe('digestConversations', () => {
  it('is the same for the same data whatever the key order of JSON objects, and differs when a message differs', async () => {
    expect(canonicalJson({ b: [{ d: 1, c: 'x' }], a: null })).toBe('{"a":null,"b":[{"c":"x","d":1}]}');
    const scope = { orgId: 'o', userId: 'u' };
    const make = async (content: object, text: string) => {
      const repository = new MemoryConversationRepository();
      await repository.createThread(scope, { id: 't' });
      await repository.appendMessages(scope, {
        threadId: 't',
        messages: [
          { id: 'm', role: 'user', content: [{ type: 'data', ...content }] },
          { id: 'n', role: 'user', content: text },
        ],
      });
      return digestConversations(repository, { orgId: 'o' });
    };
    const a = await make({ x: 1, y: 2 }, 'hi');
    expect(a).toMatchObject({ threads: 1, messages: 2 });
    expect(await make({ y: 2, x: 1 }, 'hi')).toEqual(a);
    expect((await make({ x: 1, y: 2 }, 'ho')).checksum).not.toBe(a.checksum);
  });
});

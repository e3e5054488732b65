import { randomUUID } from 'node:crypto';
import type { JsonObject, JsonValue } from '@fluxibly/core';
import { applyMetadataPatch } from '@fluxibly/core/adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConversationRepository } from '../src/index.js';
import { removePrefix, runPrefix } from './support/redis.js';
import { requiredTargets } from './support/targets.js';

/**
 * What the conformance suite cannot see of the contract-v2 scripts: the metadata patch edits the stored JSON text
 * in Lua without re-encoding it (cjson would turn `[]` into `{}` and round big numbers), so keys and values that
 * need escaping, nesting that holds `}` `]` `"` `,` and `\` inside strings, empty arrays and objects and numbers
 * beyond 2^53 must come back exactly as `JSON.parse` of what the client wrote; and a replaced tail's ids, found in
 * Lua from the stored messages, must be freed whatever characters they hold.
 */
const targets = await requiredTargets('v2-scripts');

/** A number beyond 2^53 (JavaScript rounds it to 12345678901234567000). */
const BIG = Number('12345678901234567890');

const AWKWARD_KEYS = ['k"ey', 'back\\slash', 'new\nline', '', '__proto__', 'ünï 🧵', '}', '{"a":1}', 'a,b:c'];
const AWKWARD_VALUES: JsonValue[] = [
  [],
  {},
  [[], {}, [{}]],
  { s: 'has } and ] and " and , and \\ inside', t: ['{', '[', '"'] },
  BIG,
  1e21,
  -0.5,
  0,
  '',
  null,
  true,
  'ünïcødé 🎉 "quoted"',
];

for (const target of targets) {
  describe(`contract-v2 scripts (${target.label})`, () => {
    const keyPrefix = runPrefix('v2');
    let repository: RedisConversationRepository;
    beforeAll(() => {
      repository = new RedisConversationRepository({ ...target.connection, keyPrefix });
    });
    afterAll(async () => {
      await repository.close();
      const admin = target.admin();
      await removePrefix(admin, keyPrefix);
      await admin.quit();
    });
    const scope = () => ({ orgId: `v2-${randomUUID()}`, userId: 'u' });

    it('patches keep every untouched value exactly, whatever its keys and text hold', async () => {
      const owner = scope();
      const initial: JsonObject = {};
      AWKWARD_KEYS.forEach((key, i) => {
        Object.defineProperty(initial, key, {
          value: AWKWARD_VALUES[i % AWKWARD_VALUES.length] ?? null,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      });
      const thread = await repository.createThread(owner, { metadata: initial });
      let expected = JSON.parse(JSON.stringify(initial)) as JsonObject;
      expect(thread.metadata).toEqual(expected);
      for (const [i, key] of AWKWARD_KEYS.entries()) {
        const set: JsonObject = {};
        const fresh = `fresh ${key}`;
        Object.defineProperty(set, fresh, {
          // null in a patch removes a key: set values are never null.
          value: AWKWARD_VALUES.filter((v) => v !== null)[(i + 3) % (AWKWARD_VALUES.length - 1)] ?? false,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        Object.defineProperty(set, key, {
          value: { replaced: i },
          enumerable: true,
          writable: true,
          configurable: true,
        });
        const remove = i % 3 === 0 ? [AWKWARD_KEYS[(i + 1) % AWKWARD_KEYS.length] as string] : [];
        const patch = Object.fromEntries([...Object.entries(set), ...remove.map((k) => [k, null])]) as JsonObject;
        const updated = await repository.updateThread(owner, { threadId: thread.id, metadataPatch: patch });
        expected = JSON.parse(JSON.stringify(applyMetadataPatch(expected, { set, remove }))) as JsonObject;
        expect(updated.metadata, `after patch ${i} (${JSON.stringify(key)})`).toEqual(expected);
      }
      expect((await repository.getThread(owner, thread.id))?.metadata).toEqual(expected);
    });

    it('compares expected values as JSON of the same type, with escapes', async () => {
      const owner = scope();
      const thread = await repository.createThread(owner, {
        metadata: { 'k"ey': 'v "q" \\', n: BIG, s: '1' },
      });
      const cas = (expectedMetadata: Record<string, string | number | boolean | null>) =>
        repository.updateThread(owner, { threadId: thread.id, metadataPatch: { seen: true }, expectedMetadata });
      await expect(cas({ 'k"ey': 'v "q" \\', n: BIG, s: '1', absent: null })).resolves.toBeDefined();
      await expect(cas({ s: 1 })).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(cas({ n: '12345678901234567000' })).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(cas({ 'k"ey': 'v "q" /' })).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(cas({ seen: null })).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('a replaced tail frees its ids whatever characters they hold', async () => {
      const owner = scope();
      const thread = await repository.createThread(owner);
      const ids = ['id "q" \\ ,', 'ünï\n🧵', '"', '\\'];
      await repository.appendMessages(owner, {
        threadId: thread.id,
        messages: [
          { role: 'user', content: 'q' },
          ...ids.map((id) => ({ id, role: 'assistant' as const, content: id })),
        ],
      });
      const replaced = await repository.appendMessages(owner, {
        threadId: thread.id,
        replaceAfterSeq: 1,
        messages: [{ id: 'new', role: 'assistant', content: 'new' }],
      });
      expect(replaced.map((m) => m.seq)).toEqual([6]);
      for (const id of ids)
        expect(await repository.getMessage(owner, { threadId: thread.id, messageId: id })).toBeNull();
      const again = await repository.appendMessages(owner, {
        threadId: thread.id,
        messages: ids.map((id) => ({ id, role: 'assistant' as const, content: `${id} again` })),
      });
      expect(
        again.map((m) => m.seq),
        'the freed ids are appended anew',
      ).toEqual([7, 8, 9, 10]);
    });
  });
}

import { FluxiblyError, ValidationError } from '@fluxibly/core';
import { describe, expect, it } from 'vitest';
import { appendMessages } from '../../src/append.js';
import type { Connection } from '../../src/connection.js';
import { qualifiedTables } from '../../src/schema.js';
import { buildStatements } from '../../src/sql/index.js';
import type { ValidAppend } from '@fluxibly/core/adapter';
import { validateAppend } from '@fluxibly/core/adapter';

const scope = { orgId: 'org', userId: 'user' };
const statements = buildStatements(qualifiedTables('s'));

/** A connection that must not be reached: serialising fails before anything is sent. */
const unreachable = {
  query: () => Promise.reject(new Error('nothing may be sent')),
} as unknown as Connection;

/** A validated batch whose content then fails to serialise as `JSON.stringify` does past V8's longest string. */
function unserialisable(count: number): ValidAppend {
  const valid = validateAppend({
    threadId: 't',
    messages: Array.from({ length: count }, (_, i) => ({ id: `m${i}`, role: 'user', content: 'x' })),
  });
  const poisoned = {
    toJSON() {
      throw new RangeError('Invalid string length');
    },
  };
  return { ...valid, messages: valid.messages.map((m) => ({ ...m, content: poisoned as unknown as string })) };
}

describe('appendMessages serialisation', () => {
  for (const count of [1, 3]) {
    it(`a batch of ${count} that cannot be serialised is a ValidationError naming messages, nothing sent`, async () => {
      const error: unknown = await appendMessages(
        { connection: unreachable, statements },
        scope,
        unserialisable(count),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FluxiblyError);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('messages');
    });
  }
});

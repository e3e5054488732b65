import { ValidationError } from '@fluxibly/core';
import { describe, expect, it } from 'vitest';
import { PostgresConversationRepository } from '../../src/repository.js';

describe('timeout options', () => {
  for (const option of ['statementTimeoutMs', 'connectTimeoutMs'] as const) {
    for (const value of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '1000' as unknown as number]) {
      it(`${option}: ${String(value)} is a ValidationError naming ${option}`, () => {
        let error: unknown;
        try {
          new PostgresConversationRepository({ url: 'postgres://u@127.0.0.1:1/d', [option]: value });
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe(option);
      });
    }
    it(`${option}: a whole number of ms is accepted`, async () => {
      const repository = new PostgresConversationRepository({ url: 'postgres://u@127.0.0.1:1/d', [option]: 1_000 });
      await repository.close();
    });
  }
});

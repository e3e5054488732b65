import { UnavailableError, ValidationError } from '@fluxibly/core';
import { describe, expect, it } from 'vitest';
import { secretsOf } from '../../src/connection.js';
import { isRetryable, toFluxiblyError } from '../../src/errors.js';

function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('driver errors', () => {
  it('connection failures become UnavailableError with the driver error as cause and no secret', () => {
    const secrets = secretsOf({ url: 'postgres://bob:s3cr%40t@db:5432/app' });
    expect(secrets).toContain('s3cr@t');
    const cause = pgError('ECONNREFUSED', 'connect ECONNREFUSED with s3cr@t inside');
    const error = toFluxiblyError(cause, secrets, 'public');
    expect(error).toBeInstanceOf(UnavailableError);
    // The cause is core's printable copy of the driver error, with the secrets given here cut out too.
    expect(error.cause).toMatchObject({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED with *** inside' });
    expect(error.message).not.toContain('s3cr@t');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('a missing table names migrate()', () => {
    const error = toFluxiblyError(pgError('42P01', 'relation does not exist'), [], 'chat');
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toMatch(/schema "chat"; run migrate\(\)/);
  });

  it('data exceptions (SQLSTATE class 22) are ValidationErrors, never UNAVAILABLE', () => {
    for (const [code, message] of [
      ['22007', 'invalid input syntax for type timestamp with time zone: "+287396-10-12T08:59:00.991Z"'],
      ['22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
      ['22008', 'timestamp out of range'],
    ]) {
      const error = toFluxiblyError(pgError(code ?? '', message ?? ''), [], 'public');
      expect(error, code).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('input');
      expect(error.message).toContain(code);
    }
  });

  it('lost races are retried; other errors are not', () => {
    expect(isRetryable(pgError('23505', 'duplicate key'))).toBe(true);
    expect(isRetryable(pgError('40001', 'serialization'))).toBe(true);
    expect(isRetryable(pgError('40P01', 'deadlock'))).toBe(true);
    expect(isRetryable(pgError('57P01', 'terminating connection'))).toBe(false);
    expect(isRetryable(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});

import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SafeCause, UnavailableError, ValidationError } from '../src/index.js';
import { safeCause, scrubSecrets } from '../src/adapter/index.js';

const SECRET = 'hunter2-SECRET';

/** An error shaped like ioredis's failed AUTH: the password sits in the command's arguments. */
function authError(): Error {
  const error = new Error('WRONGPASS invalid username-password pair or user is disabled.');
  error.name = 'ReplyError';
  Object.assign(error, {
    command: { name: 'auth', args: ['default', SECRET] },
    options: { host: '127.0.0.1', password: SECRET },
    code: 'WRONGPASS',
  });
  return error;
}

function everyPrintout(value: unknown): string[] {
  return [
    String(value),
    inspect(value, { depth: null }),
    inspect(value, { depth: null, showHidden: true }),
    JSON.stringify(value) ?? '',
    JSON.stringify((value as { cause?: unknown }).cause) ?? '',
    (value as Error).stack ?? '',
  ];
}

describe('a FluxiblyError cause is a printable copy', () => {
  it('drops command arguments and connection options, keeps name, message and code', () => {
    const error = new UnavailableError('redis is unavailable (ReplyError)', { cause: authError() });
    for (const printout of everyPrintout(error)) expect(printout).not.toContain(SECRET);
    const cause = error.cause as Error & { code?: string };
    expect(cause).toBeInstanceOf(SafeCause);
    expect(cause.name).toBe('ReplyError');
    expect(cause.message).toContain('WRONGPASS');
    expect(cause.code).toBe('WRONGPASS');
    expect(JSON.parse(JSON.stringify(cause))).toMatchObject({ name: 'ReplyError', code: 'WRONGPASS' });
  });

  it('scrubs URL credentials, password pairs and the given secrets, also percent-encoded, in nested causes', () => {
    const inner = new Error(`connect to postgres://u:${SECRET}@db/x failed; password=${SECRET}`);
    const outer = new AggregateError([new Error(`token: ${SECRET}`)], `wrapped p@ss/${encodeURIComponent('p@ss/')}`, {
      cause: inner,
    });
    const error = new UnavailableError('down', { cause: outer, secrets: ['p@ss/'] });
    for (const printout of everyPrintout(error)) {
      expect(printout).not.toContain(SECRET);
      expect(printout).not.toContain('p@ss/');
      expect(printout).not.toContain(encodeURIComponent('p@ss/'));
    }
    expect(((error.cause as Error).cause as Error).message).toContain('postgres://***@db/x');
  });

  it('keeps a FluxiblyError cause as it is, and copies non-errors', () => {
    const validation = new ValidationError('x', 'bad');
    expect(new UnavailableError('down', { cause: validation }).cause).toBe(validation);
    expect((new UnavailableError('down', { cause: 'text' }).cause as Error).message).toBe('text');
    expect(new UnavailableError('down').cause).toBeUndefined();
  });

  it('survives getters that throw', () => {
    const hostile = Object.defineProperty(new Error('m'), 'code', {
      get() {
        throw new Error('boom');
      },
    });
    expect(safeCause(hostile)?.message).toBe('m');
  });

  it('scrubSecrets leaves ordinary text alone', () => {
    expect(scrubSecrets('connect ECONNREFUSED 127.0.0.1:6379')).toBe('connect ECONNREFUSED 127.0.0.1:6379');
  });
});

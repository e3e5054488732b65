import { describe, expect, it, vi } from 'vitest';
import {
  ConflictError,
  FluxiblyError,
  NotFoundError,
  UnavailableError,
  UnsupportedError,
  ValidationError,
} from '../src/index.js';

describe('errors', () => {
  const cases = [
    [new NotFoundError('gone'), NotFoundError, 'NOT_FOUND'],
    [new ValidationError('messages[0].role', 'bad'), ValidationError, 'VALIDATION'],
    [new ConflictError('moved', { expectedLastSeq: 1, actualLastSeq: 2 }), ConflictError, 'CONFLICT'],
    [new UnavailableError('down', { cause: new Error('ECONNREFUSED') }), UnavailableError, 'UNAVAILABLE'],
    [new UnsupportedError('no'), UnsupportedError, 'UNSUPPORTED'],
  ] as const;

  it.each(cases)('%s has its code, name and class', (error, type, code) => {
    expect(error.code).toBe(code);
    expect(error.name).toBe(type.name);
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(FluxiblyError);
    expect(error).toBeInstanceOf(Error);
    expect(FluxiblyError.is(error)).toBe(true);
    expect(FluxiblyError.is(error, code)).toBe(true);
    for (const [, other] of cases) if (other !== type) expect(error).not.toBeInstanceOf(other);
  });

  it('keeps the field, the seqs and the cause', () => {
    const validation = new ValidationError('messages[2].content', 'is required');
    expect(validation.field).toBe('messages[2].content');
    expect(validation.message).toBe('messages[2].content: is required');
    const conflict = new ConflictError('moved', { expectedLastSeq: 3, actualLastSeq: 5 });
    expect([conflict.expectedLastSeq, conflict.actualLastSeq]).toEqual([3, 5]);
    const cause = Object.assign(new Error('driver'), { code: 'ECONNREFUSED' });
    expect(new UnavailableError('down', { cause }).cause).toMatchObject({
      name: 'Error',
      message: 'driver',
      code: 'ECONNREFUSED',
    });
  });

  it('does not claim plain errors or look-alikes', () => {
    const lookAlike = Object.assign(new Error('x'), { code: 'NOT_FOUND' });
    expect(lookAlike).not.toBeInstanceOf(NotFoundError);
    expect(lookAlike).not.toBeInstanceOf(FluxiblyError);
    expect(FluxiblyError.is(lookAlike)).toBe(false);
    expect(FluxiblyError.is(null)).toBe(false);
    expect(FluxiblyError.is('NOT_FOUND')).toBe(false);
  });

  it('instanceof works across a second copy of the package (the brand, not the prototype)', async () => {
    // A separate module instance: what two installed copies of @fluxibly/core (or its ESM and CJS builds) give.
    vi.resetModules();
    const copy = await import('../src/errors/index.js');
    expect(copy.NotFoundError).not.toBe(NotFoundError);
    expect(copy.FluxiblyError).not.toBe(FluxiblyError);
    const foreign = new copy.NotFoundError('from the other copy');
    expect(foreign).toBeInstanceOf(NotFoundError);
    expect(foreign).toBeInstanceOf(FluxiblyError);
    expect(foreign).not.toBeInstanceOf(ConflictError);
    expect(new ValidationError('f', 'x')).toBeInstanceOf(copy.ValidationError);
    expect(new ValidationError('f', 'x')).not.toBeInstanceOf(copy.NotFoundError);
    expect(FluxiblyError.is(new copy.UnsupportedError('x'), 'UNSUPPORTED')).toBe(true);
  });
});

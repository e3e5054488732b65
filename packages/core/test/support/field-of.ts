import { expect } from 'vitest';
import { ValidationError } from '../../src/index.js';

/** Run `run`, which must throw a ValidationError, and return the field it names. */
export function fieldOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
}

import { LIMITS } from '@fluxibly/core';

export { ConflictError, FluxiblyError } from '@fluxibly/core';

/** Why `value` is not a valid id (1–255 characters, no NUL), or `undefined` when it is. */
export function validateIdForCli(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > LIMITS.idLength) return `must be at most ${LIMITS.idLength} characters`;
  if (value.includes('\u0000')) return 'must not contain NUL';
  return undefined;
}

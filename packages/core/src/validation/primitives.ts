import { ValidationError } from '../errors/errors.js';
import type { OrgScope, Scope } from '../model/scope.js';
import { checkStoredString, isPlainObject } from './json.js';
import { LIMITS } from './limits.js';

/** Validate an id (thread, message, org, user): a string of 1–255 characters; any characters are allowed. */
export function validateId(value: unknown, field: string): string {
  if (typeof value !== 'string') {
    throw new ValidationError(field, `must be a string id, got ${describeValue(value)}`);
  }
  if (value.length === 0) throw new ValidationError(field, 'must not be empty');
  if (value.length > LIMITS.idLength) throw new ValidationError(field, `must be at most ${LIMITS.idLength} characters`);
  checkStoredString(value, field);
  return value;
}

/** Validate an optional id; `undefined` stays `undefined`. */
export function validateOptionalId(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : validateId(value, field);
}

/** Validate a display name (thread name, message author name): a string of at most 1,000 characters. */
export function validateName(value: unknown, field: string, options: { allowEmpty: boolean }): string {
  if (typeof value !== 'string') throw new ValidationError(field, `must be a string, got ${describeValue(value)}`);
  if (!options.allowEmpty && value.length === 0) throw new ValidationError(field, 'must not be empty');
  if (value.length > LIMITS.nameLength) {
    throw new ValidationError(field, `must be at most ${LIMITS.nameLength} characters`);
  }
  checkStoredString(value, field);
  return value;
}

/** Validate an integer in `[min, max]`; `undefined` gives `fallback`. */
export function validateInteger(
  value: unknown,
  field: string,
  range: { min: number; max: number; fallback?: number },
): number {
  if (value === undefined && range.fallback !== undefined) return range.fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ValidationError(field, `must be an integer, got ${describeValue(value)}`);
  }
  if (value < range.min || value > range.max) {
    throw new ValidationError(field, `must be between ${range.min} and ${range.max}, got ${value}`);
  }
  return value;
}

/** Validate the input object of a call. */
export function validateInputObject(value: unknown, field = 'input'): Record<string, unknown> {
  if (!isPlainObject(value)) throw new ValidationError(field, `must be an object, got ${describeValue(value)}`);
  return value;
}

/** Validate a `{ orgId, userId }` scope and return a copy. */
export function validateScope(scope: unknown): Scope {
  const object = validateInputObject(scope, 'scope');
  return { orgId: validateId(object.orgId, 'scope.orgId'), userId: validateId(object.userId, 'scope.userId') };
}

/** Validate an `{ orgId }` scope and return a copy. */
export function validateOrgScope(scope: unknown): OrgScope {
  const object = validateInputObject(scope, 'scope');
  return { orgId: validateId(object.orgId, 'scope.orgId') };
}

/** A short description of a value's type for error messages (never its content). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}

import { ValidationError } from '../errors/errors.js';
import type { JsonObject, JsonValue } from '../model/json.js';
import { LIMITS } from './limits.js';

/** True for `{}`-style objects: prototype `Object.prototype` or `null`. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Check that a string can be stored by every backend: well-formed UTF-16 (no lone surrogates) and no NUL
 * (PostgreSQL cannot store U+0000 in text or jsonb).
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function checkStoredString(value: string, field: string): void {
  if (LONE_SURROGATE.test(value)) throw new ValidationError(field, 'contains a lone surrogate (not valid Unicode)');
  if (value.includes('\u0000')) throw new ValidationError(field, 'contains a NUL character (U+0000)');
}

function setOwn(target: Record<string, JsonValue>, key: string, value: JsonValue): void {
  // defineProperty, not assignment: a "__proto__" key stays an ordinary key.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function copyJson(value: unknown, field: string, ancestors: Set<object>, depth: number): JsonValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    checkStoredString(value, field);
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(field, `is ${String(value)}, which JSON cannot hold`);
    return value === 0 ? 0 : value;
  }
  if (typeof value !== 'object') {
    throw new ValidationError(field, `is a ${typeof value}, which JSON cannot hold`);
  }
  if (depth > LIMITS.jsonDepth) throw new ValidationError(field, `is nested deeper than ${LIMITS.jsonDepth} levels`);
  if (ancestors.has(value)) throw new ValidationError(field, 'is circular');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const out: JsonValue[] = [];
      for (let i = 0; i < value.length; i++) {
        if (!(i in value)) throw new ValidationError(`${field}[${i}]`, 'is a hole in a sparse array');
        const item: unknown = value[i];
        if (item === undefined) throw new ValidationError(`${field}[${i}]`, 'is undefined, which JSON cannot hold');
        out.push(copyJson(item, `${field}[${i}]`, ancestors, depth + 1));
      }
      return out;
    }
    if (!isPlainObject(value)) {
      const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new ValidationError(field, `is a ${kind}, not a plain JSON object`);
    }
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value)) {
      const keyField = `${field}.${key}`;
      checkStoredString(key, keyField);
      const item = value[key];
      if (item === undefined) throw new ValidationError(keyField, 'is undefined, which JSON cannot hold');
      setOwn(out, key, copyJson(item, keyField, ancestors, depth + 1));
    }
    if (Object.getOwnPropertySymbols(value).length > 0) {
      throw new ValidationError(field, 'has symbol keys, which JSON cannot hold');
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/** Validate any JSON value and return a deep copy that shares nothing with the input. */
export function copyJsonValue(value: unknown, field: string): JsonValue {
  if (typeof value === 'string') {
    // The usual content: checked as `copyJson` checks a string, without an ancestor set (a string cannot nest).
    checkStoredString(value, field);
    return value;
  }
  return copyJson(value, field, new Set(), 0);
}

/** UTF-8 size of a value's JSON text. */
export function jsonBytes(value: JsonValue): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/**
 * Validate a metadata object (plain object of JSON, at most {@link LIMITS.metadataBytes}) and return a copy.
 * `undefined` gives `{}`.
 */
export function validateMetadata(value: unknown, field: string): JsonObject {
  return sizedMetadata(value, field).value;
}

/** {@link validateMetadata}, with the copy's size in UTF-8 JSON bytes (2 for `{}`). */
export function sizedMetadata(value: unknown, field: string): { value: JsonObject; bytes: number } {
  if (value === undefined) return { value: {}, bytes: 2 };
  if (!isPlainObject(value)) throw new ValidationError(field, 'must be a plain JSON object');
  const copy = copyJsonValue(value, field) as JsonObject;
  const bytes = jsonBytes(copy);
  if (bytes > LIMITS.metadataBytes) {
    throw new ValidationError(field, `is larger than ${LIMITS.metadataBytes} bytes of JSON`);
  }
  return { value: copy, bytes };
}

import type { MetadataFilterValue } from '../contract/options.js';
import type { JsonObject, JsonValue } from '../model/json.js';
import { jsonBytes } from '../validation/json.js';
import { LIMITS } from '../validation/limits.js';
import type { ValidMetadataPatch } from '../validation/inputs.js';
import { metadataPatchTooLarge } from './standard-errors.js';

/**
 * For adapters that merge in JavaScript (inside their own atomic step: a lock, a transaction, a compare-and-swap):
 * `current` with `patch` applied — keys of `patch.set` replaced, keys of `patch.remove` deleted — as a new object.
 * @throws ValidationError naming `metadataPatch` when the result is larger than `LIMITS.metadataBytes`.
 */
export function applyMetadataPatch(current: JsonObject, patch: ValidMetadataPatch): JsonObject {
  const merged: JsonObject = { ...current };
  for (const [key, value] of Object.entries(patch.set)) {
    Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true });
  }
  for (const key of patch.remove) delete merged[key];
  checkMergedMetadataSize(jsonBytes(merged));
  return merged;
}

/** The `ValidationError` for patched metadata of `bytes` UTF-8 JSON bytes, when that is beyond the limit. */
export function checkMergedMetadataSize(bytes: number): void {
  if (bytes > LIMITS.metadataBytes) throw metadataPatchTooLarge();
}

/**
 * Whether `metadata` holds each key of `expected` with that value (`null`: the key is absent or `null`) — the
 * test of `expectedMetadata` and, without nulls, of a listing's `metadata` filter.
 */
export function metadataMatches(
  metadata: JsonObject,
  expected: Readonly<Record<string, MetadataFilterValue | null>>,
): boolean {
  for (const [key, want] of Object.entries(expected)) {
    const have: JsonValue | undefined = Object.hasOwn(metadata, key) ? metadata[key] : undefined;
    if (want === null ? have !== undefined && have !== null : have !== want) return false;
  }
  return true;
}

import type { JsonObject, MetadataFilterValue } from '@fluxibly/core';

/**
 * Listing threads by metadata, index-backed, for any key.
 *
 * Metadata is stored as JSON text (so that any key round-trips), which no index can look into. Each thread also
 * keeps `metadataTags`: one string per top-level key whose value is a string, a number or a boolean,
 * `JSON.stringify(key) + ':' + JSON.stringify(value)` — exactly that member as it appears in the metadata's JSON.
 * Two tags are equal exactly when key and value are equal as JSON: `"n":1` ≠ `"n":"1"`, `"b":true` ≠ `"b":"true"`,
 * and a key holding `.` or starting with `$` is just part of a string value, never a field path or an operator.
 *
 * A filter `{ k1: v1, k2: v2 }` becomes `metadataTags: { $all: [tag1, tag2] }` after the scope's equality prefix.
 * The multikey indexes `{ orgId, userId, metadataTags, updatedAt: -1, _id: -1 }` and
 * `{ orgId, metadataTags, updatedAt: -1, _id: -1 }` (see `migrate.ts`) serve it: equality on the scope and on one
 * tag, then the index's own `updatedAt`/`_id` order, so a page reads `limit + 1` matching entries (further tags of
 * the filter are checked on the fetched documents). A wildcard index on a BSON copy of the metadata was not
 * chosen: field names with `.` or a leading `$` cannot be queried by path, and a wildcard index cannot follow a
 * scope prefix and give the listing's order.
 */

/** The tags of `metadata`: one per top-level key holding a string, number or boolean, in key order. */
export function metadataTags(metadata: JsonObject): string[] {
  const tags: string[] = [];
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      tags.push(metadataTag(key, value));
    }
  }
  return tags;
}

/** The tag of one key holding `value`. */
export function metadataTag(key: string, value: MetadataFilterValue): string {
  return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
}

/** The tags a listing's `metadata` filter requires (every one of them: AND). */
export function filterTags(filter: Readonly<Record<string, MetadataFilterValue>>): string[] {
  return Object.entries(filter).map(([key, value]) => metadataTag(key, value));
}

/**
 * SQL expressions over thread metadata (`jsonb`) for contract v2: listing filters, `expectedMetadata` and the
 * size of patched metadata. Each takes SQL expressions (a column, a parameter) and returns an expression.
 */

/**
 * The bytes of `json` as compact JSON text — what `JSON.stringify` gives and core's limits count: PostgreSQL's
 * `jsonb` text puts a space after every `:` and `,` between members and elements, so those are subtracted (2k − 1
 * per object of k members, k − 1 per array of k elements, every level: `strict $.**` yields each value once).
 */
export function compactJsonBytes(json: string): string {
  return `(octet_length((${json})::text) - (SELECT coalesce(sum(CASE jsonb_typeof(v)
    WHEN 'object' THEN greatest(2 * (SELECT count(*) FROM jsonb_object_keys(v)) - 1, 0)
    WHEN 'array' THEN greatest(jsonb_array_length(v) - 1, 0) ELSE 0 END), 0)
  FROM jsonb_path_query(${json}, 'strict $.**') AS v))`;
}

/**
 * Whether `metadata` holds every key of `expected` (a `jsonb` object of primitives and nulls) with that value:
 * `null` means the key is absent or null, any other value must be equal as JSON (`1` ≠ `"1"`). The semantics of
 * core's `metadataMatches`.
 */
export function metadataMatches(metadata: string, expected: string): string {
  return `NOT EXISTS (SELECT 1 FROM jsonb_each(${expected}) AS e WHERE CASE WHEN e.value = 'null'::jsonb
    THEN coalesce(${metadata} -> e.key, 'null'::jsonb) <> 'null'::jsonb
    ELSE (${metadata} -> e.key) IS DISTINCT FROM e.value END)`;
}

/**
 * A listing's `metadata` filter (a `jsonb` object of primitives): `@>` — which the GIN index
 * `fluxibly_threads_metadata` (migration 0004) serves — and, for the rows it finds, exact equality per key:
 * containment alone would also take an array holding the value (`{"k": ["v"]} @> {"k": "v"}`).
 */
export function metadataFilter(metadata: string, filter: string): string {
  return `${metadata} @> ${filter} AND NOT EXISTS (SELECT 1 FROM jsonb_each(${filter}) AS f
    WHERE ${metadata} -> f.key IS DISTINCT FROM f.value)`;
}

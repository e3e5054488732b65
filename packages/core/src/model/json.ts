/** Any value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** A plain JSON object (no class instances, no `undefined`, no functions). */
export interface JsonObject {
  [key: string]: JsonValue;
}

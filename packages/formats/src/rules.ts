import type { ContentPart, JsonValue } from '@fluxibly/core';
import { cloneJson, isRecord, type JsonRecord } from './json.js';

/**
 * How one provider block maps to a canonical content part: the provider `type` (`native`), the part `type`
 * (`canonical`), and `[providerPath, partField]` pairs (`a.b` reaches into a nested object). Every provider field a
 * pair does not name is kept under the part's format key (`part.anthropic`, …), so the block comes back whole.
 */
export interface BlockRule {
  readonly native: string;
  readonly canonical: string;
  readonly fields: readonly (readonly [string, string])[];
}

/** The part type of a provider block no rule knows: the block is kept whole in `part.block`. */
export const RAW_PART = 'provider-block';

function getPath(record: JsonRecord, path: string): JsonValue | undefined {
  let value: JsonValue | undefined = record;
  for (const key of path.split('.')) value = isRecord(value) ? value[key] : undefined;
  return value;
}

function deletePath(record: JsonRecord, path: string): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  const parents: JsonRecord[] = [record];
  for (const key of keys) parents.push(parents[parents.length - 1]?.[key] as JsonRecord);
  delete parents[parents.length - 1]?.[last];
  // Drop a parent the mapped fields emptied: `setPath` makes it again on the way back.
  for (let i = keys.length - 1; i >= 0; i--) {
    const parent = parents[i] as JsonRecord;
    const child = parent[keys[i] as string];
    if (isRecord(child) && Object.keys(child).length === 0) delete parent[keys[i] as string];
  }
}

function setPath(record: JsonRecord, path: string, value: JsonValue): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let target = record;
  for (const key of keys) {
    const next = target[key];
    if (!isRecord(next)) target[key] = {};
    target = target[key] as JsonRecord;
  }
  target[last] = value;
}

/** Converts provider blocks to parts and back with a table of {@link BlockRule}s, keeping unknown blocks whole. */
export class BlockCodec {
  private readonly byNative = new Map<string, BlockRule>();
  private readonly byCanonical = new Map<string, BlockRule>();

  constructor(
    /** The part field holding what the rule does not map, e.g. `anthropic`. */
    readonly formatKey: string,
    rules: readonly BlockRule[],
  ) {
    for (const rule of rules) {
      this.byNative.set(rule.native, rule);
      if (!this.byCanonical.has(rule.canonical)) this.byCanonical.set(rule.canonical, rule);
    }
  }

  /** The part for one provider block. */
  toPart(block: JsonRecord): ContentPart {
    const rule = typeof block.type === 'string' ? this.byNative.get(block.type) : undefined;
    if (rule === undefined) return { type: RAW_PART, format: this.formatKey, block: cloneJson(block) };
    const rest = cloneJson(block);
    const part: ContentPart = { type: rule.canonical };
    for (const [path, field] of rule.fields) {
      const value = getPath(rest, path);
      if (value === undefined) continue;
      part[field] = value;
      deletePath(rest, path);
    }
    delete rest.type;
    if (this.byCanonical.get(rule.canonical)?.native !== rule.native) rest.type = rule.native;
    if (Object.keys(rest).length > 0) part[this.formatKey] = rest;
    return part;
  }

  /** The provider block for one part, or `undefined` when this format has no block for its type. */
  fromPart(part: ContentPart): JsonRecord | undefined {
    if (part.type === RAW_PART)
      return part.format === this.formatKey && isRecord(part.block) ? cloneJson(part.block) : undefined;
    const kept = part[this.formatKey];
    const rest: JsonRecord = isRecord(kept) ? cloneJson(kept) : {};
    const native = typeof rest.type === 'string' ? rest.type : this.byCanonical.get(part.type)?.native;
    const rule = native === undefined ? undefined : this.byNative.get(native);
    if (rule?.canonical !== part.type) return undefined;
    const block: JsonRecord = { type: rule.native };
    for (const [path, field] of rule.fields) {
      const value = part[field];
      if (value !== undefined) setPath(rest, path, cloneJson(value));
    }
    delete rest.type;
    return { ...block, ...rest };
  }
}

import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';

/** A lowercase RFC 9562 UUID version 7. */
export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Expect a library-generated id: a UUIDv7. */
export function expectUuidV7(id: unknown, what = 'a generated id'): void {
  expect(id, `${what} is a UUIDv7`).toMatch(UUID_V7);
}

/**
 * Valid ids that break naive backends: SQL and LIKE wildcards, Redis glob and hash-tag characters, Mongo operators,
 * JSON and path syntax, whitespace and Unicode. `#` is replaced by a fresh UUID so every call gives unused ids.
 */
export const NASTY_ID_TEMPLATES: readonly string[] = [
  `"double" 'single' \`back\` #`,
  'colon:#:colon',
  '{#}',
  'braces {a}:{b} #',
  '#*',
  '*',
  '%#%',
  '#_',
  '#?[ab]',
  '$gt #',
  '{ "$gt": "" } #',
  'has space #',
  ' leading and trailing # ',
  'line\nbreak\r\n#\t',
  '../#/..',
  '..',
  'back\\slash\\#',
  'unicode ✓ é 中文 🧵 #',
  "#'; DROP TABLE threads; --",
  '#\u200b',
  'MiXeD-CaSe-#',
];

/** A fresh set of nasty ids, one per template (templates without `#` get a fresh suffix). */
export function nastyIds(): string[] {
  return NASTY_ID_TEMPLATES.map((template) => {
    const uuid = randomUUID();
    return template.includes('#') ? template.replaceAll('#', uuid) : `${template}${uuid}`;
  });
}

/** A valid id of exactly `length` (≤ 255) characters, fresh. */
export function idOfLength(length: number): string {
  const base = `${randomUUID()}${randomUUID()}`.replaceAll('-', '');
  return (base.repeat(Math.ceil(length / base.length)) + base).slice(0, length);
}

/**
 * Other valid ids that a buggy backend could confuse with `id`: trimmed, case-folded, Unicode-normalized, with
 * wildcards expanded or removed, and one character longer or shorter (prefix scans). Never `id` itself.
 */
export function decoysOf(id: string): string[] {
  const variants = [
    id.trim(),
    id.toLowerCase(),
    id.toUpperCase(),
    id.normalize('NFKC'),
    id.replace(/[^A-Za-z0-9-]/g, 'x'),
    id.replace(/[*%_?[\]{}$\\]/g, ''),
    `${id}x`,
    `x${id}`,
    id.slice(0, -1),
  ];
  return [...new Set(variants)].filter((v) => v !== id && v.length > 0 && v.length <= 255);
}

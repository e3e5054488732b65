import { LIMITS } from '@fluxibly/core';

/**
 * Values that must be rejected with a `ValidationError`, by kind. Factories, so that every case gets its own
 * (possibly circular or sparse) object. Each entry: a label, the value, and the path below the field that the
 * error may name (`''` for the field itself).
 */
export type BadValue = readonly [label: string, make: () => unknown, below: string];

class Part {
  type = 'text';
  text = 'from a class';
}

class Meta {
  a = 1;
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { v: value };
  return value;
}

/** Ids (thread, message, org, user, tool call): a string of 1–255 characters that every backend can store. */
export const BAD_IDS: readonly BadValue[] = [
  ['an empty string', () => '', ''],
  ['256 characters', () => 'x'.repeat(LIMITS.idLength + 1), ''],
  ['a number', () => 42, ''],
  ['null', () => null, ''],
  ['an operator object { $gt: "" }', () => ({ $gt: '' }), ''],
  ['an array', () => ['id'], ''],
  ['a lone surrogate', () => 'id-\uD800', ''],
  ['a NUL character', () => 'id-\u0000', ''],
];

/** Message content: a string, or an array of plain JSON parts with a string `type`, at most LIMITS.contentBytes. */
export const BAD_CONTENT: readonly BadValue[] = [
  ['null', () => null, ''],
  ['a number', () => 42, ''],
  ['a boolean', () => true, ''],
  ['a function', () => () => 'text', ''],
  ['a BigInt', () => 10n, ''],
  ['a Symbol', () => Symbol('content'), ''],
  ['a plain object (not an array of parts)', () => ({ type: 'text', text: 'hi' }), ''],
  ['a Date', () => new Date(), ''],
  ['a Map', () => new Map([['type', 'text']]), ''],
  ['a class instance', () => new Part(), ''],
  ['a string with a lone surrogate', () => 'broken \uDC00 text', ''],
  ['a string with a NUL character', () => 'nul \u0000 text', ''],
  ['a string over the size limit', () => 'x'.repeat(LIMITS.contentBytes + 1), ''],
  [
    'a string over the size limit in UTF-8 bytes but not in characters',
    () => '€'.repeat(Math.floor(LIMITS.contentBytes / 3) + 1),
    '',
  ],
  ['parts over the size limit', () => [{ type: 'text', text: 'x'.repeat(LIMITS.contentBytes) }], ''],
  ['a part that is a class instance', () => [new Part()], '[0]'],
  ['a circular part', () => circularPart(), '[0]'],
  ['a circular array', () => circularArray(), '[1]'],
  ['an array holding undefined', () => [{ type: 'text', text: 'a' }, undefined], '[1]'],
  ['a sparse array', () => sparse(), '[1]'],
  ['a part holding NaN', () => [{ type: 'data', n: NaN }], '[0]'],
  ['a part holding Infinity', () => [{ type: 'data', n: Infinity }], '[0]'],
  ['a part holding -Infinity', () => [{ type: 'data', n: -Infinity }], '[0]'],
  ['a part holding a Date', () => [{ type: 'data', at: new Date() }], '[0]'],
  ['a part holding a Map', () => [{ type: 'data', m: new Map() }], '[0]'],
  ['a part holding a function', () => [{ type: 'data', f: () => 1 }], '[0]'],
  ['a part holding a BigInt', () => [{ type: 'data', b: 1n }], '[0]'],
  ['a part holding a Symbol', () => [{ type: 'data', s: Symbol('s') }], '[0]'],
  ['a part holding undefined', () => [{ type: 'data', u: undefined }], '[0]'],
  ['a part with a symbol key', () => [{ type: 'data', [Symbol('k')]: 1 }], '[0]'],
  ['a part nested deeper than the limit', () => [{ type: 'data', v: nested(LIMITS.jsonDepth + 1) }], '[0]'],
  ['a part without type', () => [{ text: 'no type' }], '[0]'],
  ['a part whose type is a number', () => [{ type: 5 }], '[0]'],
  ['a part whose type is null', () => [{ type: null }], '[0]'],
  ['a part that is a string', () => ['hello'], '[0]'],
  ['a part that is null', () => [null], '[0]'],
  ['a part that is an array', () => [[{ type: 'text', text: 'x' }]], '[0]'],
];

function circularPart(): unknown {
  const part: Record<string, unknown> = { type: 'data', inner: {} };
  (part.inner as Record<string, unknown>).back = part;
  return [part];
}

function circularArray(): unknown {
  const parts: unknown[] = [{ type: 'text', text: 'a' }];
  parts.push(parts);
  return parts;
}

function sparse(): unknown {
  const parts: unknown[] = [{ type: 'text', text: 'a' }];
  parts[2] = { type: 'text', text: 'c' };
  return parts;
}

/** Metadata (thread or message): a plain JSON object of at most LIMITS.metadataBytes. */
export const BAD_METADATA: readonly BadValue[] = [
  ['an array', () => [], ''],
  ['a string', () => 'meta', ''],
  ['null', () => null, ''],
  ['a number', () => 1, ''],
  ['a Date', () => new Date(), ''],
  ['a Map', () => new Map(), ''],
  ['a class instance', () => new Meta(), ''],
  ['an object holding a function', () => ({ f: () => 1 }), '.f'],
  ['an object holding NaN', () => ({ n: NaN }), '.n'],
  ['an object holding undefined', () => ({ u: undefined }), '.u'],
  ['an object holding a BigInt', () => ({ b: 1n }), '.b'],
  ['an object holding a Date', () => ({ at: new Date() }), '.at'],
  ['a circular object', () => circularObject(), ''],
  ['an object over the size limit', () => ({ big: 'x'.repeat(LIMITS.metadataBytes) }), ''],
];

function circularObject(): unknown {
  const meta: Record<string, unknown> = { a: 1 };
  meta.self = meta;
  return meta;
}

/** Roles other than system, user, assistant and tool. */
export const BAD_ROLES: readonly BadValue[] = [
  ['an unknown role', () => 'robot', ''],
  ['a role in other case', () => 'User', ''],
  ['an empty role', () => '', ''],
  ['a numeric role', () => 1, ''],
  ['a null role', () => null, ''],
  ['a missing role', () => undefined, ''],
];

/** Display names (thread name, message author name). */
export const BAD_NAMES: readonly BadValue[] = [
  ['a numeric name', () => 42, ''],
  ['a null name', () => null, ''],
  ['a name over the length limit', () => 'n'.repeat(LIMITS.nameLength + 1), ''],
];

/** Non-negative safe integers: expectedLastSeq and atSeq. */
export const BAD_SEQS: readonly BadValue[] = [
  ['-1', () => -1, ''],
  ['1.5', () => 1.5, ''],
  ["the string '3'", () => '3', ''],
  ['NaN', () => NaN, ''],
  ['Infinity', () => Infinity, ''],
  ['null', () => null, ''],
];

/** Page sizes: integers 1–1000. */
export const BAD_LIMITS: readonly BadValue[] = [
  ['0', () => 0, ''],
  [String(LIMITS.pageSize + 1), () => LIMITS.pageSize + 1, ''],
  ['1.5', () => 1.5, ''],
  ['-1', () => -1, ''],
  ["the string '10'", () => '10', ''],
  ['NaN', () => NaN, ''],
  ['null', () => null, ''],
];

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** Strings (and non-strings) that no repository ever handed out as a cursor. */
export const GARBAGE_CURSORS: readonly BadValue[] = [
  ['a word', () => 'garbage', ''],
  ['an empty string', () => '', ''],
  ['a number', () => 42, ''],
  ['null', () => null, ''],
  ['an object', () => ({ seq: 1 }), ''],
  ['a very long string', () => 'c'.repeat(10_000), ''],
  ['base64 of JSON', () => b64('{"seq":1}'), ''],
  ['a message-cursor prefix with a negative position', () => `m1.${b64('-1')}`, ''],
  ['a message-cursor prefix with a fraction', () => `m1.${b64('1.5')}`, ''],
  ['a thread-cursor prefix with bad JSON', () => `t1.${b64('not json')}`, ''],
  ['a thread-cursor prefix with a short array', () => `t1.${b64('[1]')}`, ''],
];

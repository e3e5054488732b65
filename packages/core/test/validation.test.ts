import { describe, expect, it } from 'vitest';
import { LIMITS, ValidationError } from '../src/index.js';
import {
  validateAppend,
  validateContent,
  validateCreateThread,
  validateGetMessages,
  validateId,
  validateMessageBatch,
  validateMetadata,
  validateScope,
} from '../src/adapter/index.js';

/** The ValidationError `run` throws (fails the test when it throws nothing or something else). */
function validationError(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

const message = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  role: 'user',
  content: 'hello',
  ...overrides,
});

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('message validation', () => {
  it.each(['robot', 'USER', '', 42, null, undefined])('rejects the role %j, naming the field', (role) => {
    const error = validationError(() => validateMessageBatch([message(), message({ role })]));
    expect(error.field).toBe('messages[1].role');
    expect(error.message).toContain('system, user, assistant, tool');
  });

  it('requires content', () => {
    expect(validationError(() => validateMessageBatch([{ role: 'user' }])).field).toBe('messages[0].content');
  });

  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;
  const nonJson: Array<[string, unknown, string]> = [
    ['a function', [{ type: 'text', run: () => 1 }], 'messages[0].content[0].run'],
    ['a BigInt', [{ type: 'text', n: 10n }], 'messages[0].content[0].n'],
    ['a symbol', [{ type: 'text', s: Symbol('x') }], 'messages[0].content[0].s'],
    ['a circular object', [{ type: 'data', value: circular }], 'messages[0].content[0].value.self'],
    ['undefined in an array', [{ type: 'data', list: [1, undefined, 3] }], 'messages[0].content[0].list[1]'],
    ['a sparse array', [{ type: 'data', list: [1, , 3] }], 'messages[0].content[0].list[1]'], // eslint-disable-line no-sparse-arrays
    ['NaN', [{ type: 'data', n: NaN }], 'messages[0].content[0].n'],
    ['Infinity', [{ type: 'data', n: -Infinity }], 'messages[0].content[0].n'],
    ['a Date', [{ type: 'data', at: new Date() }], 'messages[0].content[0].at'],
    ['a Map', [{ type: 'data', map: new Map() }], 'messages[0].content[0].map'],
    ['a class instance', [{ type: 'data', point: new Point(1, 2) }], 'messages[0].content[0].point'],
    ['a part without a type', [{ text: 'hi' }], 'messages[0].content[0].type'],
    ['a part with an empty type', [{ type: '' }], 'messages[0].content[0].type'],
    ['a part that is a string', ['hi'], 'messages[0].content[0]'],
    ['a number', 42, 'messages[0].content'],
    ['an object', { type: 'text', text: 'hi' }, 'messages[0].content'],
    ['a lone surrogate', 'broken \uD800 text', 'messages[0].content'],
    ['a NUL character', 'nul \u0000 here', 'messages[0].content'],
  ];
  it.each(nonJson)('rejects content holding %s, with the path of the bad value', (_, content, field) => {
    expect(validationError(() => validateMessageBatch([message({ content })])).field).toBe(field);
  });

  it('names the kind of a non-JSON object in the message', () => {
    expect(validationError(() => validateContent([{ type: 'x', at: new Date() }], 'content')).message).toContain(
      'Date',
    );
    expect(validationError(() => validateContent([{ type: 'x', p: new Point(1, 2) }], 'content')).message).toContain(
      'Point',
    );
  });

  it('rejects oversized content, and accepts content just under the limit', () => {
    const big = 'x'.repeat(LIMITS.contentBytes);
    expect(validationError(() => validateContent(big, 'content')).message).toContain(String(LIMITS.contentBytes));
    expect(validateContent('x'.repeat(LIMITS.contentBytes - 2), 'content')).toHaveLength(LIMITS.contentBytes - 2);
  });

  it('rejects content nested deeper than the limit', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i <= LIMITS.jsonDepth + 1; i++) deep = { nested: deep };
    expect(() => validateContent([{ type: 'data', deep }], 'content')).toThrow(/nested deeper/);
  });

  it('accepts rich JSON and returns a deep copy that shares nothing with the input', () => {
    const content = [{ type: 'data', value: { list: [1, 'two', null, false, { three: 3 }], emoji: '🧭 "quoted"' } }];
    const copy = validateContent(content, 'content');
    expect(copy).toEqual(content);
    expect(copy).not.toBe(content);
    (content[0]!.value as { list: unknown[] }).list.push('mutated');
    expect(JSON.stringify(copy)).not.toContain('mutated');
  });

  it('rejects a batch with the same id twice, and an empty or oversized batch', () => {
    const twice = [message({ id: 'same' }), message({ id: 'same' })];
    expect(validationError(() => validateMessageBatch(twice)).field).toBe('messages[1].id');
    expect(validationError(() => validateMessageBatch([])).field).toBe('messages');
    const tooMany = Array.from({ length: LIMITS.batchSize + 1 }, () => message());
    expect(validationError(() => validateMessageBatch(tooMany)).field).toBe('messages');
    expect(validationError(() => validateMessageBatch('not a list')).field).toBe('messages');
  });

  it('limits the whole batch to LIMITS.batchBytes of content and metadata, and reports its size', () => {
    const content = 'x'.repeat(LIMITS.contentBytes - 2); // 1 MiB of JSON with its quotes
    const count = Math.floor(LIMITS.batchBytes / (LIMITS.contentBytes + 2)); // + 2 for each `{}` metadata
    const fits = Array.from({ length: count }, () => message({ content }));
    const valid = validateAppend({ threadId: 't', messages: fits });
    expect(valid.bytes).toBe(count * (LIMITS.contentBytes + 2));
    expect(valid.bytes).toBeLessThanOrEqual(LIMITS.batchBytes);
    const over = [...fits, message({ content: 'x'.repeat(LIMITS.batchBytes - valid.bytes) })];
    const error = validationError(() => validateAppend({ threadId: 't', messages: over }));
    expect(error.field).toBe('messages');
    expect(error.message).toContain(String(LIMITS.batchBytes));
    expect(validateAppend({ threadId: 't', messages: [message({ content: 'hi', metadata: { a: 1 } })] }).bytes).toBe(
      4 + 7,
    );
  });

  it('assigns a UUIDv7 to messages without an id and keeps given ones', () => {
    const [generated, given] = validateMessageBatch([message(), message({ id: 'mine' })]);
    expect(generated?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(given?.id).toBe('mine');
  });
});

describe('metadata validation', () => {
  it.each([
    ['an array', [1, 2]],
    ['a string', 'text'],
    ['null', null],
    ['a Date', new Date()],
    ['a Map', new Map()],
    ['a class instance', new Point(1, 2)],
  ])('rejects %s as metadata', (_, metadata) => {
    expect(validationError(() => validateMetadata(metadata, 'metadata')).field).toBe('metadata');
  });

  it('names the nested field of a bad value', () => {
    expect(validationError(() => validateMetadata({ a: { b: [0, NaN] } }, 'metadata')).field).toBe('metadata.a.b[1]');
  });

  it('keeps "__proto__" keys as data without touching the prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}') as object;
    const copy = validateMetadata(input, 'metadata');
    expect(Object.keys(copy)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts objects with a null prototype', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(validateMetadata(bare, 'metadata')).toEqual({ a: 1 });
  });

  it('rejects metadata over the size limit', () => {
    const big = { blob: 'x'.repeat(LIMITS.metadataBytes) };
    expect(validationError(() => validateMetadata(big, 'metadata')).message).toContain(String(LIMITS.metadataBytes));
  });

  it('gives {} for undefined', () => {
    expect(validateMetadata(undefined, 'metadata')).toEqual({});
  });
});

describe('id validation', () => {
  it.each([
    ['an empty string', ''],
    ['a number', 42],
    ['null', null],
    ['an operator object', { $gt: '' }],
    ['an array', ['id']],
    ['a string over the limit', 'x'.repeat(LIMITS.idLength + 1)],
    ['a NUL character', 'a\u0000b'],
  ])('rejects %s as an id', (_, id) => {
    expect(validationError(() => validateId(id, 'threadId')).field).toBe('threadId');
  });

  it.each([
    `it's "quoted"`,
    'org:acme:thread:1',
    '{braces}',
    'star*',
    '100%',
    'line\nbreak',
    '$where',
    'with spaces',
    '../../etc/passwd',
    '🧭',
    'x'.repeat(LIMITS.idLength),
  ])('accepts %j as an opaque id', (id) => {
    expect(validateId(id, 'threadId')).toBe(id);
  });

  it('rejects an operator object where a thread id belongs, naming the field', () => {
    expect(validationError(() => validateAppend({ threadId: { $gt: '' }, messages: [message()] })).field).toBe(
      'threadId',
    );
    expect(validationError(() => validateScope({ orgId: 'acme', userId: { $ne: null } })).field).toBe('scope.userId');
    expect(validationError(() => validateMessageBatch([message({ id: { $gt: '' } })])).field).toBe('messages[0].id');
  });
});

describe('call input validation', () => {
  it('checks page sizes and cursors', () => {
    expect(validationError(() => validateGetMessages({ threadId: 't', limit: 0 })).field).toBe('limit');
    expect(validationError(() => validateGetMessages({ threadId: 't', limit: 1.5 })).field).toBe('limit');
    expect(validationError(() => validateGetMessages({ threadId: 't', limit: LIMITS.pageSize + 1 })).field).toBe(
      'limit',
    );
    expect(validationError(() => validateGetMessages({ threadId: 't', before: 'garbage' })).field).toBe('before');
    expect(validationError(() => validateGetMessages({ threadId: 't', order: 'random' })).field).toBe('order');
  });

  it('checks expectedLastSeq', () => {
    expect(
      validationError(() => validateAppend({ threadId: 't', messages: [message()], expectedLastSeq: -1 })).field,
    ).toBe('expectedLastSeq');
  });

  it('rejects a non-object input and a bad thread name', () => {
    expect(validationError(() => validateCreateThread('name')).field).toBe('input');
    expect(validationError(() => validateCreateThread({ name: 42 })).field).toBe('name');
    expect(validationError(() => validateCreateThread({ name: 'x'.repeat(LIMITS.nameLength + 1) })).field).toBe('name');
  });
});

import { describe, expect, it } from 'vitest';
import { LIMITS } from '../src/index.js';
import {
  validateAppend,
  validateEdit,
  validateListThreads,
  validateMessageBatch,
  validateTruncate,
  validateUpdateThread,
} from '../src/adapter/index.js';
import { fieldOf } from './support/field-of.js';

const user = { role: 'user', content: 'hi' };

describe('message status, tokenCount and summaryOf', () => {
  it("defaults the status to 'completed' and keeps what is given", () => {
    const [plain, streaming, counted] = validateMessageBatch([
      user,
      { ...user, status: 'in_progress' },
      { ...user, tokenCount: 0, summaryOf: { fromSeq: 2, toSeq: 2 } },
    ]);
    expect(plain?.status).toBe('completed');
    expect(plain).not.toHaveProperty('tokenCount');
    expect(streaming?.status).toBe('in_progress');
    expect(counted).toMatchObject({ tokenCount: 0, summaryOf: { fromSeq: 2, toSeq: 2 } });
  });

  it.each([
    [{ status: 'done' }, 'messages[1].status'],
    [{ status: null }, 'messages[1].status'],
    [{ tokenCount: -1 }, 'messages[1].tokenCount'],
    [{ tokenCount: 1.5 }, 'messages[1].tokenCount'],
    [{ tokenCount: '3' }, 'messages[1].tokenCount'],
    [{ summaryOf: 'x' }, 'messages[1].summaryOf'],
    [{ summaryOf: { fromSeq: 0, toSeq: 1 } }, 'messages[1].summaryOf.fromSeq'],
    [{ summaryOf: { fromSeq: 5, toSeq: 4 } }, 'messages[1].summaryOf.toSeq'],
    [{ summaryOf: { fromSeq: 1 } }, 'messages[1].summaryOf.toSeq'],
  ])('rejects %j naming %s', (fields, field) => {
    expect(fieldOf(() => validateMessageBatch([user, { ...user, ...fields }]))).toBe(field);
  });
});

describe('replaceAfterSeq and truncateThread', () => {
  it('accepts a cut point of 0 and any non-negative integer', () => {
    expect(validateAppend({ threadId: 't', messages: [user], replaceAfterSeq: 0 }).replaceAfterSeq).toBe(0);
    expect(validateTruncate({ threadId: 't', afterSeq: 7, expectedLastSeq: 9 })).toEqual({
      threadId: 't',
      afterSeq: 7,
      expectedLastSeq: 9,
    });
  });

  it.each([-1, 1.5, '2', null, Number.MAX_SAFE_INTEGER + 1])('rejects the cut point %j', (value) => {
    expect(fieldOf(() => validateAppend({ threadId: 't', messages: [user], replaceAfterSeq: value }))).toBe(
      'replaceAfterSeq',
    );
    expect(fieldOf(() => validateTruncate({ threadId: 't', afterSeq: value }))).toBe('afterSeq');
  });

  it('requires afterSeq and a valid expectedLastSeq', () => {
    expect(fieldOf(() => validateTruncate({ threadId: 't' }))).toBe('afterSeq');
    expect(fieldOf(() => validateTruncate({ threadId: 't', afterSeq: 1, expectedLastSeq: -1 }))).toBe(
      'expectedLastSeq',
    );
    expect(fieldOf(() => validateTruncate({ afterSeq: 1 }))).toBe('threadId');
  });
});

describe('editMessage status', () => {
  it('accepts a status-only or tokenCount-only edit with an expected status', () => {
    expect(validateEdit({ threadId: 't', messageId: 'm', status: 'completed', expectedStatus: 'in_progress' })).toEqual(
      { threadId: 't', messageId: 'm', status: 'completed', expectedStatus: 'in_progress' },
    );
    expect(validateEdit({ threadId: 't', messageId: 'm', tokenCount: 12 }).tokenCount).toBe(12);
  });

  it('names the bad field, and refuses an edit that changes nothing', () => {
    expect(fieldOf(() => validateEdit({ threadId: 't', messageId: 'm', status: 'finished' }))).toBe('status');
    expect(fieldOf(() => validateEdit({ threadId: 't', messageId: 'm', status: 'completed', expectedStatus: 1 }))).toBe(
      'expectedStatus',
    );
    expect(fieldOf(() => validateEdit({ threadId: 't', messageId: 'm', expectedStatus: 'completed' }))).toBe('content');
    expect(fieldOf(() => validateEdit({ threadId: 't', messageId: 'm', tokenCount: -3 }))).toBe('tokenCount');
  });
});

describe('metadataPatch and expectedMetadata', () => {
  it('splits a patch into keys to set and keys to remove, copying the values', () => {
    const value = { deep: [1] };
    const out = validateUpdateThread({ threadId: 't', metadataPatch: { a: value, gone: null, 'x.y': 'z' } });
    expect(out.metadataPatch).toEqual({ set: { a: { deep: [1] }, 'x.y': 'z' }, remove: ['gone'] });
    expect(out.metadataPatch?.set.a).not.toBe(value);
  });

  it('keeps an own __proto__ key as data', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const out = validateUpdateThread({ threadId: 't', metadataPatch: patch });
    expect(Object.keys(out.metadataPatch?.set ?? {})).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    [{ metadataPatch: {} }, 'metadataPatch'],
    [{ metadataPatch: [] }, 'metadataPatch'],
    [{ metadataPatch: 'a' }, 'metadataPatch'],
    [{ metadataPatch: { a: undefined } }, 'metadataPatch.a'],
    [{ metadataPatch: { a: () => 1 } }, 'metadataPatch.a'],
    [{ metadataPatch: { a: 'x'.repeat(LIMITS.metadataBytes) } }, 'metadataPatch'],
    [{ metadata: {}, metadataPatch: { a: 1 } }, 'metadataPatch'],
    [{ expectedMetadata: {} }, 'expectedMetadata'],
    [{ expectedMetadata: { a: { b: 1 } } }, 'expectedMetadata.a'],
    [{ expectedMetadata: { a: [1] } }, 'expectedMetadata.a'],
    [{ expectedMetadata: { a: Number.NaN } }, 'expectedMetadata.a'],
    [{ expectedMetadata: { a: undefined } }, 'expectedMetadata.a'],
  ])('rejects %j naming %s', (fields, field) => {
    expect(fieldOf(() => validateUpdateThread({ threadId: 't', ...fields }))).toBe(field);
  });

  it('bounds the number of keys of a compare-and-set', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(validateUpdateThread({ threadId: 't', expectedMetadata: keys(LIMITS.filterKeys) }).expectedMetadata).toEqual(
      keys(LIMITS.filterKeys),
    );
    expect(fieldOf(() => validateUpdateThread({ threadId: 't', expectedMetadata: keys(LIMITS.filterKeys + 1) }))).toBe(
      'expectedMetadata',
    );
  });
});

describe('listing filters', () => {
  it('accepts primitive values and refuses null, objects and too many keys', () => {
    expect(validateListThreads({ metadata: { a: 'x', b: 2, c: false } }).metadata).toEqual({ a: 'x', b: 2, c: false });
    expect(fieldOf(() => validateListThreads({ metadata: { a: null } }))).toBe('metadata.a');
    expect(fieldOf(() => validateListThreads({ metadata: { a: { b: 1 } } }))).toBe('metadata.a');
    expect(fieldOf(() => validateListThreads({ metadata: {} }))).toBe('metadata');
    expect(fieldOf(() => validateListThreads({ metadata: 'a=b' }))).toBe('metadata');
    const many = Object.fromEntries(Array.from({ length: LIMITS.filterKeys + 1 }, (_, i) => [`k${i}`, i]));
    expect(fieldOf(() => validateListThreads({ metadata: many }))).toBe('metadata');
  });
});

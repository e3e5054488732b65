import { LIMITS } from '@fluxibly/core';
import type { Case } from './case.js';
import { batchWith, each, ok, withKey } from './case.js';
import type { BadValue } from './values.js';
import { BAD_IDS, BAD_METADATA, BAD_SEQS } from './values.js';

/** Message statuses other than in_progress, completed and incomplete. */
const BAD_STATUSES: readonly BadValue[] = [
  ['an unknown status', () => 'done', ''],
  ['a status in other case', () => 'Completed', ''],
  ['an empty status', () => '', ''],
  ['a numeric status', () => 1, ''],
  ['a null status', () => null, ''],
  ['an object status', () => ({ status: 'completed' }), ''],
];

/** Token counts: non-negative safe integers. */
const BAD_TOKEN_COUNTS: readonly BadValue[] = [
  ...BAD_SEQS,
  ['2^53 (beyond a safe integer)', () => 2 ** 53, ''],
  ['a BigInt', () => 10n, ''],
];

/** Summary ranges: `{ fromSeq, toSeq }` with `1 <= fromSeq <= toSeq`. */
const BAD_SUMMARY_RANGES: readonly BadValue[] = [
  ['null', () => null, ''],
  ['a string', () => '1-3', ''],
  ['an array', () => [1, 3], ''],
  ['an empty object', () => ({}), ''],
  ['fromSeq 0', () => ({ fromSeq: 0, toSeq: 3 }), ''],
  ['fromSeq > toSeq', () => ({ fromSeq: 4, toSeq: 3 }), ''],
  ['no toSeq', () => ({ fromSeq: 1 }), ''],
  ['a string fromSeq', () => ({ fromSeq: '1', toSeq: 3 }), ''],
  ['a fractional toSeq', () => ({ fromSeq: 1, toSeq: 2.5 }), ''],
  ['a negative toSeq', () => ({ fromSeq: 1, toSeq: -1 }), ''],
];

/** Maps of metadata keys to primitive values: listing filters and `expectedMetadata`. */
function badValueMaps(allowNull: boolean): BadValue[] {
  const tooMany = (): Record<string, number> =>
    Object.fromEntries(Array.from({ length: LIMITS.filterKeys + 1 }, (_, i) => [`k${i}`, i]));
  return [
    ['an empty object', () => ({}), ''],
    [`${LIMITS.filterKeys + 1} keys`, tooMany, ''],
    ['an array', () => [['k', 1]], ''],
    ['a string', () => 'k=1', ''],
    ['null', () => null, ''],
    ['a Map', () => new Map([['k', 1]]), ''],
    ['an object value', () => ({ k: { a: 1 } }), '.k'],
    ['an array value', () => ({ k: [1] }), '.k'],
    ['a NaN value', () => ({ k: NaN }), '.k'],
    ['an Infinity value', () => ({ k: Infinity }), '.k'],
    ['an undefined value', () => ({ k: undefined }), '.k'],
    ['a BigInt value', () => ({ k: 1n }), '.k'],
    ['a Date value', () => ({ k: new Date() }), '.k'],
    ['a string value with a NUL', () => ({ k: 'a\u0000b' }), '.k'],
    ['a key with a lone surrogate', () => ({ 'k\uD800': 1 }), ''],
    ...(allowNull ? [] : ([['a null value (not a filter value)', () => ({ k: null }), '.k']] as BadValue[])),
  ];
}

/** Metadata patches: a plain JSON object of at least one key; `null` values remove keys. */
const BAD_PATCHES: readonly BadValue[] = [...BAD_METADATA, ['an empty object', () => ({}), '']];

/**
 * Every parameter of contract v2: `replaceAfterSeq`, `truncateThread`'s input, a message's `status`, `tokenCount`
 * and `summaryOf`, `editMessage`'s `status`, `tokenCount` and `expectedStatus`, `updateThread`'s `metadataPatch` and
 * `expectedMetadata`, and listing filters.
 */
export function v2Cases(): Case[] {
  return [
    ...each(BAD_SEQS, (v, label) => [
      {
        name: `appendMessages: replaceAfterSeq ${label}`,
        field: 'replaceAfterSeq',
        call: (f) => f.repo.appendMessages(f.scope, { threadId: f.threadId, messages: [ok()], replaceAfterSeq: v() }),
      },
      {
        name: `truncateThread: afterSeq ${label}`,
        field: 'afterSeq',
        call: (f) => f.repo.truncateThread(f.scope, { threadId: f.threadId, afterSeq: v() }),
      },
      {
        name: `truncateThread: expectedLastSeq ${label}`,
        field: 'expectedLastSeq',
        call: (f) => f.repo.truncateThread(f.scope, { threadId: f.threadId, afterSeq: 1, expectedLastSeq: v() }),
      },
    ]),
    {
      name: 'truncateThread: afterSeq missing',
      field: 'afterSeq',
      call: (f) => f.repo.truncateThread(f.scope, { threadId: f.threadId }),
    },
    {
      name: 'truncateThread: afterSeq beyond lastSeq',
      field: 'afterSeq',
      call: (f) => f.repo.truncateThread(f.scope, { threadId: f.threadId, afterSeq: 4 }),
    },
    {
      name: 'appendMessages: replaceAfterSeq beyond lastSeq',
      field: 'replaceAfterSeq',
      call: (f) => f.repo.appendMessages(f.scope, { threadId: f.threadId, messages: [ok()], replaceAfterSeq: 4 }),
    },
    { name: 'truncateThread: no input', field: 'input', call: (f) => f.repo.truncateThread(f.scope) },
    ...each(BAD_IDS, (v, label) => [
      {
        name: `truncateThread: threadId ${label}`,
        field: 'threadId',
        call: (f) => f.repo.truncateThread(f.scope, { threadId: v(), afterSeq: 0 }),
      },
    ]),
    ...each(BAD_STATUSES, (v, label) => [
      {
        name: `appendMessages: message status ${label}`,
        field: 'messages[1].status',
        call: (f) =>
          f.repo.appendMessages(f.scope, { threadId: f.threadId, messages: batchWith(withKey('status', v())) }),
      },
      {
        name: `editMessage: status ${label}`,
        field: 'status',
        call: (f) => f.repo.editMessage(f.scope, { threadId: f.threadId, messageId: f.messageId, status: v() }),
      },
      {
        name: `editMessage: expectedStatus ${label}`,
        field: 'expectedStatus',
        call: (f) =>
          f.repo.editMessage(f.scope, {
            threadId: f.threadId,
            messageId: f.messageId,
            status: 'completed',
            expectedStatus: v(),
          }),
      },
    ]),
    ...each(BAD_TOKEN_COUNTS, (v, label) => [
      {
        name: `appendMessages: message tokenCount ${label}`,
        field: 'messages[1].tokenCount',
        call: (f) =>
          f.repo.appendMessages(f.scope, { threadId: f.threadId, messages: batchWith(withKey('tokenCount', v())) }),
      },
      {
        name: `editMessage: tokenCount ${label}`,
        field: 'tokenCount',
        call: (f) => f.repo.editMessage(f.scope, { threadId: f.threadId, messageId: f.messageId, tokenCount: v() }),
      },
    ]),
    ...each(BAD_SUMMARY_RANGES, (v, label) => [
      {
        name: `appendMessages: message summaryOf ${label}`,
        field: 'messages[1].summaryOf',
        call: (f) =>
          f.repo.appendMessages(f.scope, { threadId: f.threadId, messages: batchWith(withKey('summaryOf', v())) }),
      },
    ]),
    {
      name: 'editMessage: expectedStatus with nothing to change',
      field: ['content', 'status'],
      call: (f) =>
        f.repo.editMessage(f.scope, { threadId: f.threadId, messageId: f.messageId, expectedStatus: 'completed' }),
    },
    ...each(BAD_PATCHES, (v, label, below) => [
      {
        name: `updateThread: metadataPatch ${label}`,
        field: `metadataPatch${below}`,
        call: (f) => f.repo.updateThread(f.scope, { threadId: f.threadId, metadataPatch: v() }),
      },
    ]),
    {
      name: 'updateThread: metadata and metadataPatch together',
      field: ['metadataPatch', 'metadata'],
      call: (f) => f.repo.updateThread(f.scope, { threadId: f.threadId, metadata: { a: 1 }, metadataPatch: { b: 2 } }),
    },
    {
      name: 'updateThread: a valid patch with a bad expectedMetadata',
      field: 'expectedMetadata',
      call: (f) =>
        f.repo.updateThread(f.scope, { threadId: f.threadId, metadataPatch: { a: 1 }, expectedMetadata: { k: [] } }),
    },
    ...each(badValueMaps(true), (v, label, below) => [
      {
        name: `updateThread: expectedMetadata ${label}`,
        field: `expectedMetadata${below}`,
        call: (f) =>
          f.repo.updateThread(f.scope, { threadId: f.threadId, metadataPatch: { a: 1 }, expectedMetadata: v() }),
      },
    ]),
    ...each(badValueMaps(false), (v, label, below) => [
      {
        name: `listThreads: metadata ${label}`,
        field: `metadata${below}`,
        call: (f) => f.repo.listThreads(f.scope, { metadata: v() }),
      },
      {
        name: `listOrgThreads: metadata ${label}`,
        field: `metadata${below}`,
        call: (f) => f.repo.listOrgThreads(f.scope, { metadata: v(), cursor: f.threadCursor }),
      },
    ]),
  ];
}

import { LIMITS } from '@fluxibly/core';
import type { Case, Fixture } from './case.js';
import { each, ok } from './case.js';
import type { BadValue } from './values.js';
import { BAD_IDS, BAD_METADATA, BAD_SEQS } from './values.js';
import { freshId } from '../../context.js';

/** Timestamps: `Date`s holding a valid time. */
const BAD_DATES: readonly BadValue[] = [
  ['an ISO string', () => '2020-01-01T00:00:00.000Z', ''],
  ['a number', () => 0, ''],
  ['an invalid Date', () => new Date('nope'), ''],
  ['null', () => null, ''],
  ['an object', () => ({ time: 0 }), ''],
  ['a Date after the year 9999', () => new Date(Date.UTC(10_000, 0, 1)), ''],
  ['a Date before the year 1', () => new Date(-62_135_596_800_001), ''],
];

/** `pruneThreads` limits: integers 1–10,000. */
const BAD_PRUNE_LIMITS: readonly BadValue[] = [
  ['0', () => 0, ''],
  ['10001', () => 10_001, ''],
  ['1.5', () => 1.5, ''],
  ["the string '10'", () => '10', ''],
  ['NaN', () => NaN, ''],
  ['null', () => null, ''],
  ['undefined', () => undefined, ''],
];

/** A valid exported thread (a fresh id, so that wrongly accepting it would show as a new thread of the scope). */
function thread(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: freshId('imported'),
    name: '',
    metadata: {},
    createdAt: new Date(0),
    updatedAt: new Date(1000),
    lastSeq: 3,
    ...fields,
  };
}

/** A valid exported message of the fixture thread (lastSeq 3, seqs 1–3 taken), with `fields` over it. */
function exported(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: freshId('m'),
    seq: 2,
    role: 'user',
    content: 'x',
    metadata: {},
    status: 'completed',
    createdAt: new Date(0),
    ...fields,
  };
}

function importBatch(f: Fixture, middle: Record<string, unknown>): Promise<unknown> {
  return f.repo.importMessages(f.scope, {
    threadId: f.threadId,
    messages: [exported({ seq: 1 }), middle, exported({ seq: 3 })],
  });
}

/**
 * Every parameter of the data-lifecycle operations: `transferThread`, `pruneThreads`, `importThread`,
 * `importMessages`, and `expectedMessageCount` on `appendMessages` and `truncateThread`.
 */
export function lifecycleCases(): Case[] {
  return [
    ...each(BAD_IDS, (v, label) => [
      {
        name: `transferThread: toUserId ${label}`,
        field: 'toUserId',
        call: (f) => f.repo.transferThread(f.scope, { threadId: f.threadId, toUserId: v() }),
      },
      {
        name: `transferThread: threadId ${label}`,
        field: 'threadId',
        call: (f) => f.repo.transferThread(f.scope, { threadId: v(), toUserId: 'someone' }),
      },
      {
        name: `pruneThreads: scope.orgId ${label}`,
        field: 'scope.orgId',
        call: (f) => f.repo.pruneThreads({ orgId: v() }, { inactiveBefore: new Date(0), limit: 1 }),
      },
      { name: `eraseOrg: scope.orgId ${label}`, field: 'scope.orgId', call: (f) => f.repo.eraseOrg({ orgId: v() }) },
      {
        name: `importThread: id ${label}`,
        field: 'id',
        call: (f) => f.repo.importThread(f.scope, thread({ id: v() })),
      },
      {
        name: `importMessages: threadId ${label}`,
        field: 'threadId',
        call: (f) => f.repo.importMessages(f.scope, { threadId: v(), messages: [exported({ seq: 1 })] }),
      },
      {
        name: `importMessages: a message id ${label}`,
        field: 'messages[1].id',
        call: (f) => importBatch(f, exported({ id: v() })),
      },
    ]),
    { name: 'transferThread: no input', field: 'input', call: (f) => f.repo.transferThread(f.scope) },
    { name: 'pruneThreads: no input', field: 'input', call: (f) => f.repo.pruneThreads({ orgId: f.scope.orgId }) },
    {
      name: 'pruneThreads: scope is null',
      field: 'scope',
      call: (f) => f.repo.pruneThreads(null, { inactiveBefore: new Date(0), limit: 1 }),
    },
    ...each(BAD_DATES, (v, label) => [
      {
        name: `pruneThreads: inactiveBefore ${label}`,
        field: 'inactiveBefore',
        call: (f) => f.repo.pruneThreads({ orgId: f.scope.orgId }, { inactiveBefore: v(), limit: 1 }),
      },
      {
        name: `importThread: createdAt ${label}`,
        field: 'createdAt',
        call: (f) => f.repo.importThread(f.scope, thread({ createdAt: v() })),
      },
      {
        name: `importThread: updatedAt ${label}`,
        field: 'updatedAt',
        call: (f) => f.repo.importThread(f.scope, thread({ updatedAt: v() })),
      },
      {
        name: `importMessages: a message createdAt ${label}`,
        field: 'messages[1].createdAt',
        call: (f) => importBatch(f, exported({ createdAt: v() })),
      },
      {
        name: `importMessages: a message editedAt ${label}`,
        field: 'messages[1].editedAt',
        call: (f) => importBatch(f, exported({ editedAt: v() })),
      },
    ]),
    ...each(BAD_PRUNE_LIMITS, (v, label) => [
      {
        name: `pruneThreads: limit ${label}`,
        field: 'limit',
        call: (f) => f.repo.pruneThreads({ orgId: f.scope.orgId }, { inactiveBefore: new Date(0), limit: v() }),
      },
    ]),
    ...each(BAD_SEQS, (v, label) => [
      {
        name: `appendMessages: expectedMessageCount ${label}`,
        field: 'expectedMessageCount',
        call: (f) =>
          f.repo.appendMessages(f.scope, { threadId: f.threadId, messages: [ok()], expectedMessageCount: v() }),
      },
      {
        name: `truncateThread: expectedMessageCount ${label}`,
        field: 'expectedMessageCount',
        call: (f) => f.repo.truncateThread(f.scope, { threadId: f.threadId, afterSeq: 1, expectedMessageCount: v() }),
      },
      {
        name: `importThread: lastSeq ${label}`,
        field: 'lastSeq',
        call: (f) => f.repo.importThread(f.scope, thread({ lastSeq: v() })),
      },
      {
        name: `importMessages: a message seq ${label}`,
        field: 'messages[1].seq',
        call: (f) => importBatch(f, exported({ seq: v() })),
      },
    ]),
    ...each(BAD_METADATA, (v, label, below) => [
      {
        name: `importThread: metadata ${label}`,
        field: `metadata${below}`,
        call: (f) => f.repo.importThread(f.scope, thread({ metadata: v() })),
      },
    ]),
    {
      name: 'importThread: updatedAt before createdAt',
      field: 'updatedAt',
      call: (f) => f.repo.importThread(f.scope, thread({ createdAt: new Date(5000), updatedAt: new Date(4000) })),
    },
    {
      name: 'importThread: summarySeq beyond lastSeq',
      field: 'summarySeq',
      call: (f) => f.repo.importThread(f.scope, thread({ summarySeq: 4 })),
    },
    {
      name: 'importThread: a parent without a seq',
      field: 'parent.seq',
      call: (f) => f.repo.importThread(f.scope, thread({ parent: { threadId: 't' } })),
    },
    { name: 'importThread: no input', field: 'input', call: (f) => f.repo.importThread(f.scope) },
    {
      name: 'importMessages: a message seq 0',
      field: 'messages[1].seq',
      call: (f) => importBatch(f, exported({ seq: 0 })),
    },
    {
      name: 'importMessages: a seq twice in the batch',
      field: 'messages[1].seq',
      call: (f) =>
        f.repo.importMessages(f.scope, {
          threadId: f.threadId,
          messages: [exported({ seq: 3 }), exported({ seq: 3 })],
        }),
    },
    {
      name: 'importMessages: a message without an id',
      field: 'messages[1].id',
      call: (f) => importBatch(f, { ...exported(), id: undefined }),
    },
    {
      name: 'importMessages: a message with a bad role',
      field: 'messages[1].role',
      call: (f) => importBatch(f, exported({ role: 'robot' })),
    },
    {
      name: 'importMessages: a message with a bad status',
      field: 'messages[1].status',
      call: (f) => importBatch(f, exported({ status: 'done' })),
    },
    {
      name: 'importMessages: an empty batch',
      field: 'messages',
      call: (f) => f.repo.importMessages(f.scope, { threadId: f.threadId, messages: [] }),
    },
    {
      name: `importMessages: ${LIMITS.batchSize + 1} messages`,
      field: 'messages',
      call: (f) =>
        f.repo.importMessages(f.scope, {
          threadId: f.threadId,
          messages: Array.from({ length: LIMITS.batchSize + 1 }, (_, i) => exported({ seq: i + 1 })),
        }),
    },
  ];
}

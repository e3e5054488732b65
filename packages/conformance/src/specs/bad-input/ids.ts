import type { Case, Fixture } from './case.js';
import { batchWith, each, ok } from './case.js';
import { BAD_IDS } from './values.js';
import { freshId } from '../../context.js';

/** Every way of calling a method with a bad id at each id position. */
export function idCases(): Case[] {
  return each(BAD_IDS, (v, label) => {
    const cases: Case[] = [
      { name: `getThread: threadId ${label}`, field: 'threadId', call: (f) => f.repo.getThread(f.scope, v()) },
      {
        name: `getMessages: threadId ${label}`,
        field: 'threadId',
        call: (f) => f.repo.getMessages(f.scope, { threadId: v() }),
      },
      {
        name: `getMessage: threadId ${label}`,
        field: 'threadId',
        call: (f) => f.repo.getMessage(f.scope, { threadId: v(), messageId: f.messageId }),
      },
      {
        name: `getMessage: messageId ${label}`,
        field: 'messageId',
        call: (f) => f.repo.getMessage(f.scope, { threadId: f.threadId, messageId: v() }),
      },
      {
        name: `appendMessages: threadId ${label}`,
        field: 'threadId',
        call: (f) => f.repo.appendMessages(f.scope, { threadId: v(), messages: [ok()] }),
      },
      {
        name: `appendMessages: message id ${label}`,
        field: 'messages[1].id',
        call: (f) => f.repo.appendMessages(f.scope, { threadId: f.threadId, messages: batchWith({ id: v() }) }),
      },
      {
        name: `appendMessages: toolCallId ${label}`,
        field: 'messages[1].toolCallId',
        call: (f) =>
          f.repo.appendMessages(f.scope, {
            threadId: f.threadId,
            messages: batchWith({ role: 'tool', toolCallId: v() }),
          }),
      },
      {
        name: `editMessage: threadId ${label}`,
        field: 'threadId',
        call: (f) => f.repo.editMessage(f.scope, { threadId: v(), messageId: f.messageId, content: 'x' }),
      },
      {
        name: `editMessage: messageId ${label}`,
        field: 'messageId',
        call: (f) => f.repo.editMessage(f.scope, { threadId: f.threadId, messageId: v(), content: 'x' }),
      },
      {
        name: `deleteMessage: threadId ${label}`,
        field: 'threadId',
        call: (f) => f.repo.deleteMessage(f.scope, { threadId: v(), messageId: f.messageId }),
      },
      {
        name: `deleteMessage: messageId ${label}`,
        field: 'messageId',
        call: (f) => f.repo.deleteMessage(f.scope, { threadId: f.threadId, messageId: v() }),
      },
      { name: `deleteThread: threadId ${label}`, field: 'threadId', call: (f) => f.repo.deleteThread(f.scope, v()) },
      { name: `clearThread: threadId ${label}`, field: 'threadId', call: (f) => f.repo.clearThread(f.scope, v()) },
      {
        name: `updateThread: threadId ${label}`,
        field: 'threadId',
        call: (f) => f.repo.updateThread(f.scope, { threadId: v(), name: 'x' }),
      },
      {
        name: `forkThread: threadId ${label}`,
        field: 'threadId',
        call: (f) => f.repo.forkThread(f.scope, { threadId: v() }),
      },
      {
        name: `forkThread: id ${label}`,
        field: 'id',
        call: (f) => f.repo.forkThread(f.scope, { threadId: f.threadId, id: v() }),
      },
      { name: `createThread: id ${label}`, field: 'id', call: (f) => f.repo.createThread(f.scope, { id: v() }) },
      {
        name: `searchMessages: threadId ${label}`,
        field: 'threadId',
        search: true,
        call: (f) => f.repo.searchMessages(f.scope, { query: 'x', threadId: v() }),
      },
    ];
    for (const key of ['orgId', 'userId'] as const) {
      const bad = (f: Fixture): unknown => ({ ...f.scope, [key]: v() });
      const field = `scope.${key}`;
      cases.push(
        ...scopeCalls(bad).map(([method, call, search]): Case => ({
          name: `${method}: ${field} ${label}`,
          field,
          call,
          ...(search ? { search } : {}),
        })),
      );
    }
    return cases;
  });
}

/** A valid exported thread with a fresh id. */
function importable(): Record<string, unknown> {
  return {
    id: freshId('imported'),
    name: '',
    metadata: {},
    createdAt: new Date(0),
    updatedAt: new Date(0),
    lastSeq: 0,
  };
}

/** One call of every method, with the scope `scope(f)`. */
function scopeCalls(scope: (f: Fixture) => unknown): Array<[string, (f: Fixture) => Promise<unknown>, boolean]> {
  return [
    ['createThread', (f) => f.repo.createThread(scope(f)), false],
    ['getThread', (f) => f.repo.getThread(scope(f), f.threadId), false],
    ['listThreads', (f) => f.repo.listThreads(scope(f)), false],
    ['updateThread', (f) => f.repo.updateThread(scope(f), { threadId: f.threadId, name: 'x' }), false],
    ['deleteThread', (f) => f.repo.deleteThread(scope(f), f.threadId), false],
    ['clearThread', (f) => f.repo.clearThread(scope(f), f.threadId), false],
    ['appendMessages', (f) => f.repo.appendMessages(scope(f), { threadId: f.threadId, messages: [ok()] }), false],
    ['getMessages', (f) => f.repo.getMessages(scope(f), { threadId: f.threadId }), false],
    ['getMessage', (f) => f.repo.getMessage(scope(f), { threadId: f.threadId, messageId: f.messageId }), false],
    [
      'editMessage',
      (f) => f.repo.editMessage(scope(f), { threadId: f.threadId, messageId: f.messageId, content: 'x' }),
      false,
    ],
    ['deleteMessage', (f) => f.repo.deleteMessage(scope(f), { threadId: f.threadId, messageId: f.messageId }), false],
    ['forkThread', (f) => f.repo.forkThread(scope(f), { threadId: f.threadId }), false],
    ['searchMessages', (f) => f.repo.searchMessages(scope(f), { query: 'x' }), true],
    ['eraseUser', (f) => f.repo.eraseUser(scope(f)), false],
    ['transferThread', (f) => f.repo.transferThread(scope(f), { threadId: f.threadId, toUserId: 'x' }), false],
    ['importThread', (f) => f.repo.importThread(scope(f), importable()), false],
    [
      'importMessages',
      (f) =>
        f.repo.importMessages(scope(f), {
          threadId: f.threadId,
          messages: [
            {
              id: 'new',
              seq: 2,
              role: 'user',
              content: 'x',
              metadata: {},
              status: 'completed',
              createdAt: new Date(0),
            },
          ],
        }),
      false,
    ],
  ];
}

/** A scope that is not an object, or lacks an id. */
export function scopeShapeCases(): Case[] {
  const shapes: Array<[string, () => unknown]> = [
    ['null', () => null],
    ['a string', () => 'acme:alice'],
    ['an array', () => ['acme', 'alice']],
  ];
  const cases: Case[] = [];
  for (const [label, make] of shapes) {
    for (const [method, call, search] of scopeCalls(() => make())) {
      cases.push({ name: `${method}: scope is ${label}`, field: 'scope', call, ...(search ? { search } : {}) });
    }
    cases.push(
      { name: `listOrgThreads: scope is ${label}`, field: 'scope', call: (f) => f.repo.listOrgThreads(make()) },
      { name: `eraseOrg: scope is ${label}`, field: 'scope', call: (f) => f.repo.eraseOrg(make()) },
      {
        name: `pruneThreads: scope is ${label}`,
        field: 'scope',
        call: (f) => f.repo.pruneThreads(make(), { inactiveBefore: new Date(0), limit: 1 }),
      },
    );
  }
  cases.push(
    {
      name: 'getThread: scope without userId',
      field: 'scope.userId',
      call: (f) => f.repo.getThread({ orgId: f.scope.orgId }, f.threadId),
    },
    {
      name: 'eraseUser: scope without userId (never the whole organisation)',
      field: 'scope.userId',
      call: (f) => f.repo.eraseUser({ orgId: f.scope.orgId }),
    },
    {
      name: 'appendMessages: scope without orgId',
      field: 'scope.orgId',
      call: (f) => f.repo.appendMessages({ userId: f.scope.userId }, { threadId: f.threadId, messages: [ok()] }),
    },
    ...each(BAD_IDS, (v, label) => [
      {
        name: `listOrgThreads: scope.orgId ${label}`,
        field: 'scope.orgId',
        call: (f) => f.repo.listOrgThreads({ orgId: v() }),
      },
    ]),
  );
  return cases;
}

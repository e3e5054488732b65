import { LIMITS } from '@fluxibly/core';
import type { Case } from './case.js';
import { each } from './case.js';
import { BAD_LIMITS, GARBAGE_CURSORS } from './values.js';

/** Page sizes, cursors, order and search queries. */
export function pagingCases(): Case[] {
  return [
    ...each(BAD_LIMITS, (v, label) => [
      {
        name: `getMessages: limit ${label}`,
        field: 'limit',
        call: (f) => f.repo.getMessages(f.scope, { threadId: f.threadId, limit: v() }),
      },
      { name: `listThreads: limit ${label}`, field: 'limit', call: (f) => f.repo.listThreads(f.scope, { limit: v() }) },
      {
        name: `listOrgThreads: limit ${label}`,
        field: 'limit',
        call: (f) => f.repo.listOrgThreads(f.scope, { limit: v() }),
      },
      {
        name: `searchMessages: limit ${label}`,
        field: 'limit',
        search: true,
        call: (f) => f.repo.searchMessages(f.scope, { query: 'x', limit: v() }),
      },
    ]),
    ...each(GARBAGE_CURSORS, (v, label) => [
      {
        name: `getMessages: before ${label}`,
        field: 'before',
        call: (f) => f.repo.getMessages(f.scope, { threadId: f.threadId, before: v() }),
      },
      {
        name: `getMessages: after ${label}`,
        field: 'after',
        call: (f) => f.repo.getMessages(f.scope, { threadId: f.threadId, after: v() }),
      },
      {
        name: `listThreads: cursor ${label}`,
        field: 'cursor',
        call: (f) => f.repo.listThreads(f.scope, { cursor: v() }),
      },
      {
        name: `listOrgThreads: cursor ${label}`,
        field: 'cursor',
        call: (f) => f.repo.listOrgThreads(f.scope, { cursor: v() }),
      },
    ]),
    {
      name: 'getMessages: before is a thread cursor',
      field: 'before',
      call: (f) => f.repo.getMessages(f.scope, { threadId: f.threadId, before: f.threadCursor }),
    },
    {
      name: 'getMessages: after is a thread cursor',
      field: 'after',
      call: (f) => f.repo.getMessages(f.scope, { threadId: f.threadId, after: f.threadCursor }),
    },
    {
      name: 'listThreads: cursor is a message cursor',
      field: 'cursor',
      call: (f) => f.repo.listThreads(f.scope, { cursor: f.messageCursor }),
    },
    ...['ASC', 'newest', '', 1].map((order): Case => ({
      name: `getMessages: order ${JSON.stringify(order)}`,
      field: 'order',
      call: (f) => f.repo.getMessages(f.scope, { threadId: f.threadId, order }),
    })),
    ...(
      [
        ['empty', ''],
        ['blank', '   '],
        ['a number', 42],
        ['over the length limit', 'q'.repeat(LIMITS.queryLength + 1)],
      ] as Array<[string, unknown]>
    ).map(([label, query]): Case => ({
      name: `searchMessages: query ${label}`,
      field: 'query',
      search: true,
      call: (f) => f.repo.searchMessages(f.scope, { query }),
    })),
  ];
}

import { LIMITS } from '@fluxibly/core';
import { freshId } from '../../context.js';
import { textMessage, textMessages } from '../../support/index.js';
import type { Case, Fixture } from './case.js';
import { batchWith, each, ok, withKey } from './case.js';
import { BAD_CONTENT, BAD_METADATA, BAD_NAMES, BAD_ROLES, BAD_SEQS } from './values.js';

/** Content, metadata, roles, names and message shapes. */
export function messageCases(): Case[] {
  const append = (f: Fixture, messages: unknown): Promise<unknown> =>
    f.repo.appendMessages(f.scope, { threadId: f.threadId, messages });
  return [
    ...each(BAD_CONTENT, (v, label, below) => [
      {
        name: `appendMessages: content ${label}`,
        field: `messages[1].content${below}`,
        call: (f) => append(f, batchWith({ content: v() })),
      },
      {
        name: `editMessage: content ${label}`,
        field: `content${below}`,
        call: (f) => f.repo.editMessage(f.scope, { threadId: f.threadId, messageId: f.messageId, content: v() }),
      },
    ]),
    {
      name: 'appendMessages: content missing',
      field: 'messages[1].content',
      call: (f) => append(f, batchWith(withKey('content', undefined))),
    },
    {
      name: 'appendMessages: content key absent',
      field: 'messages[1].content',
      call: (f) => append(f, [ok(), { role: 'user' }, ok()]),
    },
    ...each(BAD_ROLES, (v, label) => [
      { name: `appendMessages: ${label}`, field: 'messages[1].role', call: (f) => append(f, batchWith({ role: v() })) },
    ]),
    ...each(BAD_NAMES, (v, label) => [
      {
        name: `appendMessages: message ${label}`,
        field: 'messages[1].name',
        call: (f) => append(f, batchWith({ name: v() })),
      },
      { name: `createThread: ${label}`, field: 'name', call: (f) => f.repo.createThread(f.scope, { name: v() }) },
      {
        name: `updateThread: ${label}`,
        field: 'name',
        call: (f) => f.repo.updateThread(f.scope, { threadId: f.threadId, name: v() }),
      },
      {
        name: `forkThread: ${label}`,
        field: 'name',
        call: (f) => f.repo.forkThread(f.scope, { threadId: f.threadId, name: v() }),
      },
    ]),
    ...each(BAD_METADATA, (v, label, below) => [
      {
        name: `appendMessages: metadata ${label}`,
        field: `messages[1].metadata${below}`,
        call: (f) => append(f, batchWith({ metadata: v() })),
      },
      {
        name: `createThread: metadata ${label}`,
        field: `metadata${below}`,
        call: (f) => f.repo.createThread(f.scope, { metadata: v() }),
      },
      {
        name: `updateThread: metadata ${label}`,
        field: `metadata${below}`,
        call: (f) => f.repo.updateThread(f.scope, { threadId: f.threadId, metadata: v() }),
      },
      {
        name: `editMessage: metadata ${label}`,
        field: `metadata${below}`,
        call: (f) => f.repo.editMessage(f.scope, { threadId: f.threadId, messageId: f.messageId, metadata: v() }),
      },
      {
        name: `forkThread: metadata ${label}`,
        field: `metadata${below}`,
        call: (f) => f.repo.forkThread(f.scope, { threadId: f.threadId, metadata: v() }),
      },
    ]),
    ...(
      [
        ['null', null],
        ['a string', 'hello'],
        ['a number', 42],
        ['an array', [ok()]],
      ] as Array<[string, unknown]>
    ).map(([label, value]): Case => ({
      name: `appendMessages: a message that is ${label}`,
      field: 'messages[1]',
      call: (f) => append(f, [ok(), value, ok()]),
    })),
    {
      name: 'editMessage: neither content nor metadata',
      field: ['content', 'metadata'],
      call: (f) => f.repo.editMessage(f.scope, { threadId: f.threadId, messageId: f.messageId }),
    },
  ];
}

/** Batches, duplicate ids, expectedLastSeq and atSeq. */
export function batchCases(): Case[] {
  const append = (f: Fixture, messages: unknown, extra: Record<string, unknown> = {}): Promise<unknown> =>
    f.repo.appendMessages(f.scope, { threadId: f.threadId, messages, ...extra });
  const dup = freshId('dup');
  return [
    { name: 'appendMessages: an empty batch', field: 'messages', call: (f) => append(f, []) },
    {
      name: `appendMessages: a batch of ${LIMITS.batchSize + 1}`,
      field: 'messages',
      call: (f) => append(f, textMessages(LIMITS.batchSize + 1)),
    },
    { name: 'appendMessages: messages is a string', field: 'messages', call: (f) => append(f, 'hello') },
    { name: 'appendMessages: messages is null', field: 'messages', call: (f) => append(f, null) },
    {
      name: 'appendMessages: messages is missing',
      field: 'messages',
      call: (f) => f.repo.appendMessages(f.scope, { threadId: f.threadId }),
    },
    {
      name: 'appendMessages: messages is an array-like object',
      field: 'messages',
      call: (f) => append(f, { 0: ok(), length: 1 }),
    },
    {
      name: 'appendMessages: the same new id twice in one batch',
      field: 'messages[2]',
      call: (f) => append(f, [textMessage('user', 'a', dup), ok(), textMessage('user', 'b', dup)]),
    },
    ...each(BAD_SEQS, (v, label) => [
      {
        name: `appendMessages: expectedLastSeq ${label}`,
        field: 'expectedLastSeq',
        call: (f) => append(f, [ok()], { expectedLastSeq: v() }),
      },
      {
        name: `forkThread: atSeq ${label}`,
        field: 'atSeq',
        call: (f) => f.repo.forkThread(f.scope, { threadId: f.threadId, atSeq: v() }),
      },
    ]),
  ];
}

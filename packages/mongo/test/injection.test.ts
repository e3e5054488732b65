import type { ConversationRepository, Scope } from '@fluxibly/core';
import { ValidationError } from '@fluxibly/core';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectMongoRepository, type MongoConversationRepository } from '../src/index.js';
import { clearPrefix, openRepository } from './support/repositories.js';

/**
 * Only strings reach a filter: an operator object where an id belongs is a ValidationError and writes nothing.
 * Checked by raw reads of the collections (the inspector), not through the adapter.
 */
const prefix = 'inj_';
const OPERATOR = { $gt: '' } as unknown as string;

let repo: MongoConversationRepository;
let scope: Scope;
let threadId: string;

beforeAll(async () => {
  repo = openRepository(prefix);
  scope = { orgId: `org-${randomUUID()}`, userId: `user-${randomUUID()}` };
  threadId = (await repo.createThread(scope, { name: 'target' })).id;
  await repo.appendMessages(scope, { threadId, messages: [{ role: 'user', content: 'hello', id: 'm1' }] });
});

afterAll(async () => {
  await repo.close();
  await clearPrefix(prefix);
});

type Call = (r: ConversationRepository) => Promise<unknown>;

const AT = new Date('2024-01-01T00:00:00.000Z');
const IMPORTED_THREAD = { id: 'imported', name: 'x', metadata: {}, createdAt: AT, updatedAt: AT, lastSeq: 1 };
const IMPORTED = {
  id: 'm9',
  seq: 1,
  role: 'user' as const,
  content: 'x',
  metadata: {},
  status: 'completed' as const,
  createdAt: AT,
};

const CALLS: ReadonlyArray<readonly [string, Call]> = [
  ['getThread threadId', (r) => r.getThread(scope, OPERATOR)],
  ['getThread scope.userId', (r) => r.getThread({ orgId: scope.orgId, userId: OPERATOR }, threadId)],
  ['getThread scope.orgId', (r) => r.getThread({ orgId: OPERATOR, userId: scope.userId }, threadId)],
  ['listThreads scope.userId', (r) => r.listThreads({ orgId: scope.orgId, userId: OPERATOR })],
  ['listOrgThreads orgId', (r) => r.listOrgThreads({ orgId: OPERATOR })],
  ['createThread id', (r) => r.createThread(scope, { id: OPERATOR })],
  ['createThread scope.orgId', (r) => r.createThread({ orgId: OPERATOR, userId: scope.userId })],
  ['updateThread threadId', (r) => r.updateThread(scope, { threadId: OPERATOR, name: 'x' })],
  ['deleteThread threadId', (r) => r.deleteThread(scope, OPERATOR)],
  ['deleteThread scope.userId', (r) => r.deleteThread({ orgId: scope.orgId, userId: OPERATOR }, threadId)],
  ['clearThread threadId', (r) => r.clearThread(scope, OPERATOR)],
  [
    'appendMessages threadId',
    (r) => r.appendMessages(scope, { threadId: OPERATOR, messages: [{ role: 'user', content: 'x' }] }),
  ],
  [
    'appendMessages message id',
    (r) => r.appendMessages(scope, { threadId, messages: [{ id: OPERATOR, role: 'user', content: 'x' }] }),
  ],
  [
    'appendMessages scope.orgId',
    (r) =>
      r.appendMessages(
        { orgId: OPERATOR, userId: scope.userId },
        { threadId, messages: [{ role: 'user', content: 'x' }] },
      ),
  ],
  ['getMessages threadId', (r) => r.getMessages(scope, { threadId: OPERATOR })],
  ['getMessage messageId', (r) => r.getMessage(scope, { threadId, messageId: OPERATOR })],
  ['editMessage messageId', (r) => r.editMessage(scope, { threadId, messageId: OPERATOR, content: 'x' })],
  ['deleteMessage messageId', (r) => r.deleteMessage(scope, { threadId, messageId: OPERATOR })],
  [
    'deleteMessage scope.userId',
    (r) => r.deleteMessage({ orgId: scope.orgId, userId: OPERATOR }, { threadId, messageId: 'm1' }),
  ],
  ['forkThread threadId', (r) => r.forkThread(scope, { threadId: OPERATOR })],
  ['forkThread id', (r) => r.forkThread(scope, { threadId, id: OPERATOR })],
  ['searchMessages threadId', (r) => r.searchMessages(scope, { query: 'hello', threadId: OPERATOR })],
  ['eraseUser scope.userId', (r) => r.eraseUser({ orgId: scope.orgId, userId: OPERATOR })],
  ['eraseOrg orgId', (r) => r.eraseOrg({ orgId: OPERATOR })],
  ['transferThread threadId', (r) => r.transferThread(scope, { threadId: OPERATOR, toUserId: 'heir' })],
  ['transferThread toUserId', (r) => r.transferThread(scope, { threadId, toUserId: OPERATOR })],
  ['pruneThreads orgId', (r) => r.pruneThreads({ orgId: OPERATOR }, { inactiveBefore: new Date(), limit: 10 })],
  ['importThread id', (r) => r.importThread(scope, { ...IMPORTED_THREAD, id: OPERATOR })],
  ['importMessages threadId', (r) => r.importMessages(scope, { threadId: OPERATOR, messages: [IMPORTED] })],
  [
    'importMessages message id',
    (r) => r.importMessages(scope, { threadId, messages: [{ ...IMPORTED, id: OPERATOR }] }),
  ],
];

describe('operator objects never reach a filter', () => {
  it.each(CALLS)('%s: { $gt: "" } is a ValidationError and nothing is written', async (_name, call) => {
    const inspector = inspectMongoRepository(repo);
    const before = await inspector.snapshot(scope.orgId);
    await expect(call(repo)).rejects.toBeInstanceOf(ValidationError);
    expect(await inspector.snapshot(scope.orgId)).toEqual(before);
  });

  it('operator-looking metadata keys and values are stored as data and round-trip', async () => {
    const metadata = { $set: { lastSeq: 0 }, 'a.b': 1, '': 'empty', $where: 'sleep(1000)', nested: { $gt: '' } };
    const [stored] = await repo.appendMessages(scope, {
      threadId,
      messages: [{ role: 'user', content: 'x', metadata }],
    });
    expect(stored?.metadata).toEqual(metadata);
    const thread = await repo.getThread(scope, threadId);
    expect(thread?.lastSeq).toBe(2);
  });
});

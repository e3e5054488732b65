import type { ConversationRepository, ImportThreadInput, RepositoryCapabilities, Scope } from '@fluxibly/core';

/** A call of one repository method with valid input, on `threadId` (which may or may not exist). */
export type MethodCall = (repo: ConversationRepository, scope: Scope, threadId: string) => Promise<unknown>;

/** A valid exported thread with id `id`. */
function importedThread(id: string): ImportThreadInput {
  return { id, name: '', metadata: {}, createdAt: new Date(0), updatedAt: new Date(0), lastSeq: 1 };
}

/** Every method with valid input, so that only the backend (or `close()`) can make it fail. */
const METHOD_CALLS: ReadonlyArray<readonly [string, MethodCall]> = [
  ['createThread', (r, s) => r.createThread(s, { name: 'x' })],
  ['getThread', (r, s, t) => r.getThread(s, t)],
  ['listThreads', (r, s) => r.listThreads(s)],
  ['listOrgThreads', (r, s) => r.listOrgThreads({ orgId: s.orgId })],
  ['updateThread', (r, s, t) => r.updateThread(s, { threadId: t, name: 'y' })],
  ['appendMessages', (r, s, t) => r.appendMessages(s, { threadId: t, messages: [{ role: 'user', content: 'hi' }] })],
  ['getMessages', (r, s, t) => r.getMessages(s, { threadId: t })],
  ['getMessage', (r, s, t) => r.getMessage(s, { threadId: t, messageId: 'm' })],
  ['editMessage', (r, s, t) => r.editMessage(s, { threadId: t, messageId: 'm', content: 'x' })],
  ['deleteMessage', (r, s, t) => r.deleteMessage(s, { threadId: t, messageId: 'm' })],
  ['clearThread', (r, s, t) => r.clearThread(s, t)],
  ['truncateThread', (r, s, t) => r.truncateThread(s, { threadId: t, afterSeq: 0 })],
  ['forkThread', (r, s, t) => r.forkThread(s, { threadId: t })],
  ['deleteThread', (r, s, t) => r.deleteThread(s, t)],
  ['transferThread', (r, s, t) => r.transferThread(s, { threadId: t, toUserId: 'to' })],
  ['eraseUser', (r, s) => r.eraseUser(s)],
  ['eraseOrg', (r, s) => r.eraseOrg({ orgId: s.orgId })],
  ['pruneThreads', (r, s) => r.pruneThreads({ orgId: s.orgId }, { inactiveBefore: new Date(0), limit: 10 })],
  ['importThread', (r, s, t) => r.importThread(s, importedThread(t))],
  [
    'importMessages',
    (r, s, t) =>
      r.importMessages(s, {
        threadId: t,
        messages: [
          { id: 'm', seq: 1, role: 'user', content: 'x', metadata: {}, status: 'completed', createdAt: new Date(0) },
        ],
      }),
  ],
];

/** {@link METHOD_CALLS}, with `searchMessages` when the adapter declares full-text search. */
export function methodCalls(capabilities: RepositoryCapabilities): ReadonlyArray<readonly [string, MethodCall]> {
  return capabilities.fullTextSearch
    ? [...METHOD_CALLS, ['searchMessages', (r, s) => r.searchMessages(s, { query: 'hello' })]]
    : METHOD_CALLS;
}

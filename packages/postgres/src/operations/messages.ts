import type {
  ChatMessage,
  EditMessageInput,
  GetMessagesInput,
  MessagePage,
  MessageRef,
  Scope,
  SearchMessagesInput,
} from '@fluxibly/core';
import { NotFoundError, validateEdit, validateGetMessages, validateMessageRef, validateSearch } from '@fluxibly/core';
import type { PageRow } from '../pages.js';
import { messagePage } from '../pages.js';
import type { MessageRow } from '../rows.js';
import { toChatMessage } from '../rows.js';
import type { Context } from './context.js';

/**
 * The message operations of the repository other than append (see `append.ts`), each one statement (see
 * `repository.ts` for the promises each keeps). `scope` is validated by the caller.
 */

export async function getMessages(c: Context, s: Scope, input: GetMessagesInput): Promise<MessagePage | null> {
  const request = validateGetMessages(input);
  const m = c.statements.messages;
  const base = [request.threadId, s.orgId, s.userId];
  let result: { rows: PageRow[] };
  if (request.afterSeq === undefined) {
    result =
      request.beforeSeq === undefined
        ? await c.connection.query<PageRow>(m.newest(request.limit + 1), base)
        : await c.connection.query<PageRow>(m.newestBefore(request.limit + 1), [...base, request.beforeSeq]);
  } else {
    result =
      request.beforeSeq === undefined
        ? await c.connection.query<PageRow>(m.after(request.limit), [...base, request.afterSeq])
        : await c.connection.query<PageRow>(m.afterBefore(request.limit), [
            ...base,
            request.afterSeq,
            request.beforeSeq,
          ]);
  }
  return messagePage(result.rows[0], request);
}

export async function getMessage(c: Context, s: Scope, input: MessageRef): Promise<ChatMessage | null> {
  const ref = validateMessageRef(input);
  const { rows } = await c.connection.query<MessageRow>(c.statements.messages.get, [
    ref.threadId,
    ref.messageId,
    s.orgId,
    s.userId,
  ]);
  return rows[0] === undefined ? null : toChatMessage(rows[0]);
}

export async function editMessage(c: Context, s: Scope, input: EditMessageInput): Promise<ChatMessage> {
  const valid = validateEdit(input);
  const { rows } = await c.connection.query<MessageRow>(c.statements.messages.edit, [
    valid.threadId,
    valid.messageId,
    s.orgId,
    s.userId,
    valid.content === undefined ? null : JSON.stringify(valid.content),
    valid.metadata === undefined ? null : JSON.stringify(valid.metadata),
  ]);
  if (rows[0] === undefined) throw new NotFoundError('message not found');
  return toChatMessage(rows[0]);
}

export async function deleteMessage(c: Context, s: Scope, input: MessageRef): Promise<boolean> {
  const ref = validateMessageRef(input);
  const { rows } = await c.connection.query(c.statements.messages.remove, [
    ref.threadId,
    ref.messageId,
    s.orgId,
    s.userId,
  ]);
  return rows.length > 0;
}

export async function searchMessages(c: Context, s: Scope, input: SearchMessagesInput): Promise<ChatMessage[]> {
  const search = validateSearch(input);
  const m = c.statements.messages;
  const { rows } =
    search.threadId === undefined
      ? await c.connection.query<MessageRow>(m.search(search.limit), [s.orgId, s.userId, search.query])
      : await c.connection.query<MessageRow>(m.searchThread(search.limit), [
          s.orgId,
          s.userId,
          search.query,
          search.threadId,
        ]);
  return rows.map(toChatMessage);
}

import type { ChatMessage, MessagePage, Scope } from '@fluxibly/core';
import type {
  StoredMessagePage,
  ValidAppend,
  ValidEdit,
  ValidGetMessages,
  ValidMessageRef,
  ValidTruncate,
} from '@fluxibly/core/adapter';
import {
  buildMessagePage,
  cutPointError,
  fromNewestFirst,
  lastSeqConflict,
  messageCountConflict,
  messageNotFound,
  statusConflict,
  threadNotFound,
} from '@fluxibly/core/adapter';
import { decodeMessage, encodeMessageBody, newMessage } from './codec.js';
import type { OpContext } from './context.js';
import { runThreadScript, syncIndexes } from './context.js';
import { DELETE_MESSAGE, EDIT } from './scripts/message-writes.js';
import { GET_MESSAGE, PAGE } from './scripts/reads.js';
import { script } from './scripts/run.js';
import { expectationArg } from './scripts/expectations.js';
import { REPLACE, TRUNCATE } from './scripts/tail-writes.js';
import { APPEND } from './scripts/thread-writes.js';

const S = {
  append: script(APPEND),
  replace: script(REPLACE),
  truncate: script(TRUNCATE),
  page: script(PAGE),
  get: script(GET_MESSAGE),
  edit: script(EDIT),
  remove: script(DELETE_MESSAGE),
};

/**
 * Append a batch in one script (one round trip): scope and existence check, idempotency by id, `expectedLastSeq`,
 * `seq` assignment, storage and the thread's `lastSeq`/`updatedAt`, all atomic. Redis runs one script at a time,
 * so exactly one of two racing appends gets each `seq`. Resending the same call (same ids) after a lost reply
 * writes nothing and returns the stored messages. In separate mode the listing indexes are moved afterwards.
 * @throws NotFoundError, ConflictError.
 */
export async function appendMessages(context: OpContext, scope: Scope, input: ValidAppend): Promise<ChatMessage[]> {
  const args: string[] = [expectationArg(input)];
  const replace = input.replaceAfterSeq !== undefined;
  if (replace) args.push(String(input.replaceAfterSeq));
  for (const message of input.messages) args.push(message.id, encodeMessageBody(message));
  const reply = (await runThreadScript(context, replace ? S.replace : S.append, scope, input.threadId, args)) as
    ['OK', number, string, string, string[]] | ['NF'] | ['CF', string] | ['CC', string] | ['BAD', string];
  if (reply[0] === 'NF') throw threadNotFound();
  if (reply[0] === 'CF') throw lastSeqConflict(input.expectedLastSeq ?? 0, Number(reply[1]));
  if (reply[0] === 'CC') throw messageCountConflict(input.expectedMessageCount ?? 0, Number(reply[1]));
  if (reply[0] === 'BAD') throw cutPointError('replaceAfterSeq', input.replaceAfterSeq ?? 0, Number(reply[1]));
  const [, written, at, first, stored] = reply;
  const createdAt = Number(at);
  let seq = Number(first);
  const messages = input.messages.map((message, i) => {
    const found = stored[i];
    return found === undefined || found === ''
      ? newMessage(input.threadId, message, seq++, createdAt)
      : decodeMessage(input.threadId, found);
  });
  if (written === 1) await syncIndexes(context, scope, input.threadId, createdAt);
  return messages;
}

/**
 * A page of messages (see `MessagePage`) in one round trip, costing O(log n + limit); `null` for no thread.
 * The newest page (no cursor, the common read) is one plain `ZRANGE … REV` of limit + 2 entries: the owner mark
 * (score `+inf`, so always first; absent or another scope's: no thread for this scope), the page, and one more
 * message when an older one exists. A single command is atomic, so the scope check and the page agree. Pages
 * after a cursor are one script.
 */
export async function getMessages(
  context: OpContext,
  scope: Scope,
  input: ValidGetMessages,
): Promise<MessagePage | null> {
  const decode = (entry: string): ChatMessage => decodeMessage(input.threadId, entry);
  let stored: StoredMessagePage;
  if (input.beforeSeq === undefined && input.afterSeq === undefined) {
    const keys = context.keys.thread(input.threadId);
    const entries = (await context.client.call('ZRANGE', keys.messages, 0, input.limit + 1, 'REV')) as string[];
    if (entries[0] !== context.keys.scope(scope.orgId, scope.userId).owner) return null;
    stored = fromNewestFirst(entries.slice(1), input.limit, decode);
  } else {
    const args = [input.limit, input.beforeSeq ?? '', input.afterSeq ?? ''];
    const reply = (await runThreadScript(context, S.page, scope, input.threadId, args)) as
      ['OK', string[], number] | ['NF'];
    if (reply[0] !== 'OK') return null;
    const messages = reply[1].map(decode);
    // With `after` the script returns the page oldest first, otherwise newest first.
    if (input.afterSeq === undefined) messages.reverse();
    stored = { messages, hasOlder: reply[2] === 1 };
  }
  return buildMessagePage(stored, input);
}

/** One message, or `null`. One round trip. */
export async function getMessage(
  context: OpContext,
  scope: Scope,
  input: ValidMessageRef,
): Promise<ChatMessage | null> {
  const reply = (await runThreadScript(context, S.get, scope, input.threadId, [input.messageId])) as
    ['OK', string | null] | ['NF'];
  return reply[0] === 'OK' && reply[1] !== null ? decodeMessage(input.threadId, reply[1]) : null;
}

/**
 * Remove the messages after `afterSeq` in one script; `lastSeq` is kept. @throws NotFoundError, ConflictError
 * (`expectedLastSeq`), ValidationError (`afterSeq` beyond `lastSeq`).
 */
export async function truncateThread(context: OpContext, scope: Scope, input: ValidTruncate): Promise<number> {
  const args = [expectationArg(input), String(input.afterSeq)];
  const reply = (await runThreadScript(context, S.truncate, scope, input.threadId, args)) as
    ['OK', number, string | null] | ['NF'] | ['CF', string] | ['CC', string] | ['BAD', string];
  if (reply[0] === 'NF') throw threadNotFound();
  if (reply[0] === 'CF') throw lastSeqConflict(input.expectedLastSeq ?? 0, Number(reply[1]));
  if (reply[0] === 'CC') throw messageCountConflict(input.expectedMessageCount ?? 0, Number(reply[1]));
  if (reply[0] === 'BAD') throw cutPointError('afterSeq', input.afterSeq, Number(reply[1]));
  if (reply[1] > 0 && reply[2] !== null) await syncIndexes(context, scope, input.threadId, Number(reply[2]));
  return reply[1];
}

/**
 * Replace content, metadata, status and/or tokenCount, set `editedAt`; with `expectedStatus`, only when the message
 * has it (checked in the same script). @throws NotFoundError for a missing thread or message, ConflictError.
 */
export async function editMessage(context: OpContext, scope: Scope, input: ValidEdit): Promise<ChatMessage> {
  const args = [
    input.messageId,
    input.content === undefined ? '0' : '1',
    input.content === undefined ? '' : JSON.stringify(input.content),
    input.metadata === undefined ? '0' : '1',
    input.metadata === undefined ? '' : JSON.stringify(input.metadata),
    input.status === undefined ? '' : JSON.stringify(input.status),
    input.tokenCount === undefined ? '' : String(input.tokenCount),
    input.expectedStatus === undefined ? '' : JSON.stringify(input.expectedStatus),
  ];
  const reply = (await runThreadScript(context, S.edit, scope, input.threadId, args)) as
    ['OK', string, string] | ['NF'] | ['NM'] | ['CF', string];
  if (reply[0] === 'NF') throw threadNotFound();
  if (reply[0] === 'NM') throw messageNotFound();
  if (reply[0] === 'CF') throw statusConflict(input.expectedStatus ?? '', JSON.parse(reply[1]) as string);
  await syncIndexes(context, scope, input.threadId, Number(reply[2]));
  return decodeMessage(input.threadId, reply[1]);
}

/** Delete one message (a `seq` gap stays); `false` when it or its thread does not exist for `scope`. */
export async function deleteMessage(context: OpContext, scope: Scope, input: ValidMessageRef): Promise<boolean> {
  const reply = (await runThreadScript(context, S.remove, scope, input.threadId, [input.messageId])) as
    ['OK', number, string | null] | ['NF'];
  if (reply[0] !== 'OK' || reply[1] !== 1) return false;
  await syncIndexes(context, scope, input.threadId, Number(reply[2]));
  return true;
}

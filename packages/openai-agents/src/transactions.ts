import type { AgentInputItem, SessionHistoryTransaction, SessionHistoryTransactionArgs } from '@openai/agents-core';
import { ConflictError, FluxiblyError, ValidationError } from '@fluxibly/core';
import type { ConversationRepository, NewMessage, Scope } from '@fluxibly/core';
import { canonicalJson, sha256 } from './canonical.js';
import { itemToMessage, messageToItem } from './items.js';

/** The metadata key, on a transaction's first message, that records which operation wrote it. */
export const OPERATION_KEY = 'openaiAgentsOperation';
const MAX_ATTEMPTS = 200;
const MAX_SUFFIX = 1000;

/**
 * Apply one `applyHistoryTransaction` call. The operation is recorded *in the same write* as the change: the new
 * messages get ids derived from the `operationId`, and the first carries the transaction's digest. A retry finds
 * them and writes nothing; a concurrent duplicate is made a no-op by the contract's idempotent ids.
 */
export async function applyTransaction(
  repository: ConversationRepository,
  scope: Scope,
  threadId: string,
  args: SessionHistoryTransactionArgs,
): Promise<void> {
  const { operationId, transaction } = validated(args);
  const digest = sha256(canonicalJson(transaction));
  const ids = idsFor(operationId);
  const items = transaction.type === 'append_items' ? transaction.items : transaction.replacement;
  const messages = items.map((item, index) => {
    const message = itemToMessage(item, ids(index));
    if (index === 0) message.metadata = { [OPERATION_KEY]: digest };
    return message;
  });
  const applied = async (): Promise<boolean> => {
    if (messages.length === 0) return false;
    const first = await repository.getMessage(scope, { threadId, messageId: ids(0) });
    if (first === null) return false;
    if (first.metadata[OPERATION_KEY] !== digest) {
      throw new ConflictError('applyHistoryTransaction: operationId was already used for a different transaction');
    }
    return true;
  };
  if (await applied()) return;
  if (transaction.type === 'append_items') {
    if (messages.length > 0) await repository.appendMessages(scope, { threadId, messages });
    return;
  }
  await replaceSuffix(repository, scope, threadId, transaction.expectedSuffix, messages, applied);
}

async function replaceSuffix(
  repository: ConversationRepository,
  scope: Scope,
  threadId: string,
  expectedSuffix: readonly AgentInputItem[],
  messages: NewMessage[],
  applied: () => Promise<boolean>,
): Promise<void> {
  const expected = expectedSuffix.map((item) => canonicalJson(item));
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const thread = await repository.getThread(scope, threadId);
    if (thread === null) throw new ConflictError('applyHistoryTransaction: the session no longer exists');
    const page =
      expected.length === 0 ? null : await repository.getMessages(scope, { threadId, limit: expected.length });
    const suffix = page?.messages ?? [];
    if (suffix.some((message) => message.seq > thread.lastSeq)) continue; // appended between the reads
    const actual = suffix.map((message) => canonicalJson(messageToItem(message)));
    if (actual.length !== expected.length || actual.some((json, i) => json !== expected[i])) {
      if (await applied()) return;
      throw new ConflictError('applyHistoryTransaction: the session history no longer ends with expectedSuffix');
    }
    const afterSeq = suffix[0] === undefined ? thread.lastSeq : suffix[0].seq - 1;
    // The history checked is the one written over: an append since the read moves lastSeq, a removal (a concurrent
    // popItem, which leaves lastSeq alone) changes messageCount; either makes the write a conflict, then a re-check.
    const guard = { expectedLastSeq: thread.lastSeq, expectedMessageCount: thread.messageCount };
    try {
      if (messages.length > 0) {
        await repository.appendMessages(scope, {
          threadId,
          messages,
          replaceAfterSeq: afterSeq,
          ...guard,
        });
      } else if (suffix.length > 0) {
        await repository.truncateThread(scope, { threadId, afterSeq, ...guard });
      }
      return;
    } catch (error) {
      if (!FluxiblyError.is(error, 'CONFLICT')) throw error;
    }
  }
  throw new ConflictError('applyHistoryTransaction: the session kept changing; try again');
}

/** Message ids of an operation: short (hashed) whatever the operationId's length, distinct per item. */
function idsFor(operationId: string): (index: number) => string {
  const base = `op_${sha256(operationId).slice(0, 40)}`;
  return (index) => `${base}_${index}`;
}

function validated(args: SessionHistoryTransactionArgs): {
  operationId: string;
  transaction: SessionHistoryTransaction;
} {
  const { operationId, transaction } = args;
  if (typeof operationId !== 'string' || operationId.trim() === '') {
    throw new ValidationError('operationId', 'must be a non-empty string');
  }
  if (transaction.type === 'append_items') {
    if (!Array.isArray(transaction.items)) throw new ValidationError('transaction.items', 'must be an array');
    return { operationId, transaction: { type: 'append_items', items: transaction.items } };
  }
  if (transaction.type !== 'replace_suffix') throw new ValidationError('transaction.type', 'is not supported');
  const { expectedSuffix, replacement } = transaction;
  if (!Array.isArray(expectedSuffix) || !Array.isArray(replacement)) {
    throw new ValidationError('transaction', 'expectedSuffix and replacement must be arrays');
  }
  if (expectedSuffix.length > MAX_SUFFIX) {
    throw new ValidationError('transaction.expectedSuffix', `at most ${MAX_SUFFIX} items`);
  }
  return { operationId, transaction: { type: 'replace_suffix', expectedSuffix, replacement } };
}

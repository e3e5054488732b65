import type { ChatMessage, Scope } from '@fluxibly/core';
import { ValidationError } from '@fluxibly/core';
import type { ValidAppend, ValidMessage } from '@fluxibly/core/adapter';
import { appendedMessage, cutPointError, threadNotFound } from '@fluxibly/core/adapter';
import type { MessageRow, StoredStatus } from './codec.js';
import { storedStatus, toChatMessage } from './codec.js';
import type { Statement } from './connection.js';
import type { Context } from './context.js';
import { checkGuards } from './guards.js';
import { runUntilSettled } from './settle.js';
import type { Statements } from './sql/index.js';

export { APPEND_ATTEMPTS } from './settle.js';

/** A row of the append statement: the header, joined with one existing message (or nulls). */
interface AppendRow extends Partial<MessageRow> {
  owned_last_seq: string | null;
  /** The thread's `message_count` in the statement's snapshot (null: no thread for this scope). */
  owned_message_count: string | null;
  base: string | null;
  /** The thread's new `updated_at`, epoch milliseconds (null when nothing was written). */
  bumped_at: number | null;
  ord: string | null;
  /** Replace statement only: whether the call is a retry of one applied (`replaceStatement`). */
  replayed?: boolean | null;
  /** Replace statement only: how many messages the cut removes (in the statement's snapshot). */
  tail_count?: string | null;
}

/**
 * Append a validated batch in one statement (see `sql/append.ts`: a single message has a leaner statement of
 * its own; `sql/replace.ts` with `replaceAfterSeq`) and return the messages as stored, in input order.
 *
 * - **Atomic.** The statement row-locks and bumps the thread (`UPDATE … RETURNING`, the serialization point for
 *   `seq`), checks scope, `expectedLastSeq`, `expectedMessageCount` and idempotency (the unique message key) and
 *   inserts the new rows:
 *   concurrent appenders from any connection or process never share or lose a `seq`; exactly one of two racing
 *   appends gets each `seq`.
 * - **Idempotent.** A message whose id is in the thread is returned as stored; an all-existing batch writes
 *   nothing and ignores `expectedLastSeq` and `expectedMessageCount`; concurrent identical retries all get the same
 *   stored messages.
 * - **Replace the tail.** With `replaceAfterSeq: n` the same statement removes every message after `n` first; a
 *   retry (the messages after `n` are this batch's ids, in order) writes nothing and returns them.
 * - **One retry loop** (`settle.ts`): the statement is re-run when it lost a race (a unique violation, a
 *   serialization failure or deadlock, or a thread that changed between the statement's snapshot and its row
 *   lock); at most `APPEND_ATTEMPTS` runs.
 *
 * @throws NotFoundError when the thread does not exist for this scope.
 * @throws ConflictError when `expectedLastSeq` is not the thread's `lastSeq`, or (checked next)
 *   `expectedMessageCount` not its `messageCount` (and a message is new, or the call replaces a tail and is no retry).
 * @throws ValidationError naming `replaceAfterSeq` when it is beyond the thread's `lastSeq`.
 */
export async function appendMessages(c: Context, scope: Scope, input: ValidAppend): Promise<ChatMessage[]> {
  const [sql, values] = parameters(c.statements, scope, input);
  const settle = input.replaceAfterSeq === undefined ? settleAppend : settleReplace;
  return runUntilSettled<AppendRow, ChatMessage[]>(c, sql, values, (rows) => settle(rows, input), 'append');
}

/** The existing messages of the statement's rows, by 0-based input position. */
function existingOf(rows: AppendRow[]): Map<number, ChatMessage> {
  const existing = new Map<number, ChatMessage>();
  for (const row of rows) if (row.ord !== null) existing.set(Number(row.ord) - 1, toChatMessage(row as MessageRow));
  return existing;
}

/**
 * A plain append's result from the statement's rows, or `undefined` when the thread changed after the statement's
 * snapshot (moved or deleted) and the statement must run again.
 */
function settleAppend(rows: AppendRow[], input: ValidAppend): ChatMessage[] | undefined {
  const header = rows[0];
  if (header === undefined || header.owned_last_seq === null) throw threadNotFound();
  const existing = existingOf(rows);
  if (header.base === null || header.bumped_at === null) {
    if (existing.size === input.messages.length) return input.messages.map((_, i) => existing.get(i) as ChatMessage);
    checkGuards(input, Number(header.owned_last_seq), Number(header.owned_message_count));
    return undefined;
  }
  return stored(input, existing, Number(header.base), header.bumped_at);
}

/**
 * A `replaceAfterSeq` append's result (the order of checks is the contract's): not found; a replayed tail
 * returns it; `expectedLastSeq`; the cut point; then what was written — or nothing to write at all (the batch is
 * all at `seq <= n` and there is no tail) — else `undefined`: the thread changed after the snapshot, run again.
 */
function settleReplace(rows: AppendRow[], input: ValidAppend): ChatMessage[] | undefined {
  const header = rows[0];
  if (header === undefined || header.owned_last_seq === null) throw threadNotFound();
  const existing = existingOf(rows);
  const all = (): ChatMessage[] => input.messages.map((_, i) => existing.get(i) as ChatMessage);
  if (header.replayed === true) return all();
  const lastSeq = Number(header.owned_last_seq);
  checkGuards(input, lastSeq, Number(header.owned_message_count));
  const cut = input.replaceAfterSeq as number;
  if (cut > lastSeq) throw cutPointError('replaceAfterSeq', cut, lastSeq);
  if (header.base !== null && header.bumped_at !== null) {
    return stored(input, existing, Number(header.base), header.bumped_at);
  }
  if (existing.size === input.messages.length && Number(header.tail_count) === 0) return all();
  return undefined;
}

/** The batch as stored: the existing messages as read, the new ones numbered after `base`. */
function stored(
  input: ValidAppend,
  existing: Map<number, ChatMessage>,
  base: number,
  createdAt: number,
): ChatMessage[] {
  let seq = base;
  return input.messages.map((m, i): ChatMessage => {
    const found = existing.get(i);
    if (found !== undefined) return found;
    seq += 1;
    return appendedMessage(m, input.threadId, seq, createdAt);
  });
}

/**
 * The statement and its parameters. Serialising cannot fail for a batch that passed validation (at most
 * `LIMITS.batchBytes` of JSON, and the coalescer never merges past it), but if it ever does — `JSON.stringify`
 * throws an untyped `RangeError` past the engine's longest string — the call fails with a `ValidationError`
 * naming `messages` before anything is sent, never with a raw error.
 */
function parameters(statements: Statements, scope: Scope, input: ValidAppend): [Statement, unknown[]] {
  try {
    if (input.replaceAfterSeq !== undefined) {
      return [
        statements.replace,
        [...batchValues(scope, input), input.replaceAfterSeq, input.expectedMessageCount ?? null],
      ];
    }
    return input.messages.length === 1
      ? oneParameters(statements, scope, input)
      : [statements.append, [...batchValues(scope, input), input.expectedMessageCount ?? null]];
  } catch (error) {
    throw new ValidationError('messages', `could not be serialised for PostgreSQL (${input.bytes} bytes)`, {
      cause: error,
    });
  }
}

/** The single-message statement and its parameters (see `appendOneStatement`). */
function oneParameters(statements: Statements, scope: Scope, input: ValidAppend): [Statement, unknown[]] {
  const m = input.messages[0] as ValidMessage;
  return [
    statements.appendOne,
    [
      input.threadId,
      scope.orgId,
      scope.userId,
      m.id,
      m.role,
      JSON.stringify(m.content),
      m.name ?? null,
      m.toolCallId ?? null,
      JSON.stringify(m.metadata),
      input.expectedLastSeq ?? null,
      storedStatus(m.status),
      m.tokenCount ?? null,
      m.summaryOf?.fromSeq ?? null,
      m.summaryOf?.toSeq ?? null,
      input.expectedMessageCount ?? null,
    ],
  ];
}

/**
 * A message's contract v2 fields as the batch statements read them (`insertFresh` in `sql/append.ts`): nothing for
 * an ordinary message (completed, no token count, no summary), else `x: [status, tokenCount, fromSeq, toSeq]`.
 */
function v2Fields(m: ValidMessage): { x?: [StoredStatus, number | null, number | null, number | null] } {
  const status = storedStatus(m.status);
  if (status === null && m.tokenCount === undefined && m.summaryOf === undefined) return {};
  return { x: [status, m.tokenCount ?? null, m.summaryOf?.fromSeq ?? null, m.summaryOf?.toSeq ?? null] };
}

/** The batch statements' first parameters: the batch as one JSON array (see `appendStatement`). */
function batchValues(scope: Scope, input: ValidAppend): unknown[] {
  const batch = JSON.stringify(
    input.messages.map((m) => ({
      id: m.id,
      role: m.role,
      content: m.content,
      metadata: m.metadata,
      ...(m.name === undefined ? {} : { name: m.name }),
      ...(m.toolCallId === undefined ? {} : { toolCallId: m.toolCallId }),
      ...v2Fields(m),
    })),
  );
  return [input.threadId, scope.orgId, scope.userId, batch, input.expectedLastSeq ?? null];
}

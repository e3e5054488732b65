import type { ChatMessage, Scope } from '@fluxibly/core';
import { UnavailableError, ValidationError } from '@fluxibly/core';
import type { ValidAppend, ValidMessage } from '@fluxibly/core/adapter';
import { chatMessage, lastSeqConflict, threadNotFound } from '@fluxibly/core/adapter';
import type { MessageRow } from './codec.js';
import { toChatMessage } from './codec.js';
import type { Statement } from './connection.js';
import type { Context } from './context.js';
import { isRetryable } from './errors.js';
import type { Statements } from './sql/index.js';

/** A row of the append statement: the header, joined with one existing message (or nulls). */
interface AppendRow extends Partial<MessageRow> {
  owned_last_seq: string | null;
  base: string | null;
  /** The thread's new `updated_at`, epoch milliseconds (null when nothing was written). */
  bumped_at: number | null;
  ord: string | null;
}

/**
 * The most times one append sends its statement: the ONE retry loop of an append (see {@link appendMessages}).
 * Every re-run is caused by a concurrent write that has committed by then, so the next run classifies the call
 * afresh and settles (a racing identical append: the re-run finds its messages; a moved or deleted thread: the
 * re-run reports the conflict or `NotFoundError`); 8 leaves room for a burst of such races on one thread.
 */
export const APPEND_ATTEMPTS = 8;

/**
 * Append a validated batch in one statement (see `sql/append.ts`: a single message has a leaner statement of
 * its own) and return the messages as stored, in input order.
 *
 * - **Atomic.** The statement row-locks and bumps the thread (`UPDATE … RETURNING`, the serialization point for
 *   `seq`), checks scope, `expectedLastSeq` and idempotency (the unique message key) and inserts the new rows:
 *   concurrent appenders from any connection or process never share or lose a `seq`; exactly one of two racing
 *   appends gets each `seq`.
 * - **Idempotent.** A message whose id is in the thread is returned as stored; an all-existing batch writes
 *   nothing and ignores `expectedLastSeq`; concurrent identical retries all get the same stored messages.
 * - **One retry loop.** The statement is re-run — each run is atomic: a failed one wrote nothing — when it lost a
 *   race: a unique violation (a concurrent call appended the same new id first: the re-run finds and returns it),
 *   a serialization failure or deadlock, or a thread that changed between the statement's snapshot and its row
 *   lock (the re-run classifies it afresh). At most {@link APPEND_ATTEMPTS} runs in all, whatever the reason;
 *   then the last driver error (mapped to `UnavailableError`), or `UnavailableError` asking to retry the call.
 *
 * @throws NotFoundError when the thread does not exist for this scope.
 * @throws ConflictError when `expectedLastSeq` is not the thread's `lastSeq` (and a message is new).
 */
export async function appendMessages(c: Context, scope: Scope, input: ValidAppend): Promise<ChatMessage[]> {
  const [sql, values] = parameters(c.statements, scope, input);
  for (let attempt = 1; attempt <= APPEND_ATTEMPTS; attempt++) {
    let rows: AppendRow[];
    try {
      ({ rows } = await c.connection.query<AppendRow>(sql, values));
    } catch (error) {
      if (attempt < APPEND_ATTEMPTS && isRetryable(error)) continue;
      throw error;
    }
    const stored = settle(rows, input);
    if (stored !== undefined) return stored;
  }
  throw new UnavailableError(
    `append did not settle after ${APPEND_ATTEMPTS} attempts under contention; retry the call`,
  );
}

/**
 * The call's result from the statement's rows, or `undefined` when the thread changed after the statement's
 * snapshot (moved or deleted) and the statement must run again.
 */
function settle(rows: AppendRow[], input: ValidAppend): ChatMessage[] | undefined {
  const header = rows[0];
  if (header === undefined || header.owned_last_seq === null) throw threadNotFound();
  const existing = new Map<number, ChatMessage>();
  for (const row of rows) if (row.ord !== null) existing.set(Number(row.ord) - 1, toChatMessage(row as MessageRow));
  if (header.base === null || header.bumped_at === null) {
    if (existing.size === input.messages.length) return input.messages.map((_, i) => existing.get(i) as ChatMessage);
    const actual = Number(header.owned_last_seq);
    if (input.expectedLastSeq !== undefined && input.expectedLastSeq !== actual) {
      throw lastSeqConflict(input.expectedLastSeq, actual);
    }
    return undefined;
  }
  let seq = Number(header.base);
  const createdAt = header.bumped_at;
  return input.messages.map((m, i): ChatMessage => {
    const found = existing.get(i);
    if (found !== undefined) return found;
    seq += 1;
    return chatMessage({ ...m, threadId: input.threadId, seq, createdAt });
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
    return input.messages.length === 1
      ? oneParameters(statements, scope, input)
      : batchParameters(statements, scope, input);
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
    ],
  ];
}

/** The batch statement and its parameters: the batch as one JSON array (see `appendStatement`). */
function batchParameters(statements: Statements, scope: Scope, input: ValidAppend): [Statement, unknown[]] {
  const batch = JSON.stringify(
    input.messages.map((m) => ({
      id: m.id,
      role: m.role,
      content: m.content,
      metadata: m.metadata,
      ...(m.name === undefined ? {} : { name: m.name }),
      ...(m.toolCallId === undefined ? {} : { toolCallId: m.toolCallId }),
    })),
  );
  return [statements.append, [input.threadId, scope.orgId, scope.userId, batch, input.expectedLastSeq ?? null]];
}

import type { ChatMessage, Scope, ValidAppend, ValidMessage } from '@fluxibly/core';
import { chatMessage, ConflictError, NotFoundError, UnavailableError, ValidationError } from '@fluxibly/core';
import type { Connection, Statement } from './connection.js';
import type { MessageRow } from './rows.js';
import { toChatMessage } from './rows.js';
import type { Statements } from './sql/index.js';

/** A row of the append statement: the header, joined with one existing message (or nulls). */
interface AppendRow extends Partial<MessageRow> {
  owned_last_seq: string | null;
  base: string | null;
  /** The thread's new `updated_at`, epoch milliseconds (null when nothing was written). */
  bumped_at: number | null;
  ord: string | null;
}

/** How many times an append is re-run after losing a race (see {@link appendMessages}). */
const ATTEMPTS = 8;

/**
 * Append a validated batch in one statement (see `sql/append.ts`: a single message has a leaner statement of
 * its own) and build the result.
 *
 * The statement is re-run (each run is atomic: it wrote nothing if it failed) when it lost a race: a unique
 * violation (a concurrent call appended the same new id first — the re-run finds and returns it, so concurrent
 * identical retries all succeed with the same `seq`s), a serialization failure or deadlock, or a thread that
 * changed between the statement's snapshot and its row lock (the re-run classifies it afresh).
 */
export async function appendMessages(
  connection: Connection,
  statements: Statements,
  scope: Scope,
  input: ValidAppend,
): Promise<ChatMessage[]> {
  const [sql, values] = parameters(statements, scope, input);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const { rows } = await connection.queryRetrying<AppendRow>(sql, values);
    const header = rows[0];
    if (header === undefined || header.owned_last_seq === null) throw new NotFoundError('thread not found');
    const existing = new Map<number, ChatMessage>();
    for (const row of rows) if (row.ord !== null) existing.set(Number(row.ord) - 1, toChatMessage(row as MessageRow));
    if (header.base === null || header.bumped_at === null) {
      if (existing.size === input.messages.length) return input.messages.map((_, i) => existing.get(i) as ChatMessage);
      const actual = Number(header.owned_last_seq);
      if (input.expectedLastSeq !== undefined && input.expectedLastSeq !== actual) {
        throw new ConflictError(`expectedLastSeq is ${input.expectedLastSeq} but the thread's lastSeq is ${actual}`, {
          expectedLastSeq: input.expectedLastSeq,
          actualLastSeq: actual,
        });
      }
      continue; // The thread changed after the snapshot (moved or deleted): classify again.
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
  throw new UnavailableError(`append did not settle after ${ATTEMPTS} attempts under contention; retry the call`);
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

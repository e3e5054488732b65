import { UnavailableError } from '@fluxibly/core';
import type { QueryResultRow } from 'pg';
import type { Statement } from './connection.js';
import type { Context } from './context.js';
import { isRetryable } from './errors.js';

/**
 * The most times one call sends its statement: the ONE retry loop of an append, a tail replacement or a
 * truncation (see {@link runUntilSettled}). Every re-run is caused by a concurrent write that has committed by
 * then, so the next run classifies the call afresh and settles (a racing identical append: the re-run finds its
 * messages; a moved or deleted thread: the re-run reports the conflict or `NotFoundError`); 8 leaves room for a
 * burst of such races on one thread.
 */
export const APPEND_ATTEMPTS = 8;

/**
 * Run one atomic statement until `settle` gives the call's result: each run is atomic (a failed one wrote
 * nothing). The statement is re-run when it lost a race: a unique violation, a serialization failure or
 * deadlock, or `settle` returning `undefined` (the thread changed between the statement's snapshot and its row
 * lock, so it wrote nothing). At most {@link APPEND_ATTEMPTS} runs in all, whatever the reason; then the last
 * driver error (mapped to `UnavailableError` by the kit), or `UnavailableError` asking to retry the call.
 * `settle` throws the call's own errors (not found, conflict, validation).
 */
export async function runUntilSettled<Row extends QueryResultRow, Result>(
  c: Context,
  sql: Statement,
  values: unknown[],
  settle: (rows: Row[]) => Result | undefined,
  what: string,
): Promise<Result> {
  for (let attempt = 1; attempt <= APPEND_ATTEMPTS; attempt++) {
    let rows: Row[];
    try {
      ({ rows } = await c.connection.query<Row>(sql, values));
    } catch (error) {
      if (attempt < APPEND_ATTEMPTS && isRetryable(error)) continue;
      throw error;
    }
    const result = settle(rows);
    if (result !== undefined) return result;
  }
  throw new UnavailableError(
    `${what} did not settle after ${APPEND_ATTEMPTS} attempts under contention; retry the call`,
  );
}

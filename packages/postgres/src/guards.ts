import { lastSeqConflict, messageCountConflict } from '@fluxibly/core/adapter';

/** The optimistic-concurrency guards a write may carry (append, tail replacement, truncation). */
export interface Guards {
  expectedLastSeq?: number;
  expectedMessageCount?: number;
}

/**
 * Check the guards against the thread as a statement's snapshot saw it, in the contract's order: `expectedLastSeq`
 * first, then `expectedMessageCount`. When both hold there but the statement wrote nothing, the thread changed after
 * the snapshot: the caller runs the statement again (the statement itself re-checks both on the locked row).
 * @throws ConflictError (`lastSeqConflict`, `messageCountConflict`).
 */
export function checkGuards(guards: Guards, lastSeq: number, messageCount: number): void {
  if (guards.expectedLastSeq !== undefined && guards.expectedLastSeq !== lastSeq) {
    throw lastSeqConflict(guards.expectedLastSeq, lastSeq);
  }
  if (guards.expectedMessageCount !== undefined && guards.expectedMessageCount !== messageCount) {
    throw messageCountConflict(guards.expectedMessageCount, messageCount);
  }
}

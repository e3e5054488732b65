import type { ValidMessage } from '../validation/messages.js';

/**
 * Whether a `replaceAfterSeq` append is a retry of one already applied: the thread's messages after the cut
 * (`tailIds`, in seq order) are exactly the batch's ids, in order. Such a call writes nothing and returns the
 * stored messages.
 */
export function isReplayedTail(tailIds: readonly string[], batch: readonly Pick<ValidMessage, 'id'>[]): boolean {
  return tailIds.length === batch.length && batch.every((message, i) => message.id === tailIds[i]);
}

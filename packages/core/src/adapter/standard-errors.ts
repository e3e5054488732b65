import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../errors/errors.js';
import { LIMITS } from '../validation/limits.js';

/**
 * The errors every adapter throws in the same words, so a caller (and the isolation spec, which compares them
 * byte for byte) cannot tell a missing thread from another tenant's.
 */

/** The thread does not exist for this scope (missing, deleted, or another tenant's). */
export function threadNotFound(): NotFoundError {
  return new NotFoundError('thread not found');
}

/** The message does not exist in a thread of this scope. */
export function messageNotFound(): NotFoundError {
  return new NotFoundError('message not found');
}

/** An append's `expectedLastSeq` does not match the thread's `lastSeq`; nothing was written. */
export function lastSeqConflict(expectedLastSeq: number, actualLastSeq: number): ConflictError {
  return new ConflictError(`expectedLastSeq is ${expectedLastSeq} but the thread's lastSeq is ${actualLastSeq}`, {
    expectedLastSeq,
    actualLastSeq,
  });
}

/** An `expectedMessageCount` does not match the thread's `messageCount`; nothing was written. */
export function messageCountConflict(expectedMessageCount: number, actualMessageCount: number): ConflictError {
  return new ConflictError(
    `expectedMessageCount is ${expectedMessageCount} but the thread's messageCount is ${actualMessageCount}`,
  );
}

/** An imported message's seq is beyond the thread's `lastSeq` (`index`: its place in the batch); nothing written. */
export function importSeqBeyond(index: number, lastSeq: number | string): ValidationError {
  return new ValidationError(`messages[${index}].seq`, `must be at most the thread's lastSeq (${lastSeq})`);
}

/** An imported message's seq is held by another message of the thread; nothing was written. */
export function importSeqTaken(index: number, seq: number | string): ConflictError {
  return new ConflictError(`messages[${index}].seq ${seq} is held by another message`);
}

/** A caller-supplied thread id is already used by some thread (ids are global). */
export function threadIdTaken(): ConflictError {
  return new ConflictError('thread id is already used');
}

/** Every call after `close()`. */
export function repositoryClosed(): UnavailableError {
  return new UnavailableError('repository is closed');
}

/** An edit's `expectedStatus` does not match the message's status; nothing was written. */
export function statusConflict(expectedStatus: string, actualStatus: string): ConflictError {
  return new ConflictError(`expectedStatus is ${expectedStatus} but the message's status is ${actualStatus}`);
}

/** An update's `expectedMetadata` does not match the thread's metadata; nothing was written. */
export function metadataConflict(): ConflictError {
  return new ConflictError("expectedMetadata does not match the thread's metadata");
}

/** A `metadataPatch` whose merged metadata would be larger than `LIMITS.metadataBytes`; nothing was written. */
export function metadataPatchTooLarge(): ValidationError {
  return new ValidationError(
    'metadataPatch',
    `would make the metadata larger than ${LIMITS.metadataBytes} bytes of JSON`,
  );
}

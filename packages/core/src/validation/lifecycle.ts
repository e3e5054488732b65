import { ValidationError } from '../errors/errors.js';
import type { JsonObject } from '../model/json.js';
import type { ThreadParent } from '../model/thread.js';
import { validateMetadata } from './json.js';
import type { ValidMessage } from './messages.js';
import { validateSizedBatch } from './messages.js';
import { describeValue, validateId, validateInputObject, validateInteger, validateName } from './primitives.js';

const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/** The most threads one `pruneThreads` call deletes. */
export const PRUNE_LIMIT = 10_000;

/** The earliest and latest time every backend stores: year 1 to year 9999 (UTC). */
const TIME_RANGE = {
  min: new Date('0001-01-01T00:00:00.000Z').getTime(),
  max: Date.UTC(9999, 11, 31, 23, 59, 59, 999),
};

/** Validate a timestamp: a `Date` holding a valid time in years 1–9999. Returns a copy. */
export function validateDate(value: unknown, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new ValidationError(field, `must be a valid Date, got ${describeValue(value)}`);
  }
  const time = value.getTime();
  if (time < TIME_RANGE.min || time > TIME_RANGE.max) {
    throw new ValidationError(field, 'must be between the years 1 and 9999');
  }
  return new Date(time);
}

/** A valid `transferThread` input. */
export interface ValidTransfer {
  threadId: string;
  toUserId: string;
}

/** Validate `transferThread` input. */
export function validateTransfer(input: unknown): ValidTransfer {
  const object = validateInputObject(input);
  return { threadId: validateId(object.threadId, 'threadId'), toUserId: validateId(object.toUserId, 'toUserId') };
}

/** A valid prune scope: `orgId` absent means every organisation. */
export interface ValidPruneScope {
  orgId?: string;
}

/** Validate the scope of `pruneThreads`. */
export function validatePruneScope(scope: unknown): ValidPruneScope {
  const object = validateInputObject(scope, 'scope');
  return object.orgId === undefined ? {} : { orgId: validateId(object.orgId, 'scope.orgId') };
}

/** A valid `pruneThreads` input: the cut-off in epoch milliseconds. */
export interface ValidPrune {
  inactiveBefore: number;
  limit: number;
}

/** Validate `pruneThreads` input. */
export function validatePrune(input: unknown): ValidPrune {
  const object = validateInputObject(input);
  return {
    inactiveBefore: validateDate(object.inactiveBefore, 'inactiveBefore').getTime(),
    limit: validateInteger(object.limit, 'limit', { min: 1, max: PRUNE_LIMIT }),
  };
}

/** A valid `importThread` input (copies). */
export interface ValidImportThread {
  id: string;
  name: string;
  metadata: JsonObject;
  createdAt: Date;
  updatedAt: Date;
  lastSeq: number;
  parent?: ThreadParent;
  summarySeq?: number;
}

/** Validate `importThread` input. */
export function validateImportThread(input: unknown): ValidImportThread {
  const object = validateInputObject(input);
  const createdAt = validateDate(object.createdAt, 'createdAt');
  const updatedAt = validateDate(object.updatedAt, 'updatedAt');
  if (updatedAt.getTime() < createdAt.getTime()) throw new ValidationError('updatedAt', 'must not be before createdAt');
  const lastSeq = validateInteger(object.lastSeq, 'lastSeq', { min: 0, max: MAX_SEQ });
  const out: ValidImportThread = {
    id: validateId(object.id, 'id'),
    name: object.name === undefined ? '' : validateName(object.name, 'name', { allowEmpty: true }),
    metadata: validateMetadata(object.metadata, 'metadata'),
    createdAt,
    updatedAt,
    lastSeq,
  };
  if (object.parent !== undefined) {
    const parent = validateInputObject(object.parent, 'parent');
    out.parent = {
      threadId: validateId(parent.threadId, 'parent.threadId'),
      seq: validateInteger(parent.seq, 'parent.seq', { min: 0, max: MAX_SEQ }),
    };
  }
  if (object.summarySeq !== undefined) {
    out.summarySeq = validateInteger(object.summarySeq, 'summarySeq', { min: 1, max: lastSeq });
  }
  return out;
}

/** A message to import: a validated message with its stored seq and timestamps. */
export interface ValidImportedMessage extends ValidMessage {
  seq: number;
  createdAt: Date;
  editedAt?: Date;
}

/** A valid `importMessages` input. */
export interface ValidImportMessages {
  threadId: string;
  messages: ValidImportedMessage[];
  /** UTF-8 JSON bytes of every message's content and metadata, added up. */
  bytes: number;
}

/**
 * Validate `importMessages` input: the batch rules of an append (1–1000 messages, distinct ids, at most
 * `LIMITS.batchBytes`), every id given, distinct seqs ≥ 1 and valid timestamps. Seqs beyond the thread's `lastSeq`
 * are the adapter's check.
 */
export function validateImportMessages(input: unknown): ValidImportMessages {
  const object = validateInputObject(input);
  const threadId = validateId(object.threadId, 'threadId');
  const raw = object.messages;
  if (Array.isArray(raw)) {
    raw.forEach((item: unknown, i) => {
      if (typeof item === 'object' && item !== null && (item as { id?: unknown }).id === undefined) {
        throw new ValidationError(`messages[${i}].id`, 'is required');
      }
    });
  }
  const batch = validateSizedBatch(raw);
  const seqs = new Set<number>();
  const messages = batch.messages.map((message, i): ValidImportedMessage => {
    const item = validateInputObject((raw as unknown[])[i], `messages[${i}]`);
    const seq = validateInteger(item.seq, `messages[${i}].seq`, { min: 1, max: MAX_SEQ });
    if (seqs.has(seq)) throw new ValidationError(`messages[${i}].seq`, 'appears twice in the batch');
    seqs.add(seq);
    const out: ValidImportedMessage = {
      ...message,
      seq,
      createdAt: validateDate(item.createdAt, `messages[${i}].createdAt`),
    };
    if (item.editedAt !== undefined) out.editedAt = validateDate(item.editedAt, `messages[${i}].editedAt`);
    return out;
  });
  return { threadId, messages, bytes: batch.bytes };
}

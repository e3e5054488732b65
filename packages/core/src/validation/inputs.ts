import type { ThreadCursor } from '../cursor/cursor.js';
import { decodeMessageCursor, decodeThreadCursor } from '../cursor/cursor.js';
import { ValidationError } from '../errors/errors.js';
import type { JsonObject } from '../model/json.js';
import type { MessageContent, MessageStatus } from '../model/message.js';
import type { MetadataFilterValue } from '../contract/options.js';
import { uuidv7 } from '../ids/uuid-v7.js';
import { copyJsonValue, isPlainObject, validateMetadata } from './json.js';
import { DEFAULTS, LIMITS } from './limits.js';
import type { ValidMessage } from './messages.js';
import { validateContent, validateSizedBatch, validateStatus, validateTokenCount } from './messages.js';
import { describeValue, validateId, validateInputObject, validateInteger, validateName } from './primitives.js';

const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/** A valid `createThread` input, with its id assigned. */
export interface ValidCreateThread {
  id: string;
  name: string;
  metadata: JsonObject;
}

/** Validate `createThread` input. */
export function validateCreateThread(input: unknown = {}): ValidCreateThread {
  const object = validateInputObject(input);
  return {
    id: object.id === undefined ? uuidv7() : validateId(object.id, 'id'),
    name: object.name === undefined ? '' : validateName(object.name, 'name', { allowEmpty: true }),
    metadata: validateMetadata(object.metadata, 'metadata'),
  };
}

/**
 * A valid `metadataPatch`, split for the adapter: `set` holds the keys to merge (a copy; at most
 * `LIMITS.metadataBytes`), `remove` the keys given as `null`. At least one key in all.
 */
export interface ValidMetadataPatch {
  set: JsonObject;
  remove: string[];
}

/** A valid `updateThread` input: only the fields given. */
export interface ValidUpdateThread {
  threadId: string;
  name?: string;
  metadata?: JsonObject;
  metadataPatch?: ValidMetadataPatch;
  /** Each key's expected value; `null`: absent or `null`. */
  expectedMetadata?: Record<string, MetadataFilterValue | null>;
}

/** Validate `updateThread` input. */
export function validateUpdateThread(input: unknown): ValidUpdateThread {
  const object = validateInputObject(input);
  const out: ValidUpdateThread = { threadId: validateId(object.threadId, 'threadId') };
  if (object.name !== undefined) out.name = validateName(object.name, 'name', { allowEmpty: true });
  if (object.metadata !== undefined) out.metadata = validateMetadata(object.metadata, 'metadata');
  if (object.metadataPatch !== undefined) {
    if (out.metadata !== undefined) throw new ValidationError('metadataPatch', 'cannot be given with metadata');
    out.metadataPatch = validateMetadataPatch(object.metadataPatch, 'metadataPatch');
  }
  if (object.expectedMetadata !== undefined) {
    out.expectedMetadata = validateMetadataValues(object.expectedMetadata, 'expectedMetadata', { allowNull: true });
  }
  return out;
}

function validateMetadataPatch(value: unknown, field: string): ValidMetadataPatch {
  if (!isPlainObject(value))
    throw new ValidationError(field, `must be a plain JSON object, got ${describeValue(value)}`);
  const keys = Object.keys(value);
  if (keys.length === 0) throw new ValidationError(field, 'must hold at least one key');
  const remove = keys.filter((key) => value[key] === null);
  const setEntries = Object.fromEntries(keys.filter((key) => value[key] !== null).map((key) => [key, value[key]]));
  const set = validateMetadata(setEntries, field);
  for (const key of remove) copyJsonValue(key, `${field}.${key}`);
  return { set, remove };
}

/** Validate a map of top-level metadata keys to primitive values (a listing filter or a compare-and-set). */
function validateMetadataValues(
  value: unknown,
  field: string,
  options: { allowNull: true },
): Record<string, MetadataFilterValue | null>;
function validateMetadataValues(
  value: unknown,
  field: string,
  options: { allowNull: false },
): Record<string, MetadataFilterValue>;
function validateMetadataValues(
  value: unknown,
  field: string,
  options: { allowNull: boolean },
): Record<string, MetadataFilterValue | null> {
  if (!isPlainObject(value)) throw new ValidationError(field, `must be a plain object, got ${describeValue(value)}`);
  const keys = Object.keys(value);
  if (keys.length === 0) throw new ValidationError(field, 'must hold at least one key');
  if (keys.length > LIMITS.filterKeys) throw new ValidationError(field, `must hold at most ${LIMITS.filterKeys} keys`);
  const out: Record<string, MetadataFilterValue | null> = {};
  for (const key of keys) {
    const item = value[key];
    const kind = options.allowNull
      ? 'a string, a finite number, a boolean or null'
      : 'a string, a finite number or a boolean';
    const ok =
      typeof item === 'string' ||
      typeof item === 'boolean' ||
      (typeof item === 'number' && Number.isFinite(item)) ||
      (item === null && options.allowNull);
    if (!ok) throw new ValidationError(`${field}.${key}`, `must be ${kind}, got ${describeValue(item)}`);
    copyJsonValue(key, `${field}.${key}`);
    out[key] = copyJsonValue(item, `${field}.${key}`) as MetadataFilterValue | null;
  }
  return out;
}

/** A valid listing input. */
export interface ValidListThreads {
  limit: number;
  cursor?: ThreadCursor;
  /** Only threads whose top-level metadata keys hold exactly these values. */
  metadata?: Record<string, MetadataFilterValue>;
}

/** Validate `listThreads` / `listOrgThreads` input. */
export function validateListThreads(input: unknown = {}): ValidListThreads {
  const object = validateInputObject(input);
  const out: ValidListThreads = {
    limit: validateInteger(object.limit, 'limit', { min: 1, max: LIMITS.pageSize, fallback: DEFAULTS.threadPage }),
  };
  if (object.cursor !== undefined) out.cursor = decodeThreadCursor(object.cursor, 'cursor');
  if (object.metadata !== undefined) {
    out.metadata = validateMetadataValues(object.metadata, 'metadata', { allowNull: false });
  }
  return out;
}

/** A valid append. */
export interface ValidAppend {
  threadId: string;
  messages: ValidMessage[];
  expectedLastSeq?: number;
  expectedMessageCount?: number;
  /** Remove every message with `seq >` this in the same atomic step (checked against `lastSeq` by the adapter). */
  replaceAfterSeq?: number;
  /** UTF-8 JSON bytes of every message's content and metadata, added up (at most `LIMITS.batchBytes`). */
  bytes: number;
}

/** Validate `appendMessages` input: the whole batch, before anything is written. */
export function validateAppend(input: unknown): ValidAppend {
  const object = validateInputObject(input);
  const threadId = validateId(object.threadId, 'threadId');
  const batch = validateSizedBatch(object.messages);
  const out: ValidAppend = { threadId, messages: batch.messages, bytes: batch.bytes };
  if (object.expectedLastSeq !== undefined) {
    out.expectedLastSeq = validateInteger(object.expectedLastSeq, 'expectedLastSeq', { min: 0, max: MAX_SEQ });
  }
  if (object.expectedMessageCount !== undefined) out.expectedMessageCount = validateCount(object.expectedMessageCount);
  if (object.replaceAfterSeq !== undefined) {
    out.replaceAfterSeq = validateInteger(object.replaceAfterSeq, 'replaceAfterSeq', { min: 0, max: MAX_SEQ });
  }
  return out;
}

/** A valid truncation. `afterSeq` is checked against the thread's `lastSeq` by the adapter. */
export interface ValidTruncate {
  threadId: string;
  afterSeq: number;
  expectedLastSeq?: number;
  expectedMessageCount?: number;
}

/** Validate `truncateThread` input. */
export function validateTruncate(input: unknown): ValidTruncate {
  const object = validateInputObject(input);
  const out: ValidTruncate = {
    threadId: validateId(object.threadId, 'threadId'),
    afterSeq: validateInteger(object.afterSeq, 'afterSeq', { min: 0, max: MAX_SEQ }),
  };
  if (object.expectedLastSeq !== undefined) {
    out.expectedLastSeq = validateInteger(object.expectedLastSeq, 'expectedLastSeq', { min: 0, max: MAX_SEQ });
  }
  if (object.expectedMessageCount !== undefined) out.expectedMessageCount = validateCount(object.expectedMessageCount);
  return out;
}

function validateCount(value: unknown): number {
  return validateInteger(value, 'expectedMessageCount', { min: 0, max: MAX_SEQ });
}

/** The `ValidationError` for a cut point (`afterSeq`, `replaceAfterSeq`) beyond the thread's `lastSeq`. */
export function cutPointError(field: 'afterSeq' | 'replaceAfterSeq', value: number, lastSeq: number): ValidationError {
  return new ValidationError(field, `must be at most the thread's lastSeq (${lastSeq}), got ${value}`);
}

/** A valid page request, with cursors decoded to `seq`s (exclusive bounds). */
export interface ValidGetMessages {
  threadId: string;
  limit: number;
  beforeSeq?: number;
  afterSeq?: number;
  order: 'asc' | 'desc';
}

/** Validate `getMessages` input. */
export function validateGetMessages(input: unknown): ValidGetMessages {
  const object = validateInputObject(input);
  const order = object.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new ValidationError('order', "must be 'asc' or 'desc'");
  const out: ValidGetMessages = {
    threadId: validateId(object.threadId, 'threadId'),
    limit: validateInteger(object.limit, 'limit', { min: 1, max: LIMITS.pageSize, fallback: DEFAULTS.messagePage }),
    order,
  };
  if (object.before !== undefined) out.beforeSeq = decodeMessageCursor(object.before, 'before');
  if (object.after !== undefined) out.afterSeq = decodeMessageCursor(object.after, 'after');
  return out;
}

/** A valid reference to one message. */
export interface ValidMessageRef {
  threadId: string;
  messageId: string;
}

/** Validate `{ threadId, messageId }`. */
export function validateMessageRef(input: unknown): ValidMessageRef {
  const object = validateInputObject(input);
  return { threadId: validateId(object.threadId, 'threadId'), messageId: validateId(object.messageId, 'messageId') };
}

/** A valid edit: at least one of content, metadata, status and tokenCount. */
export interface ValidEdit extends ValidMessageRef {
  content?: MessageContent;
  metadata?: JsonObject;
  status?: MessageStatus;
  tokenCount?: number;
  expectedStatus?: MessageStatus;
}

/** Validate `editMessage` input. */
export function validateEdit(input: unknown): ValidEdit {
  const object = validateInputObject(input);
  const out: ValidEdit = validateMessageRef(object);
  if (object.content !== undefined) out.content = validateContent(object.content, 'content');
  if (object.metadata !== undefined) out.metadata = validateMetadata(object.metadata, 'metadata');
  if (object.status !== undefined) out.status = validateStatus(object.status, 'status');
  if (object.tokenCount !== undefined) out.tokenCount = validateTokenCount(object.tokenCount, 'tokenCount');
  if (object.expectedStatus !== undefined) out.expectedStatus = validateStatus(object.expectedStatus, 'expectedStatus');
  if (
    out.content === undefined &&
    out.metadata === undefined &&
    out.status === undefined &&
    out.tokenCount === undefined
  ) {
    throw new ValidationError('content', 'or metadata, status or tokenCount must be given');
  }
  return out;
}

/** A valid fork. `atSeq` is checked against the source's `lastSeq` by the adapter. */
export interface ValidFork {
  threadId: string;
  atSeq?: number;
  id: string;
  name?: string;
  metadata?: JsonObject;
}

/** Validate `forkThread` input. */
export function validateFork(input: unknown): ValidFork {
  const object = validateInputObject(input);
  const out: ValidFork = {
    threadId: validateId(object.threadId, 'threadId'),
    id: object.id === undefined ? uuidv7() : validateId(object.id, 'id'),
  };
  if (object.atSeq !== undefined) out.atSeq = validateInteger(object.atSeq, 'atSeq', { min: 0, max: MAX_SEQ });
  if (object.name !== undefined) out.name = validateName(object.name, 'name', { allowEmpty: true });
  if (object.metadata !== undefined) out.metadata = validateMetadata(object.metadata, 'metadata');
  return out;
}

/** The `ValidationError` for a fork point beyond the source thread. */
export function forkPointError(atSeq: number, lastSeq: number): ValidationError {
  return new ValidationError('atSeq', `must be at most the thread's lastSeq (${lastSeq}), got ${atSeq}`);
}

/** A valid search. */
export interface ValidSearch {
  query: string;
  threadId?: string;
  limit: number;
}

/** Validate `searchMessages` input. */
export function validateSearch(input: unknown): ValidSearch {
  const object = validateInputObject(input);
  const query = validateName(object.query, 'query', { allowEmpty: false });
  if (query.trim().length === 0) throw new ValidationError('query', 'must contain a word');
  if (query.length > LIMITS.queryLength)
    throw new ValidationError('query', `must be at most ${LIMITS.queryLength} characters`);
  if ((query.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) > LIMITS.queryTerms)
    throw new ValidationError('query', `must have at most ${LIMITS.queryTerms} words`);
  const out: ValidSearch = {
    query,
    limit: validateInteger(object.limit, 'limit', { min: 1, max: LIMITS.pageSize, fallback: DEFAULTS.searchLimit }),
  };
  if (object.threadId !== undefined) out.threadId = validateId(object.threadId, 'threadId');
  return out;
}

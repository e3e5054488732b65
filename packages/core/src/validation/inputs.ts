import type { ThreadCursor } from '../cursor/cursor.js';
import { decodeMessageCursor, decodeThreadCursor } from '../cursor/cursor.js';
import { ValidationError } from '../errors/errors.js';
import type { JsonObject } from '../model/json.js';
import type { MessageContent } from '../model/message.js';
import { uuidv7 } from '../ids/uuid-v7.js';
import { validateMetadata } from './json.js';
import { DEFAULTS, LIMITS } from './limits.js';
import type { ValidMessage } from './messages.js';
import { validateContent, validateSizedBatch } from './messages.js';
import { validateId, validateInputObject, validateInteger, validateName } from './primitives.js';

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

/** A valid `updateThread` input: only the fields given. */
export interface ValidUpdateThread {
  threadId: string;
  name?: string;
  metadata?: JsonObject;
}

/** Validate `updateThread` input. */
export function validateUpdateThread(input: unknown): ValidUpdateThread {
  const object = validateInputObject(input);
  const out: ValidUpdateThread = { threadId: validateId(object.threadId, 'threadId') };
  if (object.name !== undefined) out.name = validateName(object.name, 'name', { allowEmpty: true });
  if (object.metadata !== undefined) out.metadata = validateMetadata(object.metadata, 'metadata');
  return out;
}

/** A valid listing input. */
export interface ValidListThreads {
  limit: number;
  cursor?: ThreadCursor;
}

/** Validate `listThreads` / `listOrgThreads` input. */
export function validateListThreads(input: unknown = {}): ValidListThreads {
  const object = validateInputObject(input);
  const out: ValidListThreads = {
    limit: validateInteger(object.limit, 'limit', { min: 1, max: LIMITS.pageSize, fallback: DEFAULTS.threadPage }),
  };
  if (object.cursor !== undefined) out.cursor = decodeThreadCursor(object.cursor, 'cursor');
  return out;
}

/** A valid append. */
export interface ValidAppend {
  threadId: string;
  messages: ValidMessage[];
  expectedLastSeq?: number;
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
  return out;
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

/** A valid edit: at least one of content and metadata. */
export interface ValidEdit extends ValidMessageRef {
  content?: MessageContent;
  metadata?: JsonObject;
}

/** Validate `editMessage` input. */
export function validateEdit(input: unknown): ValidEdit {
  const object = validateInputObject(input);
  const out: ValidEdit = validateMessageRef(object);
  if (object.content !== undefined) out.content = validateContent(object.content, 'content');
  if (object.metadata !== undefined) out.metadata = validateMetadata(object.metadata, 'metadata');
  if (out.content === undefined && out.metadata === undefined) {
    throw new ValidationError('content', 'or metadata must be given');
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

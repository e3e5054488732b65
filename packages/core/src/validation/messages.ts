import { ValidationError } from '../errors/errors.js';
import type { JsonObject } from '../model/json.js';
import type { ContentPart, MessageContent, MessageRole, MessageStatus, SummaryRange } from '../model/message.js';
import { MESSAGE_ROLES, MESSAGE_STATUSES } from '../model/message.js';
import { uuidv7 } from '../ids/uuid-v7.js';
import { copyJsonValue, isPlainObject, jsonBytes, sizedMetadata } from './json.js';
import { LIMITS } from './limits.js';
import { describeValue, validateId, validateInputObject, validateInteger, validateName } from './primitives.js';

/** A message that passed validation: a deep copy, with its id assigned. */
export interface ValidMessage {
  id: string;
  role: MessageRole;
  content: MessageContent;
  name?: string;
  toolCallId?: string;
  metadata: JsonObject;
  /** Always set (`'completed'` when the caller gave none). */
  status: MessageStatus;
  tokenCount?: number;
  summaryOf?: SummaryRange;
}

/** Validate a role. */
export function validateRole(value: unknown, field: string): MessageRole {
  if (typeof value !== 'string' || !(MESSAGE_ROLES as readonly string[]).includes(value)) {
    throw new ValidationError(field, `must be one of ${MESSAGE_ROLES.join(', ')}, got ${describeValue(value)}`);
  }
  return value as MessageRole;
}

/** Validate a message status. */
export function validateStatus(value: unknown, field: string): MessageStatus {
  if (typeof value !== 'string' || !(MESSAGE_STATUSES as readonly string[]).includes(value)) {
    throw new ValidationError(field, `must be one of ${MESSAGE_STATUSES.join(', ')}, got ${describeValue(value)}`);
  }
  return value as MessageStatus;
}

/** Validate a token count: a non-negative safe integer. */
export function validateTokenCount(value: unknown, field: string): number {
  return validateInteger(value, field, { min: 0, max: Number.MAX_SAFE_INTEGER });
}

/** Validate a summary range: `{ fromSeq, toSeq }` with `1 <= fromSeq <= toSeq`, and return a copy. */
export function validateSummaryRange(value: unknown, field: string): SummaryRange {
  const object = validateInputObject(value, field);
  const fromSeq = validateInteger(object.fromSeq, `${field}.fromSeq`, { min: 1, max: Number.MAX_SAFE_INTEGER });
  const toSeq = validateInteger(object.toSeq, `${field}.toSeq`, { min: fromSeq, max: Number.MAX_SAFE_INTEGER });
  return { fromSeq, toSeq };
}

/** Validate message content (a string, or an array of parts with a string `type`) and return a deep copy. */
export function validateContent(value: unknown, field: string): MessageContent {
  return sizedContent(value, field).value;
}

/** {@link validateContent}, with the copy's size in UTF-8 JSON bytes. */
function sizedContent(value: unknown, field: string): { value: MessageContent; bytes: number } {
  if (value === undefined) throw new ValidationError(field, 'is required');
  let content: MessageContent;
  if (typeof value === 'string') {
    content = copyJsonValue(value, field) as string;
  } else if (Array.isArray(value)) {
    value.forEach((part: unknown, i) => {
      const partField = `${field}[${i}]`;
      if (!isPlainObject(part)) throw new ValidationError(partField, 'must be a plain object with a string type');
      if (typeof part.type !== 'string' || part.type.length === 0) {
        throw new ValidationError(`${partField}.type`, 'must be a non-empty string');
      }
    });
    content = copyJsonValue(value, field) as ContentPart[];
  } else {
    throw new ValidationError(field, `must be a string or an array of parts, got ${describeValue(value)}`);
  }
  const bytes = jsonBytes(content);
  if (bytes > LIMITS.contentBytes) {
    throw new ValidationError(field, `is larger than ${LIMITS.contentBytes} bytes of JSON`);
  }
  return { value: content, bytes };
}

/** Validate one message to append (at `field`, e.g. `messages[3]`) and return a copy with its id assigned. */
export function validateNewMessage(value: unknown, field: string): ValidMessage {
  return sizedMessage(value, field).message;
}

function sizedMessage(value: unknown, field: string): { message: ValidMessage; bytes: number } {
  const input = validateInputObject(value, field);
  const id = input.id === undefined ? uuidv7() : validateId(input.id, `${field}.id`);
  const role = validateRole(input.role, `${field}.role`);
  const content = sizedContent(input.content, `${field}.content`);
  const metadata = sizedMetadata(input.metadata, `${field}.metadata`);
  const status = input.status === undefined ? 'completed' : validateStatus(input.status, `${field}.status`);
  const message: ValidMessage = { id, role, content: content.value, metadata: metadata.value, status };
  if (input.name !== undefined) message.name = validateName(input.name, `${field}.name`, { allowEmpty: false });
  if (input.toolCallId !== undefined) message.toolCallId = validateId(input.toolCallId, `${field}.toolCallId`);
  if (input.tokenCount !== undefined) message.tokenCount = validateTokenCount(input.tokenCount, `${field}.tokenCount`);
  if (input.summaryOf !== undefined) message.summaryOf = validateSummaryRange(input.summaryOf, `${field}.summaryOf`);
  return { message, bytes: content.bytes + metadata.bytes };
}

/** A validated batch and its size: UTF-8 JSON bytes of every content and metadata, added up. */
export interface ValidBatch {
  messages: ValidMessage[];
  bytes: number;
}

/** Validate a batch: 1–1000 messages, no id twice, at most {@link LIMITS.batchBytes} in all. */
export function validateMessageBatch(value: unknown, field = 'messages'): ValidMessage[] {
  return validateSizedBatch(value, field).messages;
}

/** {@link validateMessageBatch}, with the batch's size. */
export function validateSizedBatch(value: unknown, field = 'messages'): ValidBatch {
  if (!Array.isArray(value)) throw new ValidationError(field, `must be an array, got ${describeValue(value)}`);
  if (value.length === 0) throw new ValidationError(field, 'must hold at least one message');
  if (value.length > LIMITS.batchSize)
    throw new ValidationError(field, `must hold at most ${LIMITS.batchSize} messages`);
  const seen = new Set<string>();
  let bytes = 0;
  const messages = value.map((item: unknown, i) => {
    const sized = sizedMessage(item, `${field}[${i}]`);
    if (seen.has(sized.message.id)) throw new ValidationError(`${field}[${i}].id`, 'appears twice in the batch');
    seen.add(sized.message.id);
    bytes += sized.bytes;
    if (bytes > LIMITS.batchBytes) {
      throw new ValidationError(
        field,
        `hold more than ${LIMITS.batchBytes} bytes of JSON content and metadata in all (the most one append takes); ` +
          'split the batch',
      );
    }
    return sized.message;
  });
  return { messages, bytes };
}

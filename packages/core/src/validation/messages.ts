import { ValidationError } from '../errors/errors.js';
import type { JsonObject } from '../model/json.js';
import type { ContentPart, MessageContent, MessageRole } from '../model/message.js';
import { MESSAGE_ROLES } from '../model/message.js';
import { uuidv7 } from '../ids/uuid-v7.js';
import { copyJsonValue, isPlainObject, jsonBytes, validateMetadata } from './json.js';
import { LIMITS } from './limits.js';
import { describe, validateId, validateInputObject, validateName } from './primitives.js';

/** A message that passed validation: a deep copy, with its id assigned. */
export interface ValidMessage {
  id: string;
  role: MessageRole;
  content: MessageContent;
  name?: string;
  toolCallId?: string;
  metadata: JsonObject;
}

/** Validate a role. */
export function validateRole(value: unknown, field: string): MessageRole {
  if (typeof value !== 'string' || !(MESSAGE_ROLES as readonly string[]).includes(value)) {
    throw new ValidationError(field, `must be one of ${MESSAGE_ROLES.join(', ')}, got ${describe(value)}`);
  }
  return value as MessageRole;
}

/** Validate message content (a string, or an array of parts with a string `type`) and return a deep copy. */
export function validateContent(value: unknown, field: string): MessageContent {
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
    throw new ValidationError(field, `must be a string or an array of parts, got ${describe(value)}`);
  }
  if (jsonBytes(content) > LIMITS.contentBytes) {
    throw new ValidationError(field, `is larger than ${LIMITS.contentBytes} bytes of JSON`);
  }
  return content;
}

/** Validate one message to append (at `field`, e.g. `messages[3]`) and return a copy with its id assigned. */
export function validateNewMessage(value: unknown, field: string): ValidMessage {
  const input = validateInputObject(value, field);
  const message: ValidMessage = {
    id: input.id === undefined ? uuidv7() : validateId(input.id, `${field}.id`),
    role: validateRole(input.role, `${field}.role`),
    content: validateContent(input.content, `${field}.content`),
    metadata: validateMetadata(input.metadata, `${field}.metadata`),
  };
  if (input.name !== undefined) message.name = validateName(input.name, `${field}.name`, { allowEmpty: false });
  if (input.toolCallId !== undefined) message.toolCallId = validateId(input.toolCallId, `${field}.toolCallId`);
  return message;
}

/** Validate a batch: 1–1000 messages, no id twice. */
export function validateMessageBatch(value: unknown, field = 'messages'): ValidMessage[] {
  if (!Array.isArray(value)) throw new ValidationError(field, `must be an array, got ${describe(value)}`);
  if (value.length === 0) throw new ValidationError(field, 'must hold at least one message');
  if (value.length > LIMITS.batchSize)
    throw new ValidationError(field, `must hold at most ${LIMITS.batchSize} messages`);
  const seen = new Set<string>();
  return value.map((item: unknown, i) => {
    const message = validateNewMessage(item, `${field}[${i}]`);
    if (seen.has(message.id)) throw new ValidationError(`${field}[${i}].id`, 'appears twice in the batch');
    seen.add(message.id);
    return message;
  });
}

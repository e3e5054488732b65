import { ValidationError } from '../errors/errors.js';
import { uuidv7 } from '../ids/uuid-v7.js';
import { validateMetadata } from '../validation/json.js';
import type { ValidMessage } from '../validation/messages.js';
import { validateContent, validateRole, validateStatus, validateTokenCount } from '../validation/messages.js';
import { validateId, validateInputObject, validateName } from '../validation/primitives.js';

/** The per-message options shared by `StateManager.addMessage` and the `ConversationHistory.add*` methods. */
export interface MessageFields {
  metadata?: unknown;
  name?: unknown;
  toolCallId?: unknown;
  id?: unknown;
  status?: unknown;
  tokenCount?: unknown;
}

/**
 * Validate the arguments of a single-message call and build the message, with an id (UUIDv7 unless given).
 * Errors name the argument the caller wrote: `role`, `content[1].type`, `metadata.x`, `name`, `toolCallId`, `id`,
 * `status`, `tokenCount`.
 */
export function buildMessage(role: unknown, content: unknown, options: unknown): ValidMessage {
  const fields: MessageFields = options === undefined ? {} : validateInputObject(options, 'options');
  const message: ValidMessage = {
    id: fields.id === undefined ? uuidv7() : validateId(fields.id, 'id'),
    role: validateRole(role, 'role'),
    content: validateContent(content, 'content'),
    metadata: validateMetadata(fields.metadata, 'metadata'),
    status: fields.status === undefined ? 'completed' : validateStatus(fields.status, 'status'),
  };
  if (fields.tokenCount !== undefined) message.tokenCount = validateTokenCount(fields.tokenCount, 'tokenCount');
  if (fields.name !== undefined) message.name = validateName(fields.name, 'name', { allowEmpty: false });
  if (fields.toolCallId !== undefined) message.toolCallId = validateId(fields.toolCallId, 'toolCallId');
  return message;
}

const FIRST_MESSAGE = 'messages[0].';

/**
 * A repository's `ValidationError` about `messages[0].x` of a one-message append, as an error about the argument
 * `x` the caller of `addMessage` wrote; any other error as it is.
 */
export function asArgumentError(error: unknown): unknown {
  if (!(error instanceof ValidationError) || !error.field.startsWith(FIRST_MESSAGE)) return error;
  const field = error.field.slice(FIRST_MESSAGE.length);
  const text = error.message.slice(error.field.length + 2);
  return new ValidationError(field, text);
}

import { ValidationError } from '../errors/errors.js';
import { jsonBytes } from '../validation/json.js';
import type { ValidImportedMessage, ValidImportThread } from '../validation/lifecycle.js';
import { validateDate, validateImportThread } from '../validation/lifecycle.js';
import { validateNewMessage } from '../validation/messages.js';
import { describeValue, validateId, validateInputObject, validateInteger } from '../validation/primitives.js';
import type { ExportHeader } from './format.js';
import { EXPORT_FORMAT, EXPORT_VERSION } from './format.js';

/** A validated thread record: its scope, what `importThread` takes, and its declared message count. */
export interface ValidThreadRecord {
  scope: { orgId: string; userId: string };
  thread: ValidImportThread;
  messageCount: number;
}

/** A validated message record: what `importMessages` takes, its thread and its size. */
export interface ValidMessageRecord {
  threadId: string;
  message: ValidImportedMessage;
  /** UTF-8 JSON bytes of its content and metadata (what `LIMITS.batchBytes` counts). */
  bytes: number;
}

/** `line N` for the 1-based record number `line`: the line of a file `toJsonLines` wrote. */
export function lineField(line: number, field?: string): string {
  return field === undefined ? `line ${line}` : `line ${line}.${field}`;
}

/** Re-throw a validator's error with its field under `line N`. */
function atLine<T>(line: number, validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (error instanceof ValidationError && !error.field.startsWith('line ')) {
      throw new ValidationError(lineField(line, error.field), error.message.slice(error.field.length + 2));
    }
    throw error;
  }
}

/** Validate the header record (line 1). */
export function validateHeader(value: unknown): ExportHeader {
  const object = validateInputObject(value, lineField(1));
  if (object.format !== EXPORT_FORMAT) {
    throw new ValidationError(lineField(1, 'format'), `must be ${JSON.stringify(EXPORT_FORMAT)}: not an export header`);
  }
  if (object.version !== EXPORT_VERSION) {
    throw new ValidationError(
      lineField(1, 'version'),
      `must be ${EXPORT_VERSION} (this library reads version ${EXPORT_VERSION}), got ${JSON.stringify(object.version)}`,
    );
  }
  return atLine(1, () => ({
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: validateDate(object.exportedAt, 'exportedAt'),
    orgId: validateId(object.orgId, 'orgId'),
    ...(object.userId === undefined ? {} : { userId: validateId(object.userId, 'userId') }),
  }));
}

/** The kind of a record after the header: `thread` or `message`. */
export function recordType(value: unknown, line: number): 'thread' | 'message' {
  const object = validateInputObject(value, lineField(line));
  if (object.type === 'thread' || object.type === 'message') return object.type;
  if (object.format !== undefined) throw new ValidationError(lineField(line, 'format'), 'a second header');
  throw new ValidationError(
    lineField(line, 'type'),
    `must be "thread" or "message", got ${describeValue(object.type)}`,
  );
}

/** Validate a thread record of the export `header` describes. */
export function validateThreadRecord(value: unknown, line: number, header: ExportHeader): ValidThreadRecord {
  const object = validateInputObject(value, lineField(line));
  return atLine(line, () => {
    const orgId = validateId(object.orgId, 'orgId');
    const userId = validateId(object.userId, 'userId');
    if (orgId !== header.orgId) throw new ValidationError('orgId', "is not the header's orgId");
    if (header.userId !== undefined && userId !== header.userId) {
      throw new ValidationError('userId', "is not the header's userId");
    }
    const thread = validateImportThread(object);
    const messageCount = validateInteger(object.messageCount, 'messageCount', { min: 0, max: thread.lastSeq });
    return { scope: { orgId, userId }, thread, messageCount };
  });
}

/** Validate a message record (of thread `threadId`, whose `lastSeq` bounds its seq). */
export function validateMessageRecord(value: unknown, line: number, thread: ValidImportThread): ValidMessageRecord {
  const object = validateInputObject(value, lineField(line));
  return atLine(line, () => {
    const threadId = validateId(object.threadId, 'threadId');
    if (threadId !== thread.id) {
      throw new ValidationError(
        'threadId',
        'is not the id of the thread record before it (messages follow their thread)',
      );
    }
    if (object.id === undefined) throw new ValidationError('id', 'is required');
    const base = validateNewMessage(object, lineField(line));
    const seq = validateInteger(object.seq, 'seq', { min: 1, max: thread.lastSeq });
    const message: ValidImportedMessage = { ...base, seq, createdAt: validateDate(object.createdAt, 'createdAt') };
    if (object.editedAt !== undefined) message.editedAt = validateDate(object.editedAt, 'editedAt');
    return { threadId, message, bytes: jsonBytes(message.content) + jsonBytes(message.metadata) };
  });
}

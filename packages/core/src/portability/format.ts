import type { JsonObject } from '../model/json.js';
import type { MessageContent, MessageRole, MessageStatus, SummaryRange } from '../model/message.js';
import type { ThreadParent } from '../model/thread.js';

/** The `format` of every export's header line. */
export const EXPORT_FORMAT = 'fluxibly.conversations';

/** The version of the export format this library writes and reads. See `PORTABILITY.md`. */
export const EXPORT_VERSION = 1;

/**
 * The first record of an export: what it is and what it holds. On a JSON line the `exportedAt` Date is an ISO-8601
 * string.
 */
export interface ExportHeader {
  readonly format: typeof EXPORT_FORMAT;
  readonly version: typeof EXPORT_VERSION;
  readonly exportedAt: Date;
  /** The organisation exported. Every thread of the export belongs to it. */
  readonly orgId: string;
  /** Set when one user's threads were exported: every thread belongs to that user. */
  readonly userId?: string;
}

/** A thread, with its scope and every field of a `ChatThread`. Its messages follow it. */
export interface ThreadRecord {
  readonly type: 'thread';
  readonly id: string;
  readonly orgId: string;
  readonly userId: string;
  readonly name: string;
  readonly metadata: JsonObject;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly lastSeq: number;
  /** How many messages follow this record. */
  readonly messageCount: number;
  readonly parent?: ThreadParent;
  readonly summarySeq?: number;
}

/** A message of the thread record it follows, with every field of a `ChatMessage`. */
export interface MessageRecord {
  readonly type: 'message';
  readonly id: string;
  readonly threadId: string;
  readonly seq: number;
  readonly role: MessageRole;
  readonly content: MessageContent;
  readonly name?: string;
  readonly toolCallId?: string;
  readonly metadata: JsonObject;
  readonly status: MessageStatus;
  readonly tokenCount?: number;
  readonly summaryOf?: SummaryRange;
  readonly createdAt: Date;
  readonly editedAt?: Date;
}

/** One record of an export: the header first, then each thread followed by its messages (`seq` ascending). */
export type ExportRecord = ExportHeader | ThreadRecord | MessageRecord;

/** Whether `record` is the header. */
export function isExportHeader(record: ExportRecord): record is ExportHeader {
  return (record as { format?: unknown }).format !== undefined;
}

/** The Date-valued fields of each kind of record (what `parseJsonLines` revives from ISO strings). */
export const DATE_FIELDS = {
  header: ['exportedAt'],
  thread: ['createdAt', 'updatedAt'],
  message: ['createdAt', 'editedAt'],
} as const;

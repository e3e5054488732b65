import type { ChatMessage } from '../model/message.js';
import type { ChatThread } from '../model/thread.js';

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

/**
 * A thread: every field of its `ChatThread` (scope included; `messageCount` is the number of message records that
 * follow it). Its messages follow it.
 */
export type ThreadRecord = { readonly type: 'thread' } & ChatThread;

/** A message of the thread record it follows: every field of its `ChatMessage`. */
export type MessageRecord = { readonly type: 'message' } & ChatMessage;

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

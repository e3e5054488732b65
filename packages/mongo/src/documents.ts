import type { Collection, Db } from 'mongodb';

/**
 * The stored shape. Two collections (names prefixed by `collectionPrefix`, default `fluxibly_`):
 *
 * - `threads`: one document per thread, `_id` = thread id. `lastSeq`, `messageCount` and `updatedAt` live here and
 *   are moved by the same transaction that writes messages.
 * - `messages`: one document per message. `threadId`, `orgId` and `userId` are on every message (scope checks
 *   without a join; a sharded cluster can shard on `{ orgId, threadId }`).
 *
 * Content and metadata are stored as JSON text (`content`, `metadata`), never as BSON sub-documents: any key a
 * caller uses (`$set`, `a.b`, `""`, `__proto__`) round-trips, and no stored value can ever be read as an operator.
 */

/** A thread as stored. */
export interface ThreadDocument {
  /** The thread id. */
  _id: string;
  orgId: string;
  userId: string;
  name: string;
  /** `JSON.stringify` of the metadata object. */
  metadata: string;
  createdAt: Date;
  updatedAt: Date;
  lastSeq: number;
  messageCount: number;
  parent?: { threadId: string; seq: number };
}

/** A message as stored. `_id` is a driver-generated ObjectId. */
export interface MessageDocument {
  threadId: string;
  orgId: string;
  userId: string;
  seq: number;
  /** The message id (unique per thread). */
  id: string;
  role: string;
  /** `JSON.stringify` of the content (a JSON string, or an array of parts). */
  content: string;
  /** Normalised searchable text (NFC, lower case): see `search.ts`. */
  text: string;
  name?: string;
  toolCallId?: string;
  /** `JSON.stringify` of the metadata object. */
  metadata: string;
  createdAt: Date;
  editedAt?: Date;
}

/** The collections one repository works on. */
export interface Collections {
  readonly threads: Collection<ThreadDocument>;
  readonly messages: Collection<MessageDocument>;
}

/** The default collection-name prefix. */
export const DEFAULT_PREFIX = 'fluxibly_';

/** The collections of `db` under `prefix`. */
export function collectionsOf(db: Db, prefix: string): Collections {
  return {
    threads: db.collection<ThreadDocument>(`${prefix}threads`),
    messages: db.collection<MessageDocument>(`${prefix}messages`),
  };
}

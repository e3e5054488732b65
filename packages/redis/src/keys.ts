import { ValidationError } from '@fluxibly/core';

/**
 * The key layout. Every id is encoded as lowercase hex of its UTF-8 bytes before it goes into a key: the encoding
 * is injective, its alphabet (`0–9 a–f`) holds no `{`, `}`, `:`, `*` or space, so no id can address, hash-tag or
 * pattern-match another key; and it keeps byte order, so encoded thread ids sort exactly as the ids do by code
 * point (UTF-8 byte order is code point order).
 *
 * For a thread with encoded id `T` (hash tag `{T}`, so all its keys share one cluster slot):
 * - `<prefix>t:{T}`: a hash of the thread's fields (`o` org, `u` user, `n` name, `md` metadata JSON,
 *   `c` createdAt, `up` updatedAt, `ls` lastSeq, `p` parent JSON when forked);
 * - `<prefix>t:{T}:m`: a sorted set of the messages: score `seq`, member the encoded message (see `codec.ts`);
 * - `<prefix>t:{T}:i`: a hash message id → `seq` (idempotent appends and lookups by id).
 *
 * Listings (each in its own slot): `<prefix>u:{O.U}` per user and `<prefix>o:{O}` per organisation (`O`, `U`:
 * encoded org and user ids): sorted sets with score `updatedAt` and member the encoded thread id `T`, so equal
 * scores order by id (code point order) and a script can build a listed thread's keys from the member.
 */
export interface ThreadKeys {
  readonly thread: string;
  readonly messages: string;
  readonly ids: string;
}

/** The default key prefix. */
export const DEFAULT_KEY_PREFIX = 'fluxibly:';

/** An id as it appears inside a key or listing: hex of its UTF-8 bytes (injective, order-preserving). */
export function encodeKeyPart(id: string): string {
  return Buffer.from(id, 'utf8').toString('hex');
}

/** The id an {@link encodeKeyPart} result stands for. */
export function decodeKeyPart(encoded: string): string {
  return Buffer.from(encoded, 'hex').toString('utf8');
}

/**
 * Check a key prefix: a `{` or `}` in it would change which part of every key is the cluster hash tag.
 * @throws ValidationError naming `keyPrefix`.
 */
export function validateKeyPrefix(prefix: unknown): string {
  if (prefix === undefined) return DEFAULT_KEY_PREFIX;
  if (typeof prefix !== 'string' || prefix.length > 200 || /[{}]/u.test(prefix)) {
    throw new ValidationError('keyPrefix', 'must be a string of at most 200 characters without { or }');
  }
  return prefix;
}

/** Builds every key of one repository from its prefix. */
export class KeySpace {
  constructor(readonly prefix: string) {}

  /** The three keys of a thread (one hash tag). */
  thread(threadId: string): ThreadKeys {
    const thread = `${this.prefix}t:{${encodeKeyPart(threadId)}}`;
    return { thread, messages: `${thread}:m`, ids: `${thread}:i` };
  }

  /** A user's listing index. */
  userIndex(orgId: string, userId: string): string {
    return `${this.prefix}u:{${encodeKeyPart(orgId)}.${encodeKeyPart(userId)}}`;
  }

  /** An organisation's listing index. */
  orgIndex(orgId: string): string {
    return `${this.prefix}o:{${encodeKeyPart(orgId)}}`;
  }
}

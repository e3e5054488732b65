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
 * - `<prefix>t:{T}:m`: a sorted set of the messages: score `seq`, member the encoded message (see `codec.ts`),
 *   plus the owner mark `#O.U` at score `+inf` (so one plain `ZRANGE` both checks the scope and reads a page);
 * - `<prefix>t:{T}:i`: a hash message id → `seq` (idempotent appends and lookups by id).
 *
 * The organisation registry `<prefix>orgs` (a set of org ids, its own slot) lists every organisation with threads.
 *
 * Listings (each in its own slot): `<prefix>u:{O.U}` per user and `<prefix>o:{O}` per organisation (`O`, `U`:
 * encoded org and user ids): sorted sets with score `updatedAt` and member the encoded thread id `T`, so equal
 * scores order by id (code point order) and a script can build a listed thread's keys from the member.
 */
export interface ThreadKeys {
  readonly thread: string;
  readonly messages: string;
  readonly ids: string;
  /** The encoded thread id: the thread's member in the listing indexes. */
  readonly member: string;
}

/** The keys and owner mark of one scope (see {@link KeySpace.scope}). */
export interface ScopeKeys {
  readonly userIndex: string;
  readonly orgIndex: string;
  /** The owner mark stored in the thread's message set (see `codec.ts`). */
  readonly owner: string;
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

/** How many threads' and scopes' keys a {@link KeySpace} remembers before starting afresh. */
const CACHE_SIZE = 4_096;

/**
 * Builds every key of one repository from its prefix. Keys of recently used threads and scopes are cached, so
 * the hex encoding is not redone on every call.
 */
export class KeySpace {
  readonly #threads = new Map<string, ThreadKeys>();
  readonly #scopes = new Map<string, ScopeKeys>();

  constructor(readonly prefix: string) {}

  /** The three keys of a thread (one hash tag) and its listing member. */
  thread(threadId: string): ThreadKeys {
    let keys = this.#threads.get(threadId);
    if (keys === undefined) {
      const member = encodeKeyPart(threadId);
      const thread = `${this.prefix}t:{${member}}`;
      keys = { thread, messages: `${thread}:m`, ids: `${thread}:i`, member };
      remember(this.#threads, threadId, keys);
    }
    return keys;
  }

  /** A scope's listing indexes and owner mark. */
  scope(orgId: string, userId: string): ScopeKeys {
    const cacheKey = `${orgId.length}:${orgId}${userId}`; // injective: the length says where orgId ends
    let keys = this.#scopes.get(cacheKey);
    if (keys === undefined) {
      const org = encodeKeyPart(orgId);
      const user = encodeKeyPart(userId);
      keys = {
        userIndex: `${this.prefix}u:{${org}.${user}}`,
        orgIndex: `${this.prefix}o:{${org}}`,
        owner: `#${org}.${user}`,
      };
      remember(this.#scopes, cacheKey, keys);
    }
    return keys;
  }

  /** A user's listing index. */
  userIndex(orgId: string, userId: string): string {
    return this.scope(orgId, userId).userIndex;
  }

  /**
   * Every organisation that holds (or held) a thread: a set, in its own slot, written when a thread is created or
   * imported and cleared of an organisation when an erase of it finds nothing left. Retention across organisations
   * (`pruneThreads` without an `orgId`) walks it.
   */
  registry(): string {
    return `${this.prefix}orgs`;
  }

  /** An organisation's listing index. */
  orgIndex(orgId: string): string {
    return `${this.prefix}o:{${encodeKeyPart(orgId)}}`;
  }
}

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(key, value);
}

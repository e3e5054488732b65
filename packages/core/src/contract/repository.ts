import type { ChatMessage } from '../model/message.js';
import type { OrgScope, Scope } from '../model/scope.js';
import type { ChatThread } from '../model/thread.js';
import type { RepositoryCapabilities } from './capabilities.js';
import type {
  EraseResult,
  ImportMessagesInput,
  ImportThreadInput,
  PruneResult,
  PruneScope,
  PruneThreadsInput,
  TransferThreadInput,
} from './lifecycle.js';
import type {
  AppendMessagesInput,
  CreateThreadInput,
  MessageRef,
  EditMessageInput,
  ForkThreadInput,
  GetMessagesInput,
  ListThreadsInput,
  MessagePage,
  SearchMessagesInput,
  ThreadPage,
  TruncateThreadInput,
  UpdateThreadInput,
} from './options.js';

/**
 * Where conversations are stored. Every adapter (`@fluxibly/memory`, `@fluxibly/postgres`, `@fluxibly/redis`,
 * `@fluxibly/mongo`, or a third party's) implements this contract and passes `@fluxibly/conformance`.
 *
 * Rules every method keeps:
 * - **Scope.** Every call carries `{ orgId, userId }`. A thread of another scope behaves exactly as a missing
 *   one (`null`, `false`, `0` or `NotFoundError`), never with an error that reveals it exists.
 * - **Validation first.** Input is validated before anything is written; bad input throws `ValidationError`
 *   naming the field, and nothing is stored.
 * - **All or nothing.** Every write either fully happens or not at all, even if the connection drops mid-call.
 * - **Typed errors.** Only `FluxiblyError`s escape (`NOT_FOUND`, `VALIDATION`, `CONFLICT`, `UNAVAILABLE`,
 *   `UNSUPPORTED`); a driver error is the `cause` of an `UnavailableError`. No message contains a password.
 * - **Copies.** Returned objects belong to the caller (mutable); mutating them never changes what is stored.
 * - **Ids are opaque and case-sensitive.** Any string of 1–255 characters, except NUL and lone surrogates.
 * - **Time.** Timestamps have millisecond precision. `updatedAt` never goes backwards; a call that writes
 *   nothing (an idempotent retry, a conflict, bad input) leaves it alone.
 * - **Tie-breaks** between equal `updatedAt`s compare ids by Unicode code point (as `COLLATE "C"` does).
 */
export interface ConversationRepository {
  /** Optional features of this repository. */
  readonly capabilities: RepositoryCapabilities;

  /**
   * Create an empty thread owned by `scope`.
   * @throws ConflictError when a caller-supplied `id` is already used by any thread (ids are global).
   */
  createThread(scope: Scope, input?: CreateThreadInput): Promise<ChatThread>;

  /** The thread, or `null` when it does not exist for this scope. */
  getThread(scope: Scope, threadId: string): Promise<ChatThread | null>;

  /**
   * This user's threads, newest activity first (`updatedAt` desc, `id` desc), by an index, never a scan. With
   * `metadata`, only the threads whose top-level metadata keys hold exactly those values (AND); what that costs
   * depends on the backend (index-backed on PostgreSQL and MongoDB; bounded by this user's threads on memory and
   * Redis) and is documented by each adapter.
   */
  listThreads(scope: Scope, input?: ListThreadsInput): Promise<ThreadPage>;

  /** Every thread of an organisation, newest activity first, optionally filtered by `metadata` as `listThreads`. */
  listOrgThreads(scope: OrgScope, input?: ListThreadsInput): Promise<ThreadPage>;

  /**
   * Rename a thread, replace its metadata, or patch it.
   * - `metadataPatch` merges top-level keys (`null` removes one) in one atomic step: 32 concurrent patches of
   *   different keys lose none.
   * - `expectedMetadata` is a compare-and-set on the listed keys, in the same atomic step: of racing writers with
   *   the same expectation exactly one wins, the others get `ConflictError` and write nothing.
   * - Moves `updatedAt`.
   * @throws NotFoundError when the thread does not exist for this scope.
   * @throws ConflictError when `expectedMetadata` does not match.
   * @throws ValidationError when the patched metadata would exceed `LIMITS.metadataBytes`; nothing is written.
   */
  updateThread(scope: Scope, input: UpdateThreadInput): Promise<ChatThread>;

  /**
   * Delete a thread and all its messages. A deleted thread never comes back: later appends fail with
   * `NotFoundError`. The store keeps no trace of it, so its id is free again: a later `createThread` with that id
   * makes a new, empty thread (`lastSeq` 0). Returns `false` when the thread did not exist for this scope.
   */
  deleteThread(scope: Scope, threadId: string): Promise<boolean>;

  /**
   * Remove every message and keep the thread (unsetting `summarySeq`). `lastSeq` is kept, so later appends continue after it and old
   * cursors stay meaningful. Returns how many messages were removed.
   * @throws NotFoundError when the thread does not exist for this scope.
   */
  clearThread(scope: Scope, threadId: string): Promise<number>;

  /**
   * Remove every message with `seq > afterSeq`, atomically, and return how many were removed. `lastSeq` is kept
   * (seqs are never reused, so old cursors stay meaningful); `messageCount` drops; `updatedAt` moves only when
   * something was removed. Unsets `summarySeq` when it is removed.
   * @throws NotFoundError when the thread does not exist for this scope.
   * @throws ConflictError when `expectedLastSeq` differs from `lastSeq`, or `expectedMessageCount` from
   *   `messageCount`; nothing is removed.
   * @throws ValidationError when `afterSeq` is beyond `lastSeq`.
   */
  truncateThread(scope: Scope, input: TruncateThreadInput): Promise<number>;

  /**
   * Append messages to a thread, atomically, and return them as stored, in input order.
   *
   * - **Order.** k new messages get `lastSeq + 1 … lastSeq + k` in input order. Concurrent appenders to one
   *   thread — other connections, other processes — never lose a message and never share a `seq`; `seq` is
   *   gapless at append time. Exactly one of two racing appends gets each `seq`.
   * - **All or nothing.** The whole batch is validated first; one bad message fails the call with a
   *   `ValidationError` naming it (`messages[i]…`) and nothing is stored. A connection lost mid-call leaves no
   *   partial batch.
   * - **Idempotent.** A message whose caller-supplied `id` exists in this thread is not written again (an id
   *   removed by `deleteMessage` or `clearThread` no longer exists and is appended anew);
   *   the stored message (with its original `seq`) is returned in its place. When every message of the batch
   *   already exists the call succeeds without writing, whatever `expectedLastSeq` says, so retrying a call that
   *   timed out is always safe. Duplicate ids within one batch are a `ValidationError`.
   * - **Optimistic concurrency.** With `expectedLastSeq`, the append happens only if the thread's `lastSeq` is
   *   exactly that value when applied; otherwise `ConflictError` and nothing is written. `expectedMessageCount` does
   *   the same with `messageCount` (checked after `expectedLastSeq`), so a removal since the caller's read is seen too.
   * - **Replace the tail.** With `replaceAfterSeq: n` the same atomic step first removes every message with
   *   `seq > n`, then appends (regenerate, edit-and-resend): no reader ever sees the tail gone and the new messages
   *   missing, and an append racing it lands wholly before (and is removed) or wholly after. New messages still
   *   get seqs after `lastSeq` (never reused). Ids that remain at `seq <= n` are idempotent as above. A retry —
   *   the messages after `n` are exactly this batch's ids, in order — writes nothing and returns them, whatever
   *   `expectedLastSeq` says. `n` beyond `lastSeq` is a `ValidationError` naming `replaceAfterSeq`.
   * - **Summaries.** A message with `summaryOf` sets the thread's `summarySeq` to its seq in the same step.
   * - Moves the thread's `updatedAt` and `lastSeq` and sets `messageCount`.
   *
   * @throws NotFoundError when the thread does not exist for this scope (including after it was deleted).
   */
  appendMessages(scope: Scope, input: AppendMessagesInput): Promise<ChatMessage[]>;

  /**
   * A page of a thread's messages, ordered by `seq` (never by timestamp). By default the newest `limit`
   * messages, oldest first. Cursors page in both directions and never skip or repeat a message, even while
   * appends run. Reading the newest N costs the same whatever the thread's length.
   * Returns `null` when the thread does not exist for this scope.
   */
  getMessages(scope: Scope, input: GetMessagesInput): Promise<MessagePage | null>;

  /** One message by id, or `null` when it (or its thread, for this scope) does not exist. */
  getMessage(scope: Scope, input: MessageRef): Promise<ChatMessage | null>;

  /**
   * Replace a message's content, metadata, status and/or token count; sets `editedAt` and moves the thread's
   * `updatedAt`. `seq`, `role`, `id` and `summaryOf` never change. With `expectedStatus`, the edit is applied only
   * if the message has that status, checked in the same atomic step (two racing finishers: exactly one wins).
   * @throws NotFoundError when the thread (for this scope) or the message does not exist.
   * @throws ConflictError when `expectedStatus` differs from the message's status; nothing is written.
   */
  editMessage(scope: Scope, input: EditMessageInput): Promise<ChatMessage>;

  /**
   * Delete one message. Other messages keep their `seq` (this leaves a gap). Its id may be appended again later.
   * Returns `false` when the thread (for this scope) or the message does not exist.
   */
  deleteMessage(scope: Scope, input: MessageRef): Promise<boolean>;

  /**
   * Copy a thread's messages up to `atSeq` into a new thread of the same scope, atomically. The copies keep
   * their ids, `seq`s, content and timestamps; the new thread's `lastSeq` is `atSeq` and `parent` is
   * `{ threadId, seq: atSeq }`. Later writes to either thread do not affect the other.
   * @throws NotFoundError when the source thread does not exist for this scope.
   * @throws ValidationError when `atSeq` is negative or beyond the source's `lastSeq`.
   */
  forkThread(scope: Scope, input: ForkThreadInput): Promise<ChatThread>;

  /**
   * Messages of this scope whose text matches `query`, best match first, searchable as soon as the append
   * resolves. A `threadId` that is missing or of another scope gives `[]`. Only when
   * `capabilities.fullTextSearch`; otherwise it throws `UnsupportedError`.
   */
  searchMessages(scope: Scope, input: SearchMessagesInput): Promise<ChatMessage[]>;

  /**
   * Delete every thread of this user, with all their messages, index entries and keys (right to erasure). Works in
   * bounded batches of `LIMITS.eraseBatch` threads (each batch one call bounded by the repository's deadline, so
   * the whole erase has no single bound); an erase interrupted halfway is finished by calling it again. Once it
   * returns, no thread or message of the scope remains that existed when it began or was appended to during it.
   * Returns what it deleted.
   */
  eraseUser(scope: Scope): Promise<EraseResult>;

  /** {@link eraseUser} for every user of an organisation. */
  eraseOrg(scope: OrgScope): Promise<EraseResult>;

  /**
   * Give a thread to another user of the same organisation, atomically: its messages go with it, and no listing
   * ever shows it under both users or neither. Moves `updatedAt`. Transferring to its own user writes nothing.
   * Returns the thread as the new owner sees it.
   * @throws NotFoundError when the thread does not exist for this scope.
   */
  transferThread(scope: Scope, input: TransferThreadInput): Promise<ChatThread>;

  /**
   * Retention: delete the threads (of one organisation, or of all) whose last activity (`updatedAt`) is before
   * `inactiveBefore`, oldest first, at most `limit` per call, found through an index (no scan of the store), in
   * batches of `LIMITS.eraseBatch`. A thread that gets a write while the prune runs is kept. Call again while `more`.
   */
  pruneThreads(scope: PruneScope, input: PruneThreadsInput): Promise<PruneResult>;

  /**
   * Store an exported thread as it was (ids, timestamps, `lastSeq`, `parent`, `summarySeq`), with no messages yet
   * (`messageCount` 0; {@link importMessages} adds them). Returns `false` and writes nothing when a thread with this
   * id already exists (in any scope). Used by `importConversations`.
   */
  importThread(scope: Scope, input: ImportThreadInput): Promise<boolean>;

  /**
   * Store exported messages of an imported thread as they were (ids, seqs, timestamps, status, …), atomically.
   * A message whose id the thread already holds is skipped; `messageCount` grows by what was written; `updatedAt`,
   * `lastSeq` and `summarySeq` stay. Returns how many were written (0 for a repeated import).
   * @throws NotFoundError when the thread does not exist for this scope.
   * @throws ValidationError when a seq is beyond the thread's `lastSeq` (naming `messages[i].seq`).
   * @throws ConflictError when a seq is held by another message id; nothing is written.
   */
  importMessages(scope: Scope, input: ImportMessagesInput): Promise<number>;

  /**
   * Only on backends with a schema (`@fluxibly/postgres`: versioned migrations; `@fluxibly/mongo`: indexes);
   * schemaless ones (memory, Redis) leave it out. Apply what the store lacks and return the names of what this call
   * applied, `[]` when it was already up to date. Idempotent and safe to run from several processes at once.
   * For a repository from `createRepository`, call `migrateRepository(repository)` instead: it
   * works on every backend.
   */
  migrate?(): Promise<readonly string[]>;

  /** Release what this repository opened itself (never a client the caller passed in). Idempotent. */
  close(): Promise<void>;
}

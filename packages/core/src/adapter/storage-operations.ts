import type { RepositoryCapabilities } from '../contract/capabilities.js';
import type { EraseResult, PruneResult } from '../contract/lifecycle.js';
import type { MessagePage, ThreadPage } from '../contract/options.js';
import type { ChatMessage } from '../model/message.js';
import type { OrgScope, Scope } from '../model/scope.js';
import type { ChatThread } from '../model/thread.js';
import type {
  ValidAppend,
  ValidCreateThread,
  ValidEdit,
  ValidFork,
  ValidGetMessages,
  ValidListThreads,
  ValidMessageRef,
  ValidSearch,
  ValidTruncate,
  ValidUpdateThread,
} from '../validation/inputs.js';
import type {
  ValidImportMessages,
  ValidImportThread,
  ValidPrune,
  ValidPruneScope,
  ValidTransfer,
} from '../validation/lifecycle.js';

/**
 * What an adapter supplies to {@link BaseConversationRepository}: its storage operations. Each receives input
 * that is already validated and copied once (scope, ids, content, cursors decoded), and runs only while the
 * repository is open; whatever it throws that is not a `FluxiblyError` goes through the adapter's error mapper.
 * The contract's rules for each are in `ConversationRepository`'s TSDoc and in core's adapter guide; the kit's
 * helpers build pages ({@link buildMessagePage}, {@link buildThreadPage}) and the standard errors
 * ({@link threadNotFound}, {@link lastSeqConflict}, …) so that every adapter words them alike.
 */
export interface StorageOperations {
  createThread(scope: Scope, input: ValidCreateThread): Promise<ChatThread>;
  getThread(scope: Scope, threadId: string): Promise<ChatThread | null>;
  /** This user's threads, newest activity first, from an index. */
  listThreads(scope: Scope, input: ValidListThreads): Promise<ThreadPage>;
  /** The organisation's threads, newest activity first, from an index. */
  listOrgThreads(scope: OrgScope, input: ValidListThreads): Promise<ThreadPage>;
  updateThread(scope: Scope, input: ValidUpdateThread): Promise<ChatThread>;
  deleteThread(scope: Scope, threadId: string): Promise<boolean>;
  clearThread(scope: Scope, threadId: string): Promise<number>;
  truncateThread(scope: Scope, input: ValidTruncate): Promise<number>;
  appendMessages(scope: Scope, input: ValidAppend): Promise<ChatMessage[]>;
  getMessages(scope: Scope, input: ValidGetMessages): Promise<MessagePage | null>;
  getMessage(scope: Scope, input: ValidMessageRef): Promise<ChatMessage | null>;
  editMessage(scope: Scope, input: ValidEdit): Promise<ChatMessage>;
  deleteMessage(scope: Scope, input: ValidMessageRef): Promise<boolean>;
  forkThread(scope: Scope, input: ValidFork): Promise<ChatThread>;
  /**
   * Delete up to `limit` threads of the organisation (or, with `userId`, of that user), each with all its messages,
   * index entries and keys, each thread atomically (an append racing it lands before and is deleted with it, or fails
   * with `NotFoundError`). Bounded: one batch, not the whole tenant. Returns what it deleted; the kit calls it again
   * until a batch deletes no thread.
   */
  eraseThreads(scope: { orgId: string; userId?: string }, limit: number): Promise<EraseResult>;
  /** Move a thread to `toUserId` of the same organisation, atomically (see `transferThread`). */
  transferThread(scope: Scope, input: ValidTransfer): Promise<ChatThread>;
  /**
   * Delete up to `input.limit` threads (of `scope.orgId`, or of every organisation) whose `updatedAt` is before
   * `input.inactiveBefore` (epoch ms), oldest first, found through an index. Each thread is deleted atomically and only
   * if it is still inactive at that moment (an append racing the prune keeps its thread). `more`: the batch was full.
   */
  pruneThreads(scope: ValidPruneScope, input: ValidPrune): Promise<PruneResult>;
  /** Store an exported thread as it is (see `importThread`); `false` (nothing written) when its id is taken. */
  importThread(scope: Scope, input: ValidImportThread): Promise<boolean>;
  /** Store exported messages as they are (see `importMessages`); returns how many were written. */
  importMessages(scope: Scope, input: ValidImportMessages): Promise<number>;
  /** Only when the repository declares `fullTextSearch`; otherwise omit it. */
  searchMessages?(scope: Scope, input: ValidSearch): Promise<ChatMessage[]>;
  /** Release what the adapter opened itself (never a caller's client). Called once, after pending calls settled. */
  close(): Promise<void>;
}

/** How {@link BaseConversationRepository} runs an adapter's operations. */
export interface RepositoryKit {
  /** Names the backend in messages: `"redis did not answer within 40000 ms"`. */
  backend: string;
  /** What the repository offers; `searchMessages` is called only with `fullTextSearch`. */
  capabilities: RepositoryCapabilities;
  /**
   * The most any one call may take, in ms (0: no bound beyond the driver's own timeouts). Past it the call rejects
   * with `UnavailableError` whatever the driver does. Usually the connect timeout plus the statement timeout.
   */
  deadlineMs?: number;
  /**
   * `true` for an in-process store whose operations never wait on anything outside the process (they settle as
   * soon as they run): calls are then not tracked one by one (nothing can be pending at `close()`, and a deadline
   * could never pass), which saves their bookkeeping on every call. Default `false`.
   */
  inProcess?: boolean;
  /**
   * Turns what an operation threw (not a `FluxiblyError`: those pass as they are) into a `FluxiblyError`, usually
   * `UnavailableError` with the driver error as `cause` (core keeps a printable copy of it). Return `undefined` to
   * get the default: `UnavailableError('<backend> failed (<error name>)')`.
   */
  mapError?: (error: unknown) => Error | undefined;
  /**
   * Why `searchMessages` is not offered, when the repository could offer it (e.g. `"it was created with
   * fullTextSearch: false"`): added to the `UnsupportedError`'s message, so a user learns what to change.
   */
  searchUnsupportedReason?: string;
}

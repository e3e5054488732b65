/**
 * `@fluxibly/core/adapter`: everything an adapter author needs and an application never does — the base
 * repository that owns the per-call plumbing, the validators and their validated shapes, page and cursor
 * building, the standard errors, option readers, code-point order and the inspector type for the conformance
 * suite. Our adapters are built on it exactly as a third party's is. See core's `ADAPTERS.md` for the rules.
 */
export { BaseConversationRepository } from './base-repository.js';
export type { RepositoryKit, StorageOperations } from './storage-operations.js';
export type { StoredMessagePage } from './pages.js';
export { buildMessagePage, buildThreadPage, fromNewestFirst, threadPageOf } from './pages.js';
export {
  importSeqBeyond,
  importSeqTaken,
  lastSeqConflict,
  messageNotFound,
  metadataConflict,
  messageCountConflict,
  metadataPatchTooLarge,
  repositoryClosed,
  statusConflict,
  threadIdTaken,
  threadNotFound,
} from './standard-errors.js';
export { applyMetadataPatch, checkMergedMetadataSize, metadataMatches } from './metadata-ops.js';
export { isReplayedTail } from './tail-replace.js';
export { OptionReader } from './option-reader.js';
export { describeValue } from '../validation/primitives.js';
export { URL_SCHEMES, validateConnectionUrl } from '../config/url-check.js';
export { expectBackend } from './expect-backend.js';
export { compareCodePoints } from './code-points.js';
export type { StoreInspector } from './inspector.js';

export type { PendingCallsOptions } from '../kit/pending-calls.js';
export { PendingCalls } from '../kit/pending-calls.js';
export { SharedAttempt } from '../kit/shared-attempt.js';
export { SafeCause, safeCause, scrubSecrets } from '../errors/safe-cause.js';
export type { ThreadCursor } from '../cursor/cursor.js';
export { decodeMessageCursor, decodeThreadCursor, encodeMessageCursor, encodeThreadCursor } from '../cursor/cursor.js';
export { uuidv7 } from '../ids/uuid-v7.js';
export type { ChatMessageFields } from '../model/build.js';
export { appendedMessage, chatMessage } from '../model/build.js';
export { checkStoredString, copyJsonValue, isPlainObject, jsonBytes, validateMetadata } from '../validation/json.js';
export { DEFAULTS, LIMITS } from '../validation/limits.js';
export type {
  ValidImportedMessage,
  ValidImportMessages,
  ValidImportThread,
  ValidPrune,
  ValidPruneScope,
  ValidTransfer,
} from '../validation/lifecycle.js';
export {
  PRUNE_LIMIT,
  validateDate,
  validateImportMessages,
  validateImportThread,
  validatePrune,
  validatePruneScope,
  validateTransfer,
} from '../validation/lifecycle.js';
export type { ValidBatch, ValidMessage } from '../validation/messages.js';
export {
  validateContent,
  validateMessageBatch,
  validateNewMessage,
  validateRole,
  validateSizedBatch,
  validateStatus,
  validateSummaryRange,
  validateTokenCount,
} from '../validation/messages.js';
export {
  validateId,
  validateInputObject,
  validateInteger,
  validateName,
  validateOptionalId,
  validateOrgScope,
  validateScope,
} from '../validation/primitives.js';
export type {
  ValidAppend,
  ValidCreateThread,
  ValidEdit,
  ValidFork,
  ValidGetMessages,
  ValidListThreads,
  ValidMessageRef,
  ValidMetadataPatch,
  ValidSearch,
  ValidTruncate,
  ValidUpdateThread,
} from '../validation/inputs.js';
export {
  cutPointError,
  forkPointError,
  validateAppend,
  validateCreateThread,
  validateEdit,
  validateFork,
  validateGetMessages,
  validateListThreads,
  validateMessageRef,
  validateSearch,
  validateTruncate,
  validateUpdateThread,
} from '../validation/inputs.js';

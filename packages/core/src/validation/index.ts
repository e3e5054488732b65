export { checkStoredString, copyJsonValue, isPlainObject, jsonBytes, validateMetadata } from './json.js';
export { DEFAULTS, LIMITS } from './limits.js';
export type { ValidBatch, ValidMessage } from './messages.js';
export {
  validateContent,
  validateMessageBatch,
  validateNewMessage,
  validateRole,
  validateSizedBatch,
} from './messages.js';
export {
  describeValue,
  validateId,
  validateInputObject,
  validateInteger,
  validateName,
  validateOptionalId,
  validateOrgScope,
  validateScope,
} from './primitives.js';
export type {
  ValidAppend,
  ValidCreateThread,
  ValidEdit,
  ValidFork,
  ValidGetMessages,
  ValidListThreads,
  ValidMessageRef,
  ValidSearch,
  ValidUpdateThread,
} from './inputs.js';
export {
  forkPointError,
  validateAppend,
  validateCreateThread,
  validateEdit,
  validateFork,
  validateGetMessages,
  validateListThreads,
  validateMessageRef,
  validateSearch,
  validateUpdateThread,
} from './inputs.js';

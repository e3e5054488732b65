export { ConversationHistory } from './conversation-history.js';
export { estimateTokens, MESSAGE_OVERHEAD_TOKENS } from './tokens.js';
export type { MessageUnit } from './units.js';
export { answeredCallIdsOf, groupUnits, toolCallIdsOf } from './units.js';
export type { TrimResult } from './window.js';
export { trimWindow } from './window.js';
export type {
  AddAnyHistoryMessageOptions,
  AddHistoryMessageOptions,
  CompactOptions,
  ConversationHistoryOptions,
  HistoryMessage,
  HistoryStore,
  TokenCounter,
  WindowBudget,
  WriteFailure,
  WriteRetryOptions,
} from './types.js';
export { DEFAULT_WRITE_RETRY } from './write-retry.js';

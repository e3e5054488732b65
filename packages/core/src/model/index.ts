export type { JsonObject, JsonValue } from './json.js';
export type { ChatThread, ThreadParent } from './thread.js';
export type {
  ChatMessage,
  ContentPart,
  MessageContent,
  MessageRole,
  MessageStatus,
  NewMessage,
  SummaryRange,
} from './message.js';
export { MESSAGE_ROLES, MESSAGE_STATUSES } from './message.js';
export type { OrgScope, Scope } from './scope.js';

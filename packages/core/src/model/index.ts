export type { JsonObject, JsonValue } from './json.js';
export type { ChatThread, ThreadParent } from './thread.js';
export type { ChatMessage, ContentPart, MessageContent, MessageRole, NewMessage } from './message.js';
export { MESSAGE_ROLES } from './message.js';
export type { OrgScope, Scope } from './scope.js';

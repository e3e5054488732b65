export * from './model/index.js';
export * from './errors/index.js';
export * from './contract/index.js';
export * from './validation/index.js';
export { uuidv7 } from './ids/uuid-v7.js';
export type { ThreadCursor } from './cursor/cursor.js';
export { decodeMessageCursor, decodeThreadCursor, encodeMessageCursor, encodeThreadCursor } from './cursor/cursor.js';

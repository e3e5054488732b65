export type { FluxiblyChatMessageHistoryOptions } from './history.js';
export { FluxiblyChatMessageHistory, messageHistoryFactory } from './history.js';
export type { StoredLangChainMessage } from './codec.js';
export { MESSAGE_PART_TYPE, deserialize, fromStored, serialize, toNewMessage } from './codec.js';

export { StateManager } from './state-manager.js';
export type {
  AddMessageOptions,
  AddMessagesOptions,
  CreateThreadOptions,
  EditMessageOptions,
  ForkThreadOptions,
  GetMessagesOptions,
  ListThreadsOptions,
  LoadHistoryOptions,
  SearchMessagesOptions,
  StateManagerOptions,
  ThreadTarget,
  TruncateThreadOptions,
  UpdateThreadOptions,
} from './options.js';

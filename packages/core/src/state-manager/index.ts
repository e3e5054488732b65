export { StateManager } from './state-manager.js';
export type {
  AddMessageOptions,
  AddMessagesOptions,
  CreateThreadOptions,
  EditMessageOptions,
  ForkThreadOptions,
  GetMessagesOptions,
  ListThreadsOptions,
  SearchMessagesOptions,
  StateManagerOptions,
  ThreadTarget,
  UpdateThreadOptions,
} from './options.js';

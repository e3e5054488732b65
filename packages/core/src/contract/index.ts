export type { RepositoryCapabilities } from './capabilities.js';
export type {
  AppendMessagesInput,
  CreateThreadInput,
  MessageRef,
  EditMessageInput,
  ForkThreadInput,
  GetMessagesInput,
  ListThreadsInput,
  MessagePage,
  SearchMessagesInput,
  ThreadPage,
  UpdateThreadInput,
} from './options.js';
export type { ConversationRepository } from './repository.js';

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
  MetadataFilterValue,
  SearchMessagesInput,
  ThreadPage,
  TruncateThreadInput,
  UpdateThreadInput,
} from './options.js';
export type {
  EraseResult,
  ImportedMessage,
  ImportMessagesInput,
  ImportThreadInput,
  PruneResult,
  PruneScope,
  PruneThreadsInput,
  TransferThreadInput,
} from './lifecycle.js';
export type { ConversationRepository } from './repository.js';

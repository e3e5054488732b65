// Persist a Vercel AI SDK chat in Fluxibly State.
export { fromUIMessages, toUIMessages, UI_METADATA_KEY, type StoredMessageLike } from './ui-messages.js';
export { fromModelMessages, PROVIDER_OPTIONS_KEY } from './model-messages.js';
export { saveUIMessages, type SaveUIMessagesOptions, type SaveResult } from './save.js';
export { loadUIMessages, loadModelSafeUIMessages, type ModelSafeOptions } from './load.js';
export type { ThreadOptions } from './read.js';
export {
  generateMessageId,
  setActiveStreamId,
  clearActiveStreamId,
  getActiveStreamId,
  ACTIVE_STREAM_KEY,
} from './streams.js';

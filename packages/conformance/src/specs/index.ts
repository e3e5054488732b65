import type { SuiteContext } from '../context.js';
import { registerBadInput } from './bad-input.js';
import { registerBatchSize } from './batch-size.js';
import { registerCapabilities } from './capabilities.js';
import { registerClose } from './close.js';
import { registerConcurrency } from './concurrency.js';
import { registerConversationHistory } from './conversation-history.js';
import { registerErrors } from './errors.js';
import { registerFidelity } from './fidelity.js';
import { registerForeignCursors } from './foreign-cursors.js';
import { registerFork } from './fork.js';
import { registerHostileCursors } from './hostile-cursors.js';
import { registerIdempotency } from './idempotency.js';
import { registerIsolation } from './isolation.js';
import { registerLifecycle } from './lifecycle.js';
import { registerMessages } from './messages.js';
import { registerModelBased } from './model-based.js';
import { registerNastyIds } from './nasty-ids.js';
import { registerPagination } from './pagination.js';
import { registerSearch } from './search.js';
import { registerSecrets } from './secrets.js';
import { registerStateManager } from './state-manager.js';
import { registerThreadPagination } from './thread-pagination.js';
import { registerThreadTies } from './thread-ties.js';
import { registerThreads } from './threads.js';
import { registerUnavailable } from './unavailable.js';

/** Every spec of the suite, in the order they appear. Each file registers one guarantee's tests. */
export const SPECS: ReadonlyArray<(context: SuiteContext) => void> = [
  registerCapabilities,
  registerThreads,
  registerMessages,
  registerLifecycle,
  registerFork,
  registerPagination,
  registerThreadPagination,
  registerThreadTies,
  registerIsolation,
  registerBadInput,
  registerHostileCursors,
  registerForeignCursors,
  registerNastyIds,
  registerIdempotency,
  registerConcurrency,
  registerFidelity,
  registerBatchSize,
  registerErrors,
  registerUnavailable,
  registerSecrets,
  registerClose,
  registerSearch,
  registerStateManager,
  registerConversationHistory,
  registerModelBased,
];

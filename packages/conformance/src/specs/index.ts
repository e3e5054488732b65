import type { ConformanceGroup } from '../group.js';
import { APP_FLOWS_GROUP } from './app-flows.js';
import { BAD_INPUT_GROUP } from './bad-input.js';
import { BATCH_SIZE_GROUP } from './batch-size.js';
import { CAPABILITIES_GROUP } from './capabilities.js';
import { CLOSE_GROUP } from './close.js';
import { COMPACTION_GROUP } from './compaction.js';
import { CONCURRENCY_GROUP } from './concurrency.js';
import { CONVERSATION_HISTORY_GROUP } from './conversation-history.js';
import { DATA_LIFECYCLE_GROUP } from './data-lifecycle.js';
import { ERRORS_GROUP } from './errors.js';
import { FIDELITY_GROUP } from './fidelity.js';
import { FOREIGN_CURSORS_GROUP } from './foreign-cursors.js';
import { FORK_GROUP } from './fork.js';
import { HOSTILE_CURSORS_GROUP } from './hostile-cursors.js';
import { IDEMPOTENCY_GROUP } from './idempotency.js';
import { ISOLATION_GROUP } from './isolation.js';
import { LIFECYCLE_GROUP } from './lifecycle.js';
import { MESSAGE_FIELDS_GROUP } from './message-fields.js';
import { MESSAGES_GROUP } from './messages.js';
import { METADATA_LISTING_GROUP } from './metadata-listing.js';
import { MODEL_BASED_GROUP } from './model-based.js';
import { NASTY_IDS_GROUP } from './nasty-ids.js';
import { PAGINATION_GROUP } from './pagination.js';
import { SEARCH_GROUP } from './search.js';
import { SECRETS_GROUP } from './secrets.js';
import { STATE_MANAGER_GROUP } from './state-manager.js';
import { TAIL_REPLACE_GROUP } from './tail-replace.js';
import { THREAD_METADATA_GROUP } from './thread-metadata.js';
import { THREAD_PAGINATION_GROUP } from './thread-pagination.js';
import { THREAD_TIES_GROUP } from './thread-ties.js';
import { THREADS_GROUP } from './threads.js';
import { UNAVAILABLE_GROUP } from './unavailable.js';

/**
 * Every group of the suite, in the order they run. Each spec file holds one group: one guarantee (or one part of
 * the API), with a stable id and stable test ids.
 */
export const GROUPS = [
  CAPABILITIES_GROUP,
  THREADS_GROUP,
  MESSAGES_GROUP,
  LIFECYCLE_GROUP,
  FORK_GROUP,
  TAIL_REPLACE_GROUP,
  DATA_LIFECYCLE_GROUP,
  MESSAGE_FIELDS_GROUP,
  PAGINATION_GROUP,
  THREAD_PAGINATION_GROUP,
  THREAD_TIES_GROUP,
  THREAD_METADATA_GROUP,
  METADATA_LISTING_GROUP,
  ISOLATION_GROUP,
  BAD_INPUT_GROUP,
  HOSTILE_CURSORS_GROUP,
  FOREIGN_CURSORS_GROUP,
  NASTY_IDS_GROUP,
  IDEMPOTENCY_GROUP,
  CONCURRENCY_GROUP,
  FIDELITY_GROUP,
  BATCH_SIZE_GROUP,
  ERRORS_GROUP,
  UNAVAILABLE_GROUP,
  SECRETS_GROUP,
  CLOSE_GROUP,
  SEARCH_GROUP,
  STATE_MANAGER_GROUP,
  CONVERSATION_HISTORY_GROUP,
  COMPACTION_GROUP,
  APP_FLOWS_GROUP,
  MODEL_BASED_GROUP,
] as const satisfies readonly ConformanceGroup[];

type AnyGroup = (typeof GROUPS)[number];

/** The stable id of a group, e.g. `'pagination'`. */
export type GroupId = AnyGroup['id'];

type TestIdOf<G> = G extends ConformanceGroup<infer Id, infer T> ? `${Id}/${T}` : never;

/** The stable id of a test: `<group id>/<test id>`, e.g. `'pagination/walk-older-with-appends'`. */
export type TestId = TestIdOf<AnyGroup>;

import { registerListedOrgs } from './registry.js';
import type { RedisConversationRepository } from './repository.js';
import { clientOf } from './repository.js';

/**
 * Run once after upgrading from a version before the data-lifecycle operations: adds every organisation that has a
 * listing to the organisation registry (`<prefix>orgs`), which `pruneThreads` without an `orgId` walks. Threads
 * written by the earlier version are otherwise reached only by `pruneThreads({ orgId })` (and by erase, transfer and
 * every other operation, which need no registry) until a thread is created or imported in their organisation.
 * It SCANs the key space (on every master of a Cluster) for the listing keys: an administrative step, not for a
 * request path. Idempotent and safe while the repository is in use. Returns how many organisations it found.
 */
export function backfillOrgRegistry(repository: RedisConversationRepository): Promise<number> {
  return registerListedOrgs(clientOf(repository), repository.keys);
}

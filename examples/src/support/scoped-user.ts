import { StateManager } from '@fluxibly/core';
import type { ConversationRepository } from '@fluxibly/core';
import type { Backend } from './backend.js';
import type { Cleanup } from './run-program.js';

/** A user of an organisation, stored under this run's ids, whose threads are deleted when the program ends. */
export interface ScopedUser {
  readonly stateManager: StateManager;
  /** A state manager for the same user on another repository (a resumed session). */
  on(repository: ConversationRepository): StateManager;
}

/** `alice` of `acme_corp` (scoped to this run) on the backend's repository, cleaned up at the end. */
export function scopedUser(backend: Backend, cleanup: Cleanup): ScopedUser {
  const userId = backend.scoped('alice');
  const orgId = backend.scoped('acme_corp');
  const on = (repository: ConversationRepository): StateManager => new StateManager({ repository, userId, orgId });
  const stateManager = on(backend.repository);
  cleanup.add(async () => {
    for (const thread of await stateManager.listThreads()) await stateManager.deleteThread(thread.id);
  });
  return { stateManager, on };
}

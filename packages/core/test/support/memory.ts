// The memory adapter, from its source. Core cannot list `@fluxibly/memory` as a dependency (memory depends on core:
// a workspace cycle turbo refuses), so its tests reach the sibling package's source directly; memory's own imports of
// `@fluxibly/core` resolve to this package's source through the `@fluxibly/source` condition, so both share one
// copy of every class (`instanceof ConflictError` holds).
export { MemoryConversationRepository, MemoryStore } from '../../../memory/src/index.js';

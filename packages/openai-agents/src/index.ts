export type { FluxiblySessionOptions } from './session.js';
export { FluxiblySession } from './session.js';
export { ITEM_PART_TYPE, itemToMessage, messageToItem } from './items.js';
export { OPERATION_KEY } from './transactions.js';

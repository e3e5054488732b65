// What applications use. Adapter authors: `@fluxibly/core/adapter` has the kit (validators, page builders, cursors,
// the base repository).
export * from './model/index.js';
export * from './errors/index.js';
export * from './contract/index.js';
export { DEFAULTS, LIMITS } from './validation/limits.js';
export { uuidv7 } from './ids/uuid-v7.js';
export * from './state-manager/index.js';
export * from './history/index.js';
export * from './config/index.js';
export * from './factory/index.js';
export * from './portability/index.js';

/**
 * Helpers shared by the spec files: typed-error expectations, message builders and readers, store snapshots,
 * nasty ids and a store-clock wait. Not part of the public API.
 */
export * from './calls.js';
export * from './clock.js';
export * from './compare.js';
export * from './errors.js';
export * from './ids.js';
export * from './leaks.js';
export * from './loose.js';
export * from './messages.js';
export * from './state.js';

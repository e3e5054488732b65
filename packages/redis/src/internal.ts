/**
 * Internal entry for this package's tests and debugging, not exported by the package: reaches what the public API
 * keeps private — the repository's ioredis client, whose options hold the password.
 */
export { clientOf } from './repository.js';

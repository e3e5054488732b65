export type { FluxiblyErrorCode } from './codes.js';
export type { FluxiblyErrorOptions } from './fluxibly-error.js';
export { FluxiblyError } from './fluxibly-error.js';
export { ConflictError, NotFoundError, UnavailableError, UnsupportedError, ValidationError } from './errors.js';
export { SafeCause } from './safe-cause.js';

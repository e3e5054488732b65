/** The machine-readable kind of every error a repository throws. */
export type FluxiblyErrorCode = 'NOT_FOUND' | 'VALIDATION' | 'CONFLICT' | 'UNAVAILABLE' | 'UNSUPPORTED';

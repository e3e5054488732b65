import { ValidationError } from '../errors/errors.js';
import { splitUrl } from './url-parts.js';

/** The schemes each built-in backend's `url` may have. */
export const URL_SCHEMES: Readonly<Record<string, readonly string[]>> = {
  postgresql: ['postgres:', 'postgresql:'],
  redis: ['redis:', 'rediss:'],
  mongodb: ['mongodb:', 'mongodb+srv:'],
};

/**
 * Check a connection URL the way drivers will read it: one of `schemes`, no spaces, and user info and host that
 * read unambiguously (a password holding an unencoded `@`, `/`, `?` or `#` would send the driver to a host made of
 * part of the password). Used for `DATABASE_URL`/`REDIS_URL`/`MONGODB_URL`, for a config's `url` and for an
 * adapter's `url` option.
 * @throws ValidationError naming `field` that says what to fix and quotes no part of the URL.
 */
export function validateConnectionUrl(value: unknown, field: string, schemes: readonly string[]): string {
  const expected = schemes.map((s) => `${s}//`).join(' or ');
  const unshown = '(value not shown: it may hold a password)';
  if (typeof value !== 'string') throw new ValidationError(field, `must be a ${expected} URL string`);
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(value)) {
    throw new ValidationError(field, `must be a ${expected} URL without spaces: percent-encode them (%20) ${unshown}`);
  }
  const parts = splitUrl(value);
  const scheme = typeof parts === 'string' ? undefined : parts.scheme.slice(0, -2).toLowerCase();
  if (parts === 'shape' || (scheme !== undefined && !schemes.includes(scheme))) {
    throw new ValidationError(field, `must be a ${expected} URL ${unshown}`);
  }
  if (parts === 'user-info') {
    throw new ValidationError(
      field,
      `cannot be read unambiguously: percent-encode the user name and password (@ as %40, / as %2F, ? as %3F, ` +
        `# as %23, % as %25), and any @ after the host as %40 ${unshown}`,
    );
  }
  // Mongo URLs may list several hosts (`a:1,b:2`), which the WHATWG parser rejects: splitUrl checked them.
  if (parts === 'host' || (scheme?.startsWith('mongodb') !== true && !URL.canParse(value))) {
    throw new ValidationError(field, `must be a ${expected} URL with a non-empty host and a valid port ${unshown}`);
  }
  return value;
}

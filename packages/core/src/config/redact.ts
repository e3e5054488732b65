import { splitUrl } from './url-parts.js';

/** What a secret is replaced with in every printout. */
export const REDACTED = '***';

/** Node's `util.inspect.custom` (also used by `console.log`), without importing `node:util`. */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');

const SCHEME = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/is;
/** Any query parameter whose name mentions a secret: `password`, `sslpassword`, `tlsCertificateKeyFilePassword`,
 * `authMechanismProperties`, `token`, `apiKey`… (errs on the side of hiding). */
const SECRET_PARAMS = /([?&;][^=&;#]*(?:pass|pwd|secret|token|key|credential|auth|sig)[^=&;#]*=)[^&;#]*/gi;

/**
 * A URL safe to print: the password in its user info and secret-looking query parameters (`password=`…) become
 * `***`; a user name without a password is shown as is (`postgres://app@host/db`: every driver reads it as a user
 * name). When the user info cannot be read unambiguously (an unencoded `@`, `/`, `?` or `#` in the password: see
 * `splitUrl`, which config validation applies), it errs on the side of hiding: everything up to the last `@` in
 * the URL is treated as user info, so no part of such a password shows (an `@` in a query value then hides the
 * host too). A string that is not `scheme://…` is returned unchanged apart from its query parameters.
 */
export function redactUrl(url: string): string {
  const parts = splitUrl(url);
  if (typeof parts !== 'string') {
    const { scheme, userInfo, hosts, tail } = parts;
    return `${scheme}${userInfo === undefined ? '' : `${shownUserInfo(userInfo)}@`}${hosts}${redactParams(tail)}`;
  }
  const match = SCHEME.exec(url);
  if (match === null) return redactParams(url);
  const scheme = match[1] ?? '';
  const rest = match[2] ?? '';
  const at = rest.lastIndexOf('@');
  if (at === -1) return scheme + redactParams(rest);
  // Ambiguous: a user info without a `:` may hold part of a password too.
  const userInfo = rest.slice(0, at);
  const shown = userInfo.includes(':') ? shownUserInfo(userInfo) : REDACTED;
  return `${scheme}${shown}${redactParams(rest.slice(at))}`;
}

/** `user` as is, `user:password` as `user:***`. */
function shownUserInfo(userInfo: string): string {
  const colon = userInfo.indexOf(':');
  return colon === -1 ? userInfo : `${userInfo.slice(0, colon)}:${REDACTED}`;
}

function redactParams(text: string): string {
  return text.replace(SECRET_PARAMS, `$1${REDACTED}`);
}

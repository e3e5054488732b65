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
 * `***`. A user info without a `:` is replaced whole (some clients read it as a password). It errs on the side
 * of hiding: everything up to the last `@` in the URL is treated as user info, so a password holding an
 * unencoded `@`, `/`, `?` or `#` never shows (an `@` in a query value hides the host too). A string that is not
 * `scheme://…` is returned unchanged apart from its query parameters.
 */
export function redactUrl(url: string): string {
  const match = SCHEME.exec(url);
  if (match === null) return url.replace(SECRET_PARAMS, `$1${REDACTED}`);
  const scheme = match[1] ?? '';
  const rest = match[2] ?? '';
  const at = rest.lastIndexOf('@');
  if (at === -1) return scheme + rest.replace(SECRET_PARAMS, `$1${REDACTED}`);
  const userInfo = rest.slice(0, at);
  const colon = userInfo.indexOf(':');
  const shown = colon === -1 ? REDACTED : `${userInfo.slice(0, colon)}:${REDACTED}`;
  return `${scheme}${shown}${rest.slice(at).replace(SECRET_PARAMS, `$1${REDACTED}`)}`;
}

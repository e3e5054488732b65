/** What a secret is replaced with in every printout. */
export const REDACTED = '***';

/** Node's `util.inspect.custom` (also used by `console.log`), without importing `node:util`. */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');

const SCHEME = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/is;
const SECRET_PARAMS = /([?&;](?:password|passwd|pass|pwd|secret|token)=)[^&;#]*/gi;

/**
 * A URL safe to print: the password in its user info and secret-looking query parameters (`password=`…) become
 * `***`. A user info without a `:` is replaced whole (some clients read it as a password). It errs on the side
 * of hiding: with an unencoded `/`, `?` or `#` in the password, everything up to the last `@` is treated as user
 * info. A string that is not `scheme://…` is returned unchanged apart from its query parameters.
 */
export function redactUrl(url: string): string {
  const match = SCHEME.exec(url);
  if (match === null) return url.replace(SECRET_PARAMS, `$1${REDACTED}`);
  const scheme = match[1] ?? '';
  const rest = match[2] ?? '';
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const at = authority.includes('@') ? authority.lastIndexOf('@') : rest.lastIndexOf('@');
  if (at === -1) return scheme + rest.replace(SECRET_PARAMS, `$1${REDACTED}`);
  const userInfo = rest.slice(0, at);
  const colon = userInfo.indexOf(':');
  const shown = colon === -1 ? REDACTED : `${userInfo.slice(0, colon)}:${REDACTED}`;
  return `${scheme}${shown}${rest.slice(at).replace(SECRET_PARAMS, `$1${REDACTED}`)}`;
}

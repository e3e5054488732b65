/**
 * Splitting a connection URL (`postgres://`, `redis://`, `mongodb://`…) into scheme, user info, hosts and the rest,
 * refusing any URL whose user info cannot be read unambiguously. Drivers parse these URLs with the WHATWG rules,
 * which end the authority at the first `/`, `?` or `#` and take the host after the last `@` before it: a password
 * holding an unencoded `@`, `/`, `?` or `#` then silently sends the driver to a host made of part of the password.
 */

/** A URL split at its authority. `hosts` is `host[:port]`, or a comma-separated list of them (MongoDB). */
export interface UrlParts {
  /** `scheme://`, as written. */
  readonly scheme: string;
  /** Everything before the `@` of the authority (`user` or `user:password`), or `undefined` without an `@`. */
  readonly userInfo: string | undefined;
  readonly hosts: string;
  /** Path, query and fragment, as written (starts with `/`, `?` or `#`, or is empty). */
  readonly tail: string;
}

/**
 * Why a URL cannot be used: `shape` (not `scheme://…`), `user-info` (an `@`, `/`, `?`, `#` or a bad `%` escape
 * makes the user info ambiguous: the password must be percent-encoded), `host` (an empty host or a bad port).
 */
export type UrlProblem = 'shape' | 'user-info' | 'host';

const SCHEME = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/is;
/** A `%` not starting a `%XY` escape. */
const BAD_ESCAPE = /%(?![0-9a-f]{2})/i;
const PORT = /^\d{1,5}$/;

/**
 * Split `url`, or say why its user info or host cannot be read unambiguously. The rules:
 * - at most one `@` in the authority (the part before the first `/`, `?` or `#`);
 * - with user info, no `@` anywhere after the authority either (a password holding `@` and `/`, `?` or `#` would
 *   read that way), and no `%` that does not start a `%XY` escape in it;
 * - without user info, an `@` after the authority is allowed only inside a query parameter's value
 *   (`?application_name=a@b`), never in the path, and then the authority must be valid hosts;
 * - every host is non-empty, and a port is 1–65535.
 *
 * So `postgres://u:p@h/db?x=a@b` is refused (percent-encode the query's `@` as `%40`: drivers decode it), while
 * `postgres://h/db?x=a@b` is accepted.
 */
export function splitUrl(url: string): UrlParts | UrlProblem {
  const match = SCHEME.exec(url);
  if (match === null) return 'shape';
  const scheme = match[1] ?? '';
  const rest = match[2] ?? '';
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const tail = rest.slice(authority.length);
  const at = authority.indexOf('@');
  if (at !== -1) {
    if (authority.slice(at + 1).includes('@') || tail.includes('@')) return 'user-info';
    const userInfo = authority.slice(0, at);
    if (BAD_ESCAPE.test(userInfo)) return 'user-info';
    const hosts = authority.slice(at + 1);
    return validHosts(hosts) ? { scheme, userInfo, hosts, tail } : 'host';
  }
  if (tail.includes('@')) {
    const queryStart = tail.search(/[?#]/);
    const path = queryStart === -1 ? tail : tail.slice(0, queryStart);
    // `u:pa/ss@h` or `u:pa?ss@h`: the `@` after the authority ends a password.
    if (path.includes('@') || !atsInValuesOnly(tail.slice(path.length)) || !validHosts(authority)) return 'user-info';
  }
  return validHosts(authority) ? { scheme, userInfo: undefined, hosts: authority, tail } : 'host';
}

/** Every `@` of a query (and fragment) lies in a parameter's value: after an `=` in its `&`/`;`-separated pair. */
function atsInValuesOnly(query: string): boolean {
  return query.split(/[?&;#]/).every((pair) => {
    const equals = pair.indexOf('=');
    return !pair.includes('@') || (equals !== -1 && equals < pair.indexOf('@'));
  });
}

/** `host[:port]` or a comma-separated list of them: each host non-empty (`[…]` for IPv6), each port 1–65535. */
function validHosts(hosts: string): boolean {
  return hosts.split(',').every((entry) => {
    const ipv6 = /^(\[[^\]]+\])(?::(.*))?$/.exec(entry);
    const colon = entry.indexOf(':');
    const name = ipv6 !== null ? ipv6[1] : colon === -1 ? entry : entry.slice(0, colon);
    const port = ipv6 !== null ? ipv6[2] : colon === -1 ? undefined : entry.slice(colon + 1);
    if (name === undefined || name === '' || (ipv6 === null && /[[\]]/.test(name))) return false;
    return port === undefined || (PORT.test(port) && Number(port) >= 1 && Number(port) <= 65_535);
  });
}

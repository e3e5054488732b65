import type { MongoClientOptions } from 'mongodb';

/**
 * The timeouts of a client the repository creates from a `url`, unless the URL or `clientOptions` set them, so that
 * every call settles with `UnavailableError` within a known bound (the driver's own defaults wait 30 s to report an
 * unreachable server, and without a socket timeout an operation on a frozen server never ends):
 * - `serverSelectionTimeoutMS` 5 s: how long a call waits for a usable server (down, unreachable, no primary);
 * - `connectTimeoutMS` 10 s: one TCP + TLS + handshake attempt;
 * - `socketTimeoutMS` 30 s: how long an operation waits for the server's answer (a frozen server, a lost network).
 * A client you pass in (`client`) is used as you configured it.
 */
export const DEFAULT_TIMEOUTS = {
  serverSelectionTimeoutMS: 5_000,
  connectTimeoutMS: 10_000,
  socketTimeoutMS: 30_000,
} as const satisfies MongoClientOptions;

/**
 * `clientOptions` with {@link DEFAULT_TIMEOUTS} for any timeout that neither they nor the URL's query string set
 * (the driver lets object options override the URL's, so a default must not be passed when the URL has one).
 */
export function withDefaultTimeouts(url: string, clientOptions: MongoClientOptions = {}): MongoClientOptions {
  const inUrl = urlOptionNames(url);
  const defaults: MongoClientOptions = {};
  for (const [name, value] of Object.entries(DEFAULT_TIMEOUTS)) {
    const given = (clientOptions as Record<string, unknown>)[name];
    if (given === undefined && !inUrl.has(name.toLowerCase())) Object.assign(defaults, { [name]: value });
  }
  return { ...defaults, ...clientOptions };
}

/** The option names in a connection string's query, lower-cased (the driver reads them case-insensitively). */
function urlOptionNames(url: string): Set<string> {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  return new Set([...new URLSearchParams(query).keys()].map((name) => name.toLowerCase()));
}

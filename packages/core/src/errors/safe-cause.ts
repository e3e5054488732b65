/**
 * Printable copies of driver errors. A driver error can carry secrets far from its message — ioredis keeps the
 * `AUTH` command's arguments (the password) on `error.command.args`, others keep their connection options — and a
 * structured logger that serialises `cause` prints them. So a `FluxiblyError` never keeps a foreign error as it is:
 * its `cause` is a {@link safeCause} copy that holds only plain, non-secret facts.
 */

const REDACTED = '***';

/** Own properties a copy keeps, when they are strings, numbers, booleans or arrays of strings. */
const KEPT_FIELDS = [
  'code',
  'errno',
  'syscall',
  'address',
  'port',
  'codeName',
  'errorLabels',
  'severity',
  'routine',
  'constraint',
] as const;

/** `scheme://userinfo@` — everything up to the last `@` before the next whitespace counts as user info (not in `file:` URLs: stack frames). */
const URL_USERINFO = /(?<![a-z0-9+.-])(?!file:)([a-z][a-z0-9+.-]*:\/\/)\S*@/gi;
/** `password=…`, `pwd: …`, `secret=…` and the like, in any text. */
const SECRET_PAIR =
  /((?:pass(?:word)?|pwd|secret|token|api[-_]?key|credentials?)\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,)]+)/gi;

const MAX_DEPTH = 4;

/** `text` with URL user info, `password=…`-style pairs and every given secret replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(URL_USERINFO, `$1${REDACTED}@`).replace(SECRET_PAIR, `$1${REDACTED}`);
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && encoded.length > 0) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

/** A copy of an error that `String()`, `util.inspect` and `JSON.stringify` may print: no secret anywhere in it. */
export class SafeCause extends Error {
  constructor(name: string, message: string, stack: string | undefined) {
    super(message);
    this.name = name;
    if (stack === undefined) delete this.stack;
    else this.stack = stack;
  }

  /** Plain JSON with the kept facts (an `Error`'s own `toJSON` would be `{}` in most loggers). */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) json[key] = value;
    return json;
  }
}

function keptValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrubSecrets(value, secrets);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.map((item: string) => scrubSecrets(item, secrets));
  }
  return undefined;
}

function read(error: object, key: string): unknown {
  try {
    return (error as Record<string, unknown>)[key];
  } catch {
    return undefined; // a getter that throws on a half-built driver error
  }
}

function copy(error: unknown, secrets: readonly string[], depth: number): SafeCause | undefined {
  if (error === undefined || error === null) return undefined;
  if (error instanceof SafeCause) return error;
  if (typeof error !== 'object') {
    const text = typeof error === 'string' ? error : typeof error;
    return new SafeCause('Error', scrubSecrets(text, secrets), undefined);
  }
  const rawName = read(error, 'name');
  const rawMessage = read(error, 'message');
  const name = typeof rawName === 'string' ? scrubSecrets(rawName, secrets) : 'Error';
  const message = typeof rawMessage === 'string' ? scrubSecrets(rawMessage, secrets) : '';
  const rawStack = read(error, 'stack');
  // The stack's first lines repeat the message; its frames name files only.
  const stack = typeof rawStack === 'string' ? scrubSecrets(rawStack, secrets) : undefined;
  const safe = new SafeCause(name, message, stack);
  for (const key of KEPT_FIELDS) {
    const value = keptValue(read(error, key), secrets);
    if (value !== undefined) Object.defineProperty(safe, key, { value, enumerable: true });
  }
  if (depth < MAX_DEPTH) {
    const inner = copy(read(error, 'cause'), secrets, depth + 1);
    if (inner !== undefined) Object.defineProperty(safe, 'cause', { value: inner, enumerable: false });
    const errors = read(error, 'errors'); // AggregateError (e.g. ECONNREFUSED on ::1 and 127.0.0.1)
    if (Array.isArray(errors)) {
      const copies = errors.slice(0, 8).map((item: unknown) => copy(item, secrets, depth + 1));
      Object.defineProperty(safe, 'errors', { value: copies, enumerable: true });
    }
  }
  return safe;
}

/**
 * A printable copy of `error` for a `FluxiblyError`'s `cause`: an `Error` with the same `name`, `message` and
 * stack frames, the plain facts `code`, `errno`, `syscall`, `address`, `port`, `codeName`, `errorLabels`,
 * `severity`, `routine` and `constraint`, and a copy of its own `cause` and `errors` — nothing else (no command
 * arguments, no connection options). URL user info, `password=…` pairs and each of `secrets` (also
 * percent-encoded) are replaced by `***` in every string kept. A `FluxiblyError`'s own `cause` goes through this.
 */
export function safeCause(error: unknown, secrets: readonly string[] = []): Error | undefined {
  return copy(error, secrets, 0);
}

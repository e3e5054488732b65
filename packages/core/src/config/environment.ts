import { ValidationError } from '../errors/errors.js';
import { describeValue } from '../validation/primitives.js';
import { INSPECT } from './redact.js';
import type { Environment } from './types.js';

/** Snapshots made here: protecting a protected config again keeps its snapshot rather than copying it. */
const SNAPSHOTS = new WeakSet<object>();

/**
 * A frozen snapshot of `env` (its string values) for a config's `env`, which prints only how many variables it
 * holds (`JSON.stringify`, `util.inspect`, `console.log`): the environment may hold any secret of the process.
 * @throws ValidationError naming `env` when it is not an object.
 */
export function snapshotEnvironment(env: unknown): Environment {
  if (typeof env === 'object' && env !== null && SNAPSHOTS.has(env)) return env as Environment;
  if (typeof env !== 'object' || env === null || Array.isArray(env)) {
    throw new ValidationError('env', `must be an object of variable names to strings, got ${describeValue(env)}`);
  }
  const snapshot: Record<string | symbol, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') snapshot[name] = value;
  const printable = `[Environment: ${Object.keys(snapshot).length} variables, not shown]`;
  const hidden = (value: unknown): PropertyDescriptor => ({ value, enumerable: false });
  const print = hidden(() => printable);
  Object.defineProperties(snapshot, { toJSON: print, toString: print, [INSPECT]: print });
  SNAPSHOTS.add(Object.freeze(snapshot));
  return snapshot as Environment;
}

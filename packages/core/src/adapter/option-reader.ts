import { ValidationError } from '../errors/errors.js';
import { isPlainObject } from '../validation/json.js';
import { describeValue } from '../validation/primitives.js';

/** The longest timer Node.js keeps (about 24.8 days); a longer `setTimeout` fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Reads an adapter's options object. Every reader checks the value's type and range and throws a
 * `ValidationError` whose `field` is the option's name (`commandTimeoutMs: must be …`), never quoting a secret:
 * values are described by type (`a string`), not shown, except numbers and booleans.
 */
export class OptionReader {
  readonly #options: Readonly<Record<string, unknown>>;

  /** @throws ValidationError naming `what` when `options` is neither `undefined` nor a plain object. */
  constructor(options: unknown, what = 'options') {
    if (options !== undefined && !isPlainObject(options)) {
      throw new ValidationError(what, `must be an object, got ${describeValue(options)}`);
    }
    this.#options = options ?? {};
  }

  /** The raw value (for options whose type only the adapter can check, such as a driver client). */
  raw(name: string): unknown {
    return this.#options[name];
  }

  /** A string option; `undefined` when absent. */
  string(
    name: string,
    rules: { allowEmpty?: boolean; maxLength?: number; pattern?: RegExp; hint?: string } = {},
  ): string | undefined {
    const value = this.#options[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new ValidationError(name, `must be a string, got ${describeValue(value)}`);
    if (rules.allowEmpty !== true && value.length === 0) throw new ValidationError(name, 'must not be empty');
    if (rules.maxLength !== undefined && value.length > rules.maxLength) {
      throw new ValidationError(name, `must be at most ${rules.maxLength} characters`);
    }
    if (rules.pattern !== undefined && !rules.pattern.test(value)) {
      throw new ValidationError(name, rules.hint ?? `must match ${String(rules.pattern)}`);
    }
    return value;
  }

  /** A boolean option; `fallback` when absent. */
  boolean(name: string, fallback: boolean): boolean {
    const value = this.#options[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean')
      throw new ValidationError(name, `must be true or false, got ${describeValue(value)}`);
    return value;
  }

  /** An integer option in `[min, max]`; `fallback` when absent. */
  integer(name: string, range: { min: number; max: number; fallback: number }): number {
    const value = this.#options[name];
    if (value === undefined) return range.fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < range.min || value > range.max) {
      throw new ValidationError(
        name,
        `must be an integer from ${range.min} to ${range.max}, got ${describeValue(value)}`,
      );
    }
    return value;
  }

  /** A finite number in `[min, max]` (fractions allowed); `fallback` when absent (`undefined` if none given). */
  number(name: string, range: { min: number; max: number; fallback: number }): number;
  number(name: string, range: { min: number; max: number }): number | undefined;
  number(name: string, range: { min: number; max: number; fallback?: number }): number | undefined {
    const value = this.#options[name];
    if (value === undefined) return range.fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < range.min || value > range.max) {
      throw new ValidationError(
        name,
        `must be a number from ${range.min} to ${range.max}, got ${describeValue(value)}`,
      );
    }
    return value;
  }

  /**
   * A duration in milliseconds: a finite number from `min` (default 1) to `max` (default about 24.8 days, the
   * longest timer Node.js keeps); `fallback` when absent. `0` is allowed only when `min` is 0 (by convention: no
   * limit).
   */
  durationMs(name: string, fallback: number, bounds: { min?: number; max?: number } = {}): number {
    const min = bounds.min ?? 1;
    const max = Math.min(bounds.max ?? MAX_TIMER_MS, MAX_TIMER_MS);
    const value = this.#options[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new ValidationError(
        name,
        `must be a number of milliseconds from ${min} to ${max}, got ${describeValue(value)}`,
      );
    }
    return value;
  }

  /** One of `values`; `fallback` when absent (`undefined` if none given). */
  oneOf<const T extends string>(name: string, values: readonly T[], fallback: T): T;
  oneOf<const T extends string>(name: string, values: readonly T[]): T | undefined;
  oneOf<const T extends string>(name: string, values: readonly T[], fallback?: T): T | undefined {
    const value = this.#options[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      throw new ValidationError(name, `must be one of ${values.map((v) => `'${v}'`).join(', ')}`);
    }
    return value as T;
  }
}

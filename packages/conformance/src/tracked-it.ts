import type { TestAPI } from 'vitest';

type AnyFunction = (...args: never[]) => unknown;

/**
 * vitest's `it` with every test function wrapped to call `onStart` first, so the suite knows which test (by its
 * stable id) is running — e.g. to report the raw-store checks a test could not make. `.each` and `.for` are
 * wrapped the same way; everything else (`.skip`, `.only`, …) is the plain `base`.
 */
export function trackedIt(base: TestAPI, onStart: () => void): TestAPI {
  const wrap = (fn: unknown): unknown => {
    if (typeof fn !== 'function') return fn;
    const inner = fn as AnyFunction;
    return function tracked(this: unknown, ...args: never[]): unknown {
      onStart();
      return inner.apply(this, args);
    };
  };
  const plain = (title: unknown, fn: unknown, options: unknown): void => {
    (base as unknown as (...args: unknown[]) => void)(title, wrap(fn), options);
  };
  const table =
    (kind: 'each' | 'for') =>
    (...cases: unknown[]) =>
    (title: unknown, fn: unknown, options: unknown): void => {
      const registrar = (base[kind] as unknown as (...args: unknown[]) => (...args: unknown[]) => void)(...cases);
      registrar(title, wrap(fn), options);
    };
  return new Proxy(plain, {
    get(_target, key) {
      if (key === 'each' || key === 'for') return table(key);
      return Reflect.get(base, key) as unknown;
    },
  }) as unknown as TestAPI;
}

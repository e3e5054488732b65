import type { SuiteContext } from '../context.js';

/** Every spec of the suite, in the order they appear. Each file registers one guarantee's tests. */
export const SPECS: ReadonlyArray<(context: SuiteContext) => void> = [];

export type { ConformanceOptions, SecretsTarget, SkippedTest, StoreInspector, UnavailableTarget } from './options.js';
export type { SuiteContext } from './context.js';
export { runConformanceSuite } from './suite.js';

export type {
  ConformanceOptions,
  ConformanceSkips,
  InspectUnavailable,
  SecretsTarget,
  StoreInspector,
  UnavailableTarget,
} from './options.js';
export type { SuiteContext } from './context.js';
export type { ConformanceGroup, GroupContext, TestRegistrar } from './group.js';
export type { GroupId, TestId } from './specs/index.js';
export { CONFORMANCE_GROUPS, conformanceTestIds } from './catalogue.js';
export { expectSame, expectSamePage } from './support/compare.js';
export { runConformanceSuite } from './suite.js';

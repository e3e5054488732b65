import { randomUUID } from 'node:crypto';
import type { ConversationRepository, Scope } from '@fluxibly/core';
import type { ConformanceOptions, StoreInspector } from './options.js';

/** What every spec file receives. Specs register `describe`/`it` blocks; they never name an adapter. */
export interface SuiteContext<R extends ConversationRepository = ConversationRepository> {
  readonly options: ConformanceOptions<R>;
  /** The repository most tests use (made once by `options.create()` for the suite). */
  repo(): R;
  /** Another instance over the same store (its own connection); closed by the suite at the end. */
  extraRepo(): Promise<R>;
  /** The inspector for the shared repository, or `undefined` when the adapter gives none. */
  inspector(): StoreInspector | undefined;
  /** A fresh, never-used `{ orgId, userId }` (UUIDs), so tests are independent on a shared database. */
  newScope(): Scope;
  /** Scale factor for heavy tests (`options.intensity`, default 1). */
  readonly intensity: number;
}

/** A fresh random id with a readable prefix. */
export function freshId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** A fresh scope. */
export function freshScope(): Scope {
  return { orgId: freshId('org'), userId: freshId('user') };
}

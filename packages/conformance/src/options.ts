import type { ConversationRepository, RepositoryCapabilities } from '@fluxibly/core';

/** Raw, adapter-independent read access to what a backend really stored, bypassing the adapter's read path. */
export interface StoreInspector {
  /**
   * Everything stored for one organisation — threads and messages, as the backend holds them — as a JSON-able
   * value in a stable order. Two snapshots are equal exactly when nothing for that org was written in between.
   */
  snapshot(orgId: string): Promise<unknown>;
  /** The `seq` of every message stored for a thread, ascending, read from the backend directly. */
  messageSeqs(threadId: string): Promise<number[]>;
}

/** A repository whose backend cannot be reached, to check that failures are `UNAVAILABLE` and leak no secret. */
export interface UnavailableTarget<R extends ConversationRepository = ConversationRepository> {
  /** A repository pointed at a backend that does not answer (e.g. a closed loopback port, a stopped server). */
  create(): Promise<R>;
  /** A password used in its connection settings: it must appear in no error message. */
  secret?: string;
  /** Whether each error carries the driver's error as `cause` (default true; an in-process store has none). */
  driverCause?: boolean;
}

/** A test the target cannot run, skipped with the reason (shown by vitest as the skip note). */
export interface SkippedTest {
  /** Matched against the test's full name (`describe` titles and the test title, joined by ` > `). */
  test: RegExp;
  /** Why it cannot run on this target, e.g. a stand-in server's known limitation. Required: no silent skips. */
  reason: string;
}

/** How the conformance suite reaches an adapter. Pass it to `runConformanceSuite`. */
export interface ConformanceOptions<R extends ConversationRepository = ConversationRepository> {
  /** Shown in the suite's title, e.g. `"postgres 15 at 127.0.0.1:5432"`. */
  name: string;
  /**
   * A new repository instance over the same store. Each call must open its own connection(s) for a real
   * backend: the suite uses several instances to prove concurrency and resumption.
   */
  create(): Promise<R>;
  /** Close an instance made by `create`. */
  destroy(repository: R): Promise<void>;
  /** The capabilities the adapter promises; the suite checks the repository declares exactly these. */
  capabilities: RepositoryCapabilities;
  /** Raw access to the store, so the suite checks what was really written (strongly recommended). */
  inspect?: (repository: R) => StoreInspector;
  /** Checks guarantee 9 for an unreachable backend: every call rejects with `UnavailableError`. Recommended. */
  unavailable?: UnavailableTarget<R>;
  /** Runs once after the whole suite (e.g. drop the schema made for the run). */
  teardown?: () => Promise<void>;
  /** Scale the heavier tests (model-based runs, concurrency). Default 1. */
  intensity?: number;
  /**
   * Tests to skip on this target, each with its reason (e.g. a wire-compatible stand-in that lacks a feature the
   * real server has). Use sparingly: a skipped test proves nothing. Default: none.
   */
  skip?: readonly SkippedTest[];
}

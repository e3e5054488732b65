import type { ConversationRepository, RepositoryCapabilities } from '@fluxibly/core';
import type { StoreInspector } from '@fluxibly/core/adapter';
import type { GroupId, TestId } from './specs/index.js';

/** Raw read access to what a backend stored: core's type, which every adapter's inspector implements. */
export type { StoreInspector };

/** A repository whose backend cannot be reached, to check that failures are `UNAVAILABLE` and leak no secret. */
export interface UnavailableTarget<R extends ConversationRepository = ConversationRepository> {
  /** A repository pointed at a backend that does not answer (e.g. a closed loopback port, a stopped server). */
  create(): Promise<R>;
  /**
   * A password used in its connection settings: it must appear nowhere in any error (message, stack, `inspect`,
   * JSON, the whole `cause` chain). For the full check of every printable surface, give `secrets` as well.
   */
  secret?: string;
  /** Whether each error carries the driver's error as `cause` (default true; an in-process store has none). */
  driverCause?: boolean;
}

/**
 * Repositories whose connection settings hold a secret (guarantee 9: secrets are never printed). Each factory
 * returns a NEW repository, configured like a user would (a connection URL with `secret` as its password); the
 * suite checks that `secret` — as it is and percent-encoded — appears in no printable surface: the repository
 * itself (`String`, `util.inspect` at any depth, with hidden properties, `JSON.stringify`), and every error of
 * every method with its whole `cause` chain (messages, stacks, `inspect`, `JSON.stringify` of each link), before
 * and after `close()`. The suite closes every repository it gets from here.
 */
export interface SecretsTarget<R extends ConversationRepository = ConversationRepository> {
  /** The password in the connection settings of every repository below. Pick one that occurs nowhere else. */
  secret: string;
  /** A repository whose URL holds `secret` and whose server does not answer (e.g. a closed loopback port). */
  unreachable(): Promise<R>;
  /**
   * A repository whose URL holds `secret` as a WRONG password for a server that checks passwords, so every call
   * fails authentication. Omit it when the test server has no authentication (say so where you wire the suite).
   */
  authFailure?(): Promise<R>;
}

/**
 * The adapter cannot give raw reads of its store: say so, with the reason. The suite then runs without the
 * raw-store checks and prints, once, which tests did not make them.
 */
export interface InspectUnavailable {
  /** Why, e.g. `'a hosted API with no raw read access'`. Required: no silent gaps. */
  unavailable: string;
}

/**
 * Tests (by stable id, `<group>/<test>`) or whole groups (by group id) to skip on this target, each with its
 * reason: `{ 'thread-ties/equal-updated-at': 'the stand-in compares strings by UTF-16 code unit' }`. An id that
 * names no test or group is an error, so a typo cannot silently skip nothing. A parameterised test has one id for
 * all its cases. Each skip is printed once when the suite starts.
 */
export type ConformanceSkips = Readonly<Partial<Record<GroupId | TestId, string>>>;

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
  /**
   * Raw access to the store, so the suite checks what was really written (the bad-input matrix asserts the store
   * is unchanged, deletion asserts no trace remains, …). Required: an adapter that cannot give raw reads passes
   * `{ unavailable: 'why' }`, and the suite prints which raw-store checks it did not make.
   */
  inspect: ((repository: R) => StoreInspector) | InspectUnavailable;
  /** Checks guarantee 9 for an unreachable backend: every call rejects with `UnavailableError`. Recommended. */
  unavailable?: UnavailableTarget<R>;
  /**
   * Checks that a connection secret is never printed (see {@link SecretsTarget}). Give it for every adapter that
   * connects with credentials; when absent, the suite reports the secrets spec as not run (one skipped test).
   */
  secrets?: SecretsTarget<R>;
  /**
   * The groups to run, by id (see `CONFORMANCE_GROUPS`), in the suite's own order whatever the order here.
   * Default: every group. An unknown id is an error.
   */
  groups?: readonly GroupId[];
  /**
   * Runs once after each group that ran (its `afterAll`), with the group's id: e.g. drop what the group stored.
   * Groups keep their fixtures to themselves, so nothing stored by an earlier group is needed by a later one.
   */
  cleanup?: (group: GroupId) => Promise<void> | void;
  /** Runs once after the whole suite (e.g. drop the schema made for the run). */
  teardown?: () => Promise<void>;
  /** Scale the heavier tests (model-based runs, concurrency). Default 1. */
  intensity?: number;
  /**
   * Tests or groups to skip on this target, by stable id, each with its reason (e.g. a wire-compatible stand-in
   * that lacks a feature the real server has): see {@link ConformanceSkips}. Use sparingly: a skipped test proves
   * nothing. Default: none.
   */
  skip?: ConformanceSkips;
}

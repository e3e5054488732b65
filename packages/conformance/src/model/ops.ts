import type {
  ContentPart,
  JsonObject,
  JsonValue,
  MessageRole,
  MessageStatus,
  MetadataFilterValue,
  SummaryRange,
} from '@fluxibly/core';
import fc from 'fast-check';

/**
 * The operations of the model-based test, as plain data (so fast-check can print and shrink them). Threads,
 * messages, scopes and cursors are named by small indexes that the harness resolves at run time.
 */

/** 0 and 1: two users of one organisation; 2: a user of another organisation. */
export type ScopeRef = 0 | 1 | 2;

/** A thread: the `pick`-th known thread (mod their count; 7 means a missing id), acted on by `as`. */
export interface ThreadRef {
  pick: number;
  /** `'owner'` uses the thread's own scope; a `ScopeRef` may be another tenant (a cross-scope attempt). */
  as: 'owner' | ScopeRef;
  /** Which real instance runs the call: 0 the suite's repository, 1 a second instance. */
  via: 0 | 1;
}

/** A message: the `existing`-th message of the thread (mod count) or the `pool`-th caller id (may be absent). */
export type MessageRef = { existing: number } | { pool: number };

/** A message to append; `id` is a caller-id pool index, or `null` for a generated id. */
export interface MessageSpec {
  id: number | null;
  role: MessageRole | 'bogus';
  content: string | ContentPart[];
  metadata?: JsonObject;
  status?: MessageStatus;
  tokenCount?: number;
  summaryOf?: SummaryRange;
}

/** A compare-and-set expectation, as generated. */
export type ValueMap = Record<string, MetadataFilterValue | null>;
/** A listing filter, as generated. */
export type FilterMap = Record<string, MetadataFilterValue>;

export type Op =
  | { kind: 'createThread'; scope: ScopeRef; id: number | null; name: string; via: 0 | 1 }
  /** `count`: an `expectedMessageCount` (none, right, or off by a little), like `expected` for `lastSeq`. */
  | {
      kind: 'append';
      thread: ThreadRef;
      messages: MessageSpec[];
      expected: null | 'right' | number;
      count: null | 'right' | number;
    }
  /** `appendMessages` with `replaceAfterSeq` = the reference's `lastSeq` − `back` (−1: beyond `lastSeq`). */
  | { kind: 'replace'; thread: ThreadRef; messages: MessageSpec[]; back: number; expected: null | 'right' | number }
  /** Resend the newest `count` messages with `replaceAfterSeq` just before them: a retry of a replace. */
  | { kind: 'replayTail'; thread: ThreadRef; count: number; expected: null | 'right' | number }
  /** `truncateThread` with `afterSeq` = the reference's `lastSeq` − `back`. */
  | {
      kind: 'truncate';
      thread: ThreadRef;
      back: number;
      expected: null | 'right' | number;
      count: null | 'right' | number;
    }
  /** `transferThread` to user 0 or 1 of the thread's organisation (or, for the other organisation, its own user). */
  | { kind: 'transfer'; thread: ThreadRef; to: 0 | 1 }
  | { kind: 'eraseUser'; scope: ScopeRef; via: 0 | 1 }
  | { kind: 'patchThread'; thread: ThreadRef; patch: Record<string, JsonValue>; expected: ValueMap | null }
  | {
      kind: 'getMessages';
      thread: ThreadRef;
      limit: number | null;
      before: number | null;
      after: number | null;
      order: 'asc' | 'desc' | null;
    }
  | { kind: 'getThread'; thread: ThreadRef }
  | { kind: 'listThreads'; scope: ScopeRef; limit: number; org: boolean; via: 0 | 1; filter: FilterMap | null }
  | { kind: 'getMessage'; thread: ThreadRef; message: MessageRef }
  | {
      kind: 'edit';
      thread: ThreadRef;
      message: MessageRef;
      content: string | null;
      metadata: JsonObject | null;
      status: MessageStatus | null;
      tokenCount: number | null;
      expectedStatus: MessageStatus | null;
    }
  | { kind: 'deleteMessage'; thread: ThreadRef; message: MessageRef }
  | { kind: 'clear'; thread: ThreadRef }
  | { kind: 'fork'; thread: ThreadRef; back: number | null; id: number | null }
  | { kind: 'deleteThread'; thread: ThreadRef }
  | { kind: 'updateThread'; thread: ThreadRef; name: string | null; metadata: JsonObject | null };

/** Size of the caller-id pools (thread ids and message ids): small, so ids repeat. */
export const ID_POOL = 6;
/** `ThreadRef.pick` value that names a thread that never existed. */
export const MISSING_PICK = 7;

const scopeRef = fc.constantFrom<ScopeRef>(0, 1, 2);
const via = fc.constantFrom<0 | 1>(0, 1);
const threadRef: fc.Arbitrary<ThreadRef> = fc.record({
  pick: fc.nat(MISSING_PICK),
  as: fc.oneof({ arbitrary: fc.constant('owner' as const), weight: 6 }, { arbitrary: scopeRef, weight: 1 }),
  via,
});
const poolId = fc.option(fc.nat(ID_POOL - 1), { nil: null, freq: 2 });
/** Mostly generated ids, so batches are seldom invalid by a repeated id. */
const messageId = fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.nat(ID_POOL - 1), weight: 1 });
/** fast-check's JSON values (its type admits `undefined` members, which it never generates). */
const json = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>;
const words = fc.constantFrom('hello', 'tokyo', '漢字 😀', '"quoted" \\ $1', '', 'a b c', 'null');
const metadata: fc.Arbitrary<JsonObject> = fc.dictionary(fc.constantFrom('k', 'n', '$x', 'a.b', '__proto__'), json, {
  maxKeys: 2,
});
const content = fc.oneof(
  { arbitrary: words, weight: 3 },
  {
    arbitrary: fc.array(
      fc.oneof(
        words.map((text): ContentPart => ({ type: 'text', text })),
        fc.record({ type: fc.constant('tool-call'), toolCallId: fc.constantFrom('c1', 'c2'), input: json }),
      ),
      { maxLength: 2 },
    ),
    weight: 1,
  },
);
const status = fc.constantFrom<MessageStatus>('in_progress', 'completed', 'incomplete');
const tokenCount = fc.oneof(fc.nat(10), fc.constant(Number.MAX_SAFE_INTEGER));
const summaryOf: fc.Arbitrary<SummaryRange> = fc
  .tuple(fc.integer({ min: 1, max: 8 }), fc.nat(4))
  .map(([fromSeq, length]) => ({ fromSeq, toSeq: fromSeq + length }));
const messageSpec: fc.Arbitrary<MessageSpec> = fc.record(
  {
    id: messageId,
    role: fc.oneof(
      { arbitrary: fc.constantFrom<MessageRole>('user', 'assistant', 'system', 'tool'), weight: 30 },
      { arbitrary: fc.constant('bogus' as const), weight: 1 },
    ),
    content,
    metadata,
    status,
    tokenCount,
    summaryOf,
  },
  { requiredKeys: ['id', 'role', 'content'] },
);
/** Keys of patches, expectations and filters: few, so they meet. */
const metaKey = fc.constantFrom('k', 'n', '$x', 'a.b');
/** Values of expectations and filters; `null` only where allowed. */
const primitive = fc.constantFrom<MetadataFilterValue>(1, '1', true, 'x', 0, false);
const expectation: fc.Arbitrary<ValueMap> = fc.dictionary(metaKey, fc.option(primitive, { nil: null }), {
  minKeys: 1,
  maxKeys: 2,
});
const filter: fc.Arbitrary<FilterMap> = fc.dictionary(metaKey, primitive, { minKeys: 1, maxKeys: 2 });
const expected = fc.oneof(
  { arbitrary: fc.constant(null), weight: 3 },
  { arbitrary: fc.constant('right' as const), weight: 2 },
  { arbitrary: fc.integer({ min: -2, max: 2 }), weight: 1 },
);
const messageRef: fc.Arbitrary<MessageRef> = fc.oneof(
  { arbitrary: fc.nat(20).map((existing) => ({ existing })), weight: 3 },
  { arbitrary: fc.nat(ID_POOL - 1).map((pool) => ({ pool })), weight: 1 },
);
const cursorRef = fc.option(fc.nat(20), { nil: null, freq: 2 });

/** One random operation, weighted towards appends and reads. */
export const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('createThread' as const), scope: scopeRef, id: poolId, name: words, via }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      thread: threadRef,
      messages: fc.array(messageSpec, { minLength: 1, maxLength: 4 }),
      expected,
      count: expected,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('replace' as const),
      thread: threadRef,
      messages: fc.array(messageSpec, { minLength: 1, maxLength: 3 }),
      back: fc.integer({ min: -1, max: 4 }),
      expected,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('replayTail' as const),
      thread: threadRef,
      count: fc.integer({ min: 1, max: 3 }),
      expected,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('truncate' as const),
      thread: threadRef,
      back: fc.integer({ min: -1, max: 4 }),
      expected,
      count: expected,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      thread: threadRef,
      to: fc.constantFrom<0 | 1>(0, 1),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('eraseUser' as const), scope: scopeRef, via }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('patchThread' as const),
      thread: threadRef,
      patch: fc.dictionary(metaKey, fc.oneof(primitive, fc.constant(null), json), { maxKeys: 3 }),
      expected: fc.option(expectation, { nil: null }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('getMessages' as const),
      thread: threadRef,
      limit: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
      before: cursorRef,
      after: cursorRef,
      order: fc.constantFrom('asc' as const, 'desc' as const, null),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('getThread' as const), thread: threadRef }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('listThreads' as const),
      scope: scopeRef,
      limit: fc.integer({ min: 1, max: 4 }),
      org: fc.boolean(),
      via,
      filter: fc.option(filter, { nil: null }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('getMessage' as const), thread: threadRef, message: messageRef }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      thread: threadRef,
      message: messageRef,
      content: fc.option(words, { nil: null }),
      metadata: fc.option(metadata, { nil: null }),
      status: fc.option(status, { nil: null }),
      tokenCount: fc.option(tokenCount, { nil: null }),
      expectedStatus: fc.option(status, { nil: null, freq: 2 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('deleteMessage' as const), thread: threadRef, message: messageRef }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const), thread: threadRef }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('fork' as const),
      thread: threadRef,
      back: fc.option(fc.integer({ min: -1, max: 3 }), { nil: null }),
      id: poolId,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteThread' as const), thread: threadRef }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('updateThread' as const),
      thread: threadRef,
      name: fc.option(words, { nil: null }),
      metadata: fc.option(metadata, { nil: null }),
    }),
  },
);

/** Every run starts with two threads (one per user of the first organisation), so most operations hit one. */
export const SETUP: readonly Op[] = [
  { kind: 'createThread', scope: 0, id: null, name: 'first', via: 0 },
  { kind: 'createThread', scope: 1, id: 0, name: 'second', via: 1 },
];

import { randomUUID } from 'node:crypto';
import type { ConversationRepository, NewMessage, Scope } from '@fluxibly/core';
import type { Plan } from '../plan.js';
import { type Sample, quiesce, summarize, type Summary } from '../stats.js';
import { timeSequential } from '../stats.js';
import type { TargetSession } from '../targets/target.js';

/** W5 passes when the victim's search with the other tenant's rows takes at most this many times as long. */
export const TENANT_SEARCH_LIMIT = 2;

/** The searched word: in 2 of the victim's messages, and in every one of the other tenant's. */
const WORD = 'msg';
/** Searches timed per sample. */
const SEARCHES_PER_SAMPLE = 50;

const VICTIM: Scope = { orgId: 'bench-victim-org', userId: 'victim' };
const OTHER: Scope = { orgId: 'bench-big-org', userId: 'big' };

/** The outcome of W5 on one target. */
export interface TenantSearch {
  readonly target: string;
  /** Rows of the other tenant containing the word. */
  readonly otherRows: number;
  /** The victim's search among the other tenant's rows. */
  readonly crowded: Summary;
  /** The same search on a repository holding the victim's messages only, measured alongside. */
  readonly alone: Summary;
  readonly ratio: number;
  readonly passed: boolean;
}

/**
 * W5: a victim with 2 messages containing "msg" (and 3 without) searches for it; measured on two fresh
 * repositories of the target, in the same rounds (interleaved, rotating order): one where another tenant holds
 * `plan.tenantSearchRows` messages containing "msg", one without them. Its cost must belong to the victim: the
 * ratio crowded ÷ alone is judged against {@link TENANT_SEARCH_LIMIT}. No floor: the figure is the ratio.
 *
 * Skipped (returns the reason) when the repository does not declare `fullTextSearch`, or the target scaled its
 * plan down (a stand-in server that cannot hold the other tenant's rows in reasonable time).
 */
export async function tenantSearch(
  target: string,
  session: TargetSession,
  plan: Plan,
  scaled: boolean,
): Promise<TenantSearch | string> {
  if (scaled) return `the target scaled its plan down; W5 needs ${plan.tenantSearchRows.toLocaleString('en-US')} rows`;
  const opened: ConversationRepository[] = [];
  try {
    const crowded = await victimRepository(session, opened);
    if (crowded === null) return 'the repository does not declare fullTextSearch';
    const alone = await victimRepository(session, opened);
    if (alone === null) return 'the repository does not declare fullTextSearch';
    await fillOtherTenant(crowded.repository, plan.tenantSearchRows);
    // A first read on each (untimed): the postgres target gathers planner statistics then, as autovacuum would.
    for (const side of [crowded, alone]) await side.repository.getMessages(VICTIM, { threadId: side.threadId });
    const runs = [crowded.repository, alone.repository].map(
      (repository) => () =>
        timeSequential(plan.searchesPerRepetition, SEARCHES_PER_SAMPLE, async () => {
          const found = await repository.searchMessages(VICTIM, { query: WORD });
          if (found.length !== 2) throw new Error(`bench: W5 found ${found.length} messages, expected 2`);
        }),
    );
    const kept: Sample[][] = [[], []];
    for (let round = 0; round < plan.warmups + plan.repetitions; round++) {
      for (let k = 0; k < runs.length; k++) {
        const side = (round + k) % runs.length;
        const samples = await (runs[side] as () => Promise<Sample[]>)();
        if (round >= plan.warmups) kept[side]?.push(...samples);
      }
    }
    const [withOther, without] = kept.map(summarize) as [Summary, Summary];
    const ratio = withOther.medianNs / without.medianNs;
    return {
      target,
      otherRows: plan.tenantSearchRows,
      crowded: withOther,
      alone: without,
      ratio,
      passed: ratio <= TENANT_SEARCH_LIMIT,
    };
  } finally {
    for (const repository of opened) await repository.close();
    quiesce();
  }
}

/** A fresh repository holding the victim's thread, or `null` when it cannot search. */
async function victimRepository(
  session: TargetSession,
  opened: ConversationRepository[],
): Promise<{ repository: ConversationRepository; threadId: string } | null> {
  const repository = await session.createRepository();
  opened.push(repository);
  if (!repository.capabilities.fullTextSearch) return null;
  const thread = await repository.createThread(VICTIM, { id: randomUUID() });
  const messages: NewMessage[] = [
    { role: 'user', content: `my first ${WORD} about Tokyo` },
    { role: 'assistant', content: 'an answer without the word' },
    { role: 'user', content: `a second ${WORD} about Kyoto` },
    { role: 'assistant', content: 'another answer' },
    { role: 'user', content: 'thanks' },
  ];
  await repository.appendMessages(VICTIM, { threadId: thread.id, messages });
  return { repository, threadId: thread.id };
}

/** `rows` messages containing the word, for the other tenant, 1,000 per call over 10 threads (setup, untimed). */
async function fillOtherTenant(repository: ConversationRepository, rows: number): Promise<void> {
  const threads = await Promise.all(
    Array.from({ length: 10 }, () => repository.createThread(OTHER, { id: randomUUID() })),
  );
  for (let first = 0, t = 0; first < rows; first += 1_000, t++) {
    const messages: NewMessage[] = Array.from({ length: Math.min(1_000, rows - first) }, (_, i) => ({
      role: 'user',
      content: `${WORD} number ${first + i} of the other tenant`,
    }));
    await repository.appendMessages(OTHER, { threadId: (threads[t % threads.length] as { id: string }).id, messages });
  }
}

/** `PASS W5 tenant search (postgres): …` — the line the report prints. */
export function formatTenantSearch(result: TenantSearch, format: (ns: number) => string): string {
  return (
    `${result.passed ? 'PASS' : 'FAIL'} W5 tenant search (${result.target}): the victim's search for "${WORD}" ` +
    `(2 of its 5 messages match) ${format(result.crowded.medianNs)} (p95 ${format(result.crowded.p95Ns)}) with ` +
    `another tenant's ${result.otherRows.toLocaleString('en-US')} matching rows vs ${format(result.alone.medianNs)} ` +
    `(p95 ${format(result.alone.p95Ns)}) without, measured alongside = ×${result.ratio.toFixed(2)} ` +
    `(limit ×${TENANT_SEARCH_LIMIT})`
  );
}

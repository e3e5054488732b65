import type pg from 'pg';
import type { WorkloadSubject } from '../subject.js';
import { at, benchScope, makeMessages } from '../workloads/data.js';

/** Single appends and batches of 100 whose WAL is measured, per subject. */
const SINGLE_APPENDS = 200;
const BATCHES = 4;
const BATCH = 100;

/** WAL bytes one subject wrote per appended message, one at a time (W1's shape) and in batches (W1b's). */
interface WalCost {
  readonly single: number;
  readonly batched: number;
}

/** The server's current WAL position. */
async function walPosition(admin: pg.Pool): Promise<string> {
  const { rows } = await admin.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  return rows[0]?.lsn ?? '0/0';
}

/** WAL bytes written between two positions. */
async function walBetween(admin: pg.Pool, from: string, to: string): Promise<number> {
  const { rows } = await admin.query<{ bytes: string }>('SELECT pg_wal_lsn_diff($2, $1)::text AS bytes', [from, to]);
  return Number(rows[0]?.bytes ?? 0);
}

async function walCost(admin: pg.Pool, subject: WorkloadSubject): Promise<WalCost> {
  const scope = benchScope(0);
  const threadId = `wal-${Math.random().toString(36).slice(2)}`;
  await subject.createThread(scope, threadId);
  const singles = makeMessages(SINGLE_APPENDS);
  const start = await walPosition(admin);
  for (let i = 0; i < SINGLE_APPENDS; i++) await subject.appendOne(scope, threadId, at(singles, i));
  const middle = await walPosition(admin);
  for (let b = 0; b < BATCHES; b++) {
    await subject.appendBatch(scope, threadId, makeMessages(BATCH, SINGLE_APPENDS + b * BATCH));
  }
  const end = await walPosition(admin);
  return {
    single: (await walBetween(admin, start, middle)) / SINGLE_APPENDS,
    batched: (await walBetween(admin, middle, end)) / (BATCHES * BATCH),
  };
}

/**
 * `WAL per appended message (postgres): one at a time 2.61 kB vs floor 0.52 kB (×5.0); in batches of 100 …`: WAL
 * bytes from `pg_current_wal_lsn()` deltas around appends on a fresh repository and a fresh floor (issue 16). The
 * server is shared with nothing else during a bench run; anything else writing meanwhile would count too.
 */
export async function walReport(
  admin: pg.Pool,
  repository: WorkloadSubject,
  floor: WorkloadSubject,
  name = 'postgres',
): Promise<string> {
  const ours = await walCost(admin, repository);
  const raw = await walCost(admin, floor);
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`;
  const ratio = (a: number, b: number) => `×${(a / b).toFixed(1)}`;
  return (
    `WAL per appended message (${name}): one at a time ${kb(ours.single)} vs floor ${kb(raw.single)} ` +
    `(${ratio(ours.single, raw.single)}); in batches of ${BATCH} ${kb(ours.batched)} vs floor ${kb(raw.batched)} ` +
    `(${ratio(ours.batched, raw.batched)})`
  );
}

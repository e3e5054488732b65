import { repositorySubject } from './repository-subject.js';
import { type Sample, quiesce, summarize, type Summary } from './stats.js';
import type { WorkloadSubject } from './subject.js';
import type { TargetSession } from './targets/target.js';
import type { Repetition, Workload } from './workloads/workload.js';

/** One workload measured on an adapter and on its floor, in the same run. */
export interface Measurement {
  readonly workload: Workload;
  readonly adapter: Summary;
  readonly floor: Summary;
  /** The workload's baseline, measured on another fresh repository alongside (see `Workload.baseline`). */
  readonly baseline?: Summary;
}

/**
 * Measure a workload on a fresh repository and a fresh floor of one target (and its baseline, if any, on a
 * second fresh repository). All are prepared first, then their repetitions interleave in a rotating order
 * (adapter–floor, floor–adapter, …) so machine noise and drift are shared fairly instead of landing on whichever
 * side ran second. Each repetition forces a GC just before its clock starts (see `quiesce`).
 */
export async function measure(session: TargetSession, workload: Workload): Promise<Measurement> {
  const opened: WorkloadSubject[] = [];
  const open = async (subject: Promise<WorkloadSubject>) => {
    opened.push(await subject);
    return opened[opened.length - 1] as WorkloadSubject;
  };
  const repository = async () => repositorySubject(await session.createRepository());
  try {
    const runs: Repetition[] = [
      await workload.prepare(await open(repository())),
      await workload.prepare(await open(session.createFloor())),
    ];
    if (workload.baseline !== undefined) runs.push(await workload.baseline.prepare(await open(repository())));
    const [adapter, floor, baseline] = (await interleave(runs, workload.warmups, workload.repetitions)).map(summarize);
    if (adapter === undefined || floor === undefined) throw new Error('bench: missing samples');
    return { workload, adapter, floor, ...(baseline === undefined ? {} : { baseline }) };
  } finally {
    for (const subject of opened) await subject.close();
    quiesce();
  }
}

/** Run `warmups + repetitions` rounds of every run, rotating which goes first; keep the timed rounds' samples. */
async function interleave(runs: readonly Repetition[], warmups: number, repetitions: number): Promise<Sample[][]> {
  const kept = runs.map((): Sample[] => []);
  for (let round = 0; round < warmups + repetitions; round++) {
    for (let k = 0; k < runs.length; k++) {
      const side = (round + k) % runs.length;
      const samples = await (runs[side] as Repetition)();
      if (round >= warmups) kept[side]?.push(...samples);
    }
  }
  return kept;
}

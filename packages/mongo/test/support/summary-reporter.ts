import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints ONE line at the end of the run naming the target and every skipped test's reason, so a green run on the
 * stand-in is never mistaken for coverage on real MongoDB.
 */
export default class TargetSummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const target = process.env.FLUXIBLY_MONGO_TARGET ?? 'unknown target';
    const reasons = new Map<string, number>();
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state !== 'skipped') continue;
        skipped += 1;
        const reason =
          result.note ?? 'skipped by the conformance plan (each reason is a [conformance] skip line above)';
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
    const why = [...reasons].map(([reason, count]) => `${count}× ${reason}`).join('; ');
    process.stdout.write(
      `[@fluxibly/mongo] target: ${target} — ${skipped} tests skipped${skipped > 0 ? `: ${why}` : ''}\n`,
    );
  }
}

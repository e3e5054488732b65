import { describe } from 'vitest';
import { IN_CI, probeServer } from './database.js';

/**
 * `describe` when the PostgreSQL server answers; otherwise a one-line skip locally, and a failure under
 * `CI=true`. Prints the target once per file.
 */
export async function describeWithServer(title: string, body: () => void): Promise<void> {
  const probe = await probeServer();
  if ('reason' in probe) {
    if (IN_CI) throw new Error(probe.reason);
    describe.skip(`${title} (skipped: ${probe.reason})`, body);
    return;
  }
  console.log(`${title}: ${probe.target}`);
  describe(title, body);
}

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The Redis Cluster suite without `REDIS_CLUSTER_NODES`: locally a skip that prints its one-line reason; under
 * `CI=true` a failed run. Runs vitest on `cluster.test.ts` in a child process (no server needed).
 */
const packageDir = fileURLToPath(new URL('..', import.meta.url));

function runClusterSuite(ci: boolean): { status: number | null; output: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.REDIS_CLUSTER_NODES;
  delete env.CI;
  if (ci) env.CI = 'true';
  const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/cluster.test.ts'], {
    cwd: packageDir,
    env,
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the cluster suite without REDIS_CLUSTER_NODES', () => {
  it('locally: skipped, with a one-line reason in the output', () => {
    const { status, output } = runClusterSuite(false);
    expect(status).toBe(0);
    expect(output).toContain('redis cluster conformance: skipped, REDIS_CLUSTER_NODES is not set');
  });

  it('under CI=true: the run fails, naming the reason', () => {
    const { status, output } = runClusterSuite(true);
    expect(status).not.toBe(0);
    expect(output).toContain('REDIS_CLUSTER_NODES is not set (required when CI=true)');
  });
});

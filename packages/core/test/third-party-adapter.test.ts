import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A third party's adapter package (`fixtures/third-party-adapter`, named `@acme/fluxibly-fixture`) selected from an
 * application whose only dependencies are `@fluxibly/core` and that package: a temporary directory whose
 * node_modules links exactly those two, run by a separate `node` (tsx loads core's TypeScript source, by the
 * workspace's `@fluxibly/source` condition, so no build is needed).
 */
const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const CORE = path.resolve(here, '..');
const FIXTURE = path.resolve(here, '../../../fixtures/third-party-adapter');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** The adapter's own variable, which must reach it and must never be printed with the config. */
const LABEL = 'fixture-label-9c41e';
/** Another variable of the environment: never printed either. */
const SECRET = 'unrelated-secret-77ab';

const app = mkdtempSync(path.join(tmpdir(), 'fluxibly-third-party-app-'));
afterAll(() => rmSync(app, { recursive: true, force: true }));
const link = (name: string, target: string): void => {
  const at = path.join(app, 'node_modules', ...name.split('/'));
  mkdirSync(path.dirname(at), { recursive: true });
  symlinkSync(target, at, 'dir');
};
const dependencies = { '@fluxibly/core': 'workspace', '@acme/fluxibly-fixture': 'workspace' };
writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', type: 'module', dependencies }));
link('@fluxibly/core', CORE);
link('@acme/fluxibly-fixture', FIXTURE);
writeFileSync(
  path.join(app, 'main.mjs'),
  `import { inspect } from 'node:util';
import { StateConfig, createRepository } from '@fluxibly/core';

const config = StateConfig.fromEnv();
const options =
  process.argv[2] === 'adapters' ? { adapters: { fixture: () => import('@acme/fluxibly-fixture') } } : {};
try {
  const repository = await createRepository(config.database, options);
  const printed = [config, config.database, repository.config].flatMap((value) => [
    JSON.stringify(value),
    String(value),
    inspect(value, { showHidden: true, depth: null }),
  ]);
  await repository.close();
  console.log(JSON.stringify({ label: repository.label, backend: repository.config.backend, closed: repository.closed, printed }));
} catch (error) {
  console.log(JSON.stringify({ error: { name: error.name, code: error.code, field: error.field, message: error.message } }));
}
`,
);

/** Run the application with `env` as its whole environment (and PATH) and read what it reports. */
async function runApp(env: Record<string, string>, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=@fluxibly/source', '--import', TSX, 'main.mjs', ...args],
    { cwd: app, env: { PATH: process.env.PATH ?? '', ...env } },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('a third-party adapter package, from an app that has only core and it', () => {
  it('DB_BACKEND=@acme/fluxibly-fixture: createRepository imports it, and it reads its own variable', async () => {
    const report = await runApp({ DB_BACKEND: '@acme/fluxibly-fixture', ACME_FIXTURE_LABEL: LABEL, OTHER: SECRET });
    expect(report).toMatchObject({ label: LABEL, backend: '@acme/fluxibly-fixture', closed: true });
    for (const printed of report.printed as string[]) {
      expect(printed).not.toContain(LABEL);
      expect(printed).not.toContain(SECRET);
    }
  });

  it('DB_BACKEND=fixture with createRepository(config, { adapters: { fixture: () => import(…) } })', async () => {
    const report = await runApp({ DB_BACKEND: 'fixture', ACME_FIXTURE_LABEL: LABEL, OTHER: SECRET }, 'adapters');
    expect(report).toMatchObject({ label: LABEL, backend: 'fixture', closed: true });
    for (const printed of report.printed as string[]) expect(printed).not.toContain(LABEL);
  });

  it("the adapter's own variable missing is its ValidationError naming that variable", async () => {
    const report = await runApp({ DB_BACKEND: '@acme/fluxibly-fixture' });
    expect(report.error).toMatchObject({ name: 'ValidationError', field: 'ACME_FIXTURE_LABEL' });
  });

  it('a package the app did not install is the "npm install" UnsupportedError', async () => {
    const report = await runApp({ DB_BACKEND: '@acme/fluxibly-sqlite' });
    expect(report.error).toMatchObject({
      name: 'UnsupportedError',
      message: 'DB_BACKEND=@acme/fluxibly-sqlite needs @acme/fluxibly-sqlite: npm install @acme/fluxibly-sqlite',
    });
  });
});

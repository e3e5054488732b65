#!/usr/bin/env node
// `check:package` of every published package: pack it with npm and with pnpm (each runs the package's prepack),
// then read the manifest from each tarball and check it as a user would receive it:
// - no export target (nor main/module/types) under `src/`, and no `development` or `@fluxibly/source` condition;
// - every target file is in the tarball;
// - no `workspace:` dependency range.
// Run in the package's directory. Exits 1 and lists every problem.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FORBIDDEN_CONDITIONS = new Set(['development', '@fluxibly/source']);
const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];

/** Every `[conditionPath, target]` of an exports map (string targets only). */
export function exportTargets(value, at = []) {
  if (typeof value === 'string') return [[at.join(' → '), value]];
  if (Array.isArray(value)) return value.flatMap((item) => exportTargets(item, at));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => exportTargets(item, [...at, key]));
}

/** The problems of a packed manifest, given the files in its tarball (paths relative to the package root). */
export function manifestProblems(manifest, files) {
  const problems = [];
  const targets = exportTargets(manifest.exports ?? {}, ['exports']);
  for (const field of ['main', 'module', 'types']) {
    if (typeof manifest[field] === 'string') targets.push([field, manifest[field]]);
  }
  for (const [where, target] of targets) {
    const file = path.posix.normalize(target);
    if (file.startsWith('src/')) problems.push(`${where}: ${target} points into src/`);
    if (!target.includes('*') && !files.has(file)) problems.push(`${where}: ${target} is not in the tarball`);
  }
  for (const [where] of exportTargets(manifest.exports ?? {}, ['exports'])) {
    const hit = where.split(' → ').find((key) => FORBIDDEN_CONDITIONS.has(key));
    if (hit !== undefined) problems.push(`${where}: the "${hit}" condition must not be published`);
  }
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, spec] of Object.entries(manifest[field] ?? {})) {
      if (String(spec).startsWith('workspace:')) problems.push(`${field}.${name}: ${spec} is not installable`);
    }
  }
  return problems;
}

function pack(client, destination) {
  mkdirSync(destination, { recursive: true });
  const args = ['pack', '--pack-destination', destination, ...(client === 'npm' ? ['--silent'] : [])];
  execFileSync(client, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(destination).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`${client} pack wrote no tarball`);
  return path.join(destination, tarball);
}

function readTarball(tarball) {
  const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
  const files = new Set(
    listing
      .split('\n')
      .filter((line) => line.startsWith('package/') && !line.endsWith('/'))
      .map((line) => line.slice('package/'.length)),
  );
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
  return { manifest, files };
}

function main() {
  const root = mkdtempSync(path.join(tmpdir(), 'fluxibly-packed-'));
  let failed = false;
  try {
    for (const client of ['npm', 'pnpm']) {
      const destination = path.join(root, client);
      const { manifest, files } = readTarball(pack(client, destination));
      const problems = manifestProblems(manifest, files);
      const label = `${manifest.name}@${manifest.version} packed by ${client}`;
      if (problems.length === 0) {
        console.log(`✓ ${label}: ${exportTargets(manifest.exports ?? {}).length} export targets, all in the tarball`);
      } else {
        failed = true;
        console.error(`✗ ${label}:\n  ${problems.join('\n  ')}`);
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  if (failed) process.exit(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();

#!/usr/bin/env node
// The manifest a package is published with, whichever client packs it (npm or pnpm), made by the package's
// `prepack` script and undone by its `postpack` script:
// - the workspace-only `@fluxibly/source` export condition (TypeScript sources, for tests and tools inside this
//   repository) is removed, so no published export points into `src/`;
// - `workspace:` dependency ranges become the real ranges (`workspace:^` → `^1.2.3`), as `pnpm publish` does.
// `strip` keeps the original beside it (`package.json.workspace`) and `restore` puts it back. Run in the package's
// directory: `node ../../scripts/publish-manifest.mjs strip|restore`.
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SOURCE_CONDITION = '@fluxibly/source';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST = 'package.json';
const BACKUP = 'package.json.workspace';
const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];

/** An exports map without the source condition (recursively). */
export function withoutSourceCondition(exports) {
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return exports;
  return Object.fromEntries(
    Object.entries(exports)
      .filter(([key]) => key !== SOURCE_CONDITION)
      .map(([key, value]) => [key, withoutSourceCondition(value)]),
  );
}

/** The version of every workspace package, by name. */
function workspaceVersions() {
  const versions = new Map();
  for (const dir of ['packages', '.']) {
    const base = path.join(ROOT, dir);
    const names = dir === '.' ? ['examples', 'bench'] : readdirSync(base);
    for (const name of names) {
      const file = path.join(base, name, MANIFEST);
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      versions.set(manifest.name, manifest.version);
    }
  }
  return versions;
}

/** `workspace:^` → `^1.2.3`, `workspace:~` → `~1.2.3`, `workspace:*` → `1.2.3`, `workspace:<range>` → `<range>`. */
function publishedRange(name, spec, versions) {
  if (!spec.startsWith('workspace:')) return spec;
  const range = spec.slice('workspace:'.length);
  const version = versions.get(name);
  if (version === undefined) throw new Error(`${name} is not a workspace package (${spec})`);
  if (range === '^' || range === '~') return `${range}${version}`;
  if (range === '*') return version;
  return range;
}

/** The manifest as published. */
export function publishedManifest(manifest, versions = workspaceVersions()) {
  const out = { ...manifest, exports: withoutSourceCondition(manifest.exports) };
  for (const field of DEPENDENCY_FIELDS) {
    if (manifest[field] === undefined) continue;
    out[field] = Object.fromEntries(
      Object.entries(manifest[field]).map(([name, spec]) => [name, publishedRange(name, spec, versions)]),
    );
  }
  return out;
}

function strip() {
  // A backup left by a pack that failed before its postpack holds the original: put it back first.
  restore();
  const text = readFileSync(MANIFEST, 'utf8');
  writeFileSync(BACKUP, text);
  // Written beside it, then renamed over it (atomic): packages are packed in parallel, and every pack reads every
  // workspace manifest (`workspaceVersions`), so none may ever see a half-written one.
  const temporary = `${MANIFEST}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(publishedManifest(JSON.parse(text)), null, 2)}\n`);
  renameSync(temporary, MANIFEST);
}

function restore() {
  if (existsSync(BACKUP)) renameSync(BACKUP, MANIFEST);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command === 'strip') strip();
  else if (command === 'restore') restore();
  else {
    console.error('usage: publish-manifest.mjs strip|restore');
    process.exit(2);
  }
}

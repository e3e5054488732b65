/* global URL, console, process */
// The published declarations must not import `better-sqlite3`: a strict consumer without `skipLibCheck` and without
// `@types/better-sqlite3` would fail with TS7016. Run after `pnpm build` (part of `check:package`).
import { readFileSync } from 'node:fs';

let failed = false;
for (const file of ['dist/index.d.ts', 'dist/index.d.cts']) {
  const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
  if (/from ['"]better-sqlite3['"]|import\(['"]better-sqlite3['"]\)/.test(text)) {
    console.error(`${file} imports 'better-sqlite3': the public types must be self-contained`);
    failed = true;
  }
}
if (failed) process.exit(1);
console.log('types are self-contained: no import of better-sqlite3 in dist/index.d.ts or dist/index.d.cts');

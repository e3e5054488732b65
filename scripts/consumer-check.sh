#!/usr/bin/env bash
# A new user's project, outside the workspace, made with npm only from `pnpm pack` tarballs of every public package:
# 1. builds and packs @fluxibly/core, memory, postgres, redis, mongo, conformance and cli into a temporary directory;
# 2. for each install order (postgres first; redis first) makes a fresh npm project and installs the adapters with
#    their drivers one `npm install` at a time, as the READMEs say, then a later, unrelated `npm install` (the dev
#    tools), and a plain `npm install`: ERESOLVE at any step fails the check;
# 3. with ioredis 6 and the `overrides` the Redis README gives, redis first then postgres, then later installs;
# 4. in orders 1 and 2, type-checks scripts/consumer/app.ts (createRepository + the typed migrateRepository) with
#    `strict` and without `skipLibCheck`, under module/moduleResolution node16 and bundler, then compiles and runs it
#    on memory.
# npm's cache makes repeated runs fast (--prefer-offline). Exits non-zero on the first failure.
# Usage: scripts/consumer-check.sh [--keep]   (--keep leaves the temporary directory for inspection)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
exec </dev/null

# The driver versions the READMEs recommend (ioredis 5: typeorm's optional peer is ioredis ^5, see packages/redis).
PG_SPEC='pg@^8.16.0'
TYPEORM_SPEC='typeorm@^1.1.1'
IOREDIS_SPEC='ioredis@^5.4.0'
MONGODB_SPEC='mongodb@^7.0.0'
# The consumer's own tools (Node 20: TypeScript 5.9, types for Node 20).
DEV_SPECS=(typescript@5.9.3 '@types/node@^20.19.0')
NPM_FLAGS=(--prefer-offline --no-audit --no-fund --loglevel=error)

WORK=$(mktemp -d -t fluxibly-consumer.XXXXXX)
if [[ ${1:-} == --keep ]]; then
  echo "keeping ${WORK}"
else
  trap 'rm -rf "$WORK"' EXIT
fi

step() { printf '\n--- %s\n' "$*"; }

step "build and pack every public package (pnpm pack: the tarballs the registry would get)"
pnpm exec turbo run build --filter='./packages/*' --output-logs=errors-only >/dev/null
mkdir -p "$WORK/tarballs"
for dir in packages/*/; do
  (cd "$dir" && pnpm pack --pack-destination "$WORK/tarballs" >/dev/null)
done
tarball() { ls "$WORK/tarballs"/fluxibly-"$1"-*.tgz; }
ls "$WORK/tarballs"
CORE=$(tarball core) MEMORY=$(tarball memory) POSTGRES=$(tarball postgres) REDIS=$(tarball redis)
MONGO=$(tarball mongo) CLI=$(tarball cli)

# npm install in project $1, one step; a failure prints npm's output and ends the check.
install() {
  local project=$1
  shift
  echo "npm install $*" | sed "s#${WORK}/tarballs/##g"
  local log
  if ! log=$(cd "$project" && npm install "${NPM_FLAGS[@]}" "$@" 2>&1); then
    printf '%s\n' "$log" >&2
    echo "✗ npm install failed in ${project##*/}" >&2
    return 1
  fi
  if grep -q ERESOLVE <<<"$log"; then
    printf '%s\n' "$log" >&2
    echo "✗ npm reported ERESOLVE (overriding a peer dependency) in ${project##*/}" >&2
    return 1
  fi
}

new_project() {
  local project="$WORK/$1"
  mkdir -p "$project"
  cp scripts/consumer/app.ts scripts/consumer/tsconfig.*.json "$project/"
  printf '{ "name": "%s", "private": true, "type": "module" }\n' "$1" >"$project/package.json"
  printf '%s\n' "$project"
}

postgres_step() { install "$1" "$CORE" "$POSTGRES" "$PG_SPEC" "$TYPEORM_SPEC"; }
redis_step() { install "$1" "$CORE" "$REDIS" "$IOREDIS_SPEC"; }
others_step() { install "$1" "$MEMORY" "$MONGO" "$MONGODB_SPEC"; }

check_project() {
  local project=$1
  install "$project" --save-dev "${DEV_SPECS[@]}"
  install "$project"
  (cd "$project" && npm ls --all >/dev/null) || { echo "✗ npm ls reports an invalid tree" >&2; return 1; }
  local versions
  versions=$(cd "$project" && node -e '
    for (const n of ["typeorm", "pg", "ioredis", "mongodb", "typescript"]) {
      process.stdout.write(`${n}@${require(`./node_modules/${n}/package.json`).version} `);
    }')
  echo "installed: ${versions}"
  echo "tsc -p tsconfig.node16.json (strict, skipLibCheck false; emits out/app.js)"
  (cd "$project" && npx tsc -p tsconfig.node16.json --noEmit false --outDir out)
  echo "tsc -p tsconfig.bundler.json (strict, skipLibCheck false)"
  (cd "$project" && npx tsc -p tsconfig.bundler.json)
  (cd "$project" && node out/app.js)
}

step "order 1: postgres first, then redis, then memory and mongo"
P1=$(new_project postgres-first)
postgres_step "$P1"
redis_step "$P1"
others_step "$P1"
check_project "$P1"

step "order 2: redis first, then postgres, then memory and mongo"
P2=$(new_project redis-first)
redis_step "$P2"
postgres_step "$P2"
others_step "$P2"
check_project "$P2"

step "order 3: ioredis 6 with the overrides the Redis README gives, redis first, then postgres, then a later install"
P3=$(new_project ioredis6-overrides)
(cd "$P3" && npm pkg set 'overrides.typeorm.ioredis=$ioredis')
install "$P3" "$CORE" "$REDIS" 'ioredis@^6.0.0'
postgres_step "$P3"
install "$P3" "$MEMORY"
install "$P3"
(cd "$P3" && npm ls --all >/dev/null && npm ls ioredis | grep -q 'typeorm@') ||
  { echo "✗ ioredis 6 with overrides: invalid tree" >&2; exit 1; }
echo "typeorm uses the app's ioredis: $(cd "$P3" && node -p 'require("./node_modules/ioredis/package.json").version')"

step "order 4: the fluxibly command with the memory adapter next to it (npx runs the bin; the CLI finds the adapter)"
P4=$(new_project cli)
install "$P4" "$CORE" "$CLI" "$MEMORY"
(cd "$P4" && npx --no-install fluxibly --help >/dev/null) || { echo "✗ fluxibly --help failed" >&2; exit 1; }
stats=$(cd "$P4" && DB_BACKEND=memory npx --no-install fluxibly stats --org acme --json)
[[ $stats == '{"backend":"memory","orgs":[{"orgId":"acme","threads":0,"messages":0,"bytes":0,"users":0}]}' ]] ||
  { echo "✗ fluxibly stats on memory printed: ${stats}" >&2; exit 1; }
echo "fluxibly runs: ${stats}"

printf '\n✓ consumer check passed: both install orders, later installs, tsc strict without skipLibCheck (node16, bundler), typed migrate, the fluxibly bin\n'

#!/usr/bin/env bash
# The GitHub workflows cannot run here, so check them: each file in .github/workflows against GitHub's workflow
# schema (action-validator, pinned in the root devDependencies; its schema is bundled, no network), then that each
# still does what the READMEs say it does. Part of `pnpm check:packages`. Exits 1 on the first problem.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

WORKFLOWS=.github/workflows
shopt -s nullglob
files=("$WORKFLOWS"/*.yml "$WORKFLOWS"/*.yaml)
((${#files[@]})) || { echo "✗ no workflow in ${WORKFLOWS}" >&2; exit 1; }
for file in "${files[@]}"; do
  if ! output=$(pnpm exec action-validator "$file" 2>&1); then
    printf '%s\n' "$output" >&2
    echo "✗ ${file} does not match the GitHub workflow schema" >&2
    exit 1
  fi
  echo "✓ ${file}: valid workflow"
done

# What each workflow must keep doing (documented in the root and Mongo READMEs).
require() {
  local file=$1 pattern=$2 what=$3
  grep -Eq -- "$pattern" "$file" || { echo "✗ ${file}: ${what} (no match for /${pattern}/)" >&2; exit 1; }
}
require "$WORKFLOWS/release.yml" '^ +uses: changesets/action@' 'publishes with the changesets action'
require "$WORKFLOWS/release.yml" '^ +id-token: write' 'grants id-token: write for npm provenance'
require "$WORKFLOWS/release.yml" "NPM_CONFIG_PROVENANCE: 'true'" 'publishes with npm provenance'
require "$WORKFLOWS/ci.yml" '^ +docker run .* mongo:8 --replSet rs0' 'runs MongoDB 8 as replica set rs0'
require "$WORKFLOWS/ci.yml" 'rs\.initiate' 'initiates the replica set'
require "$WORKFLOWS/ci.yml" 'MONGODB_URL: mongodb://' 'points the Mongo suite at the real MongoDB'
require "$WORKFLOWS/ci.yml" 'image: postgres:' 'has a PostgreSQL service container'
require "$WORKFLOWS/ci.yml" 'image: redis:' 'has a Redis service container'
require "$WORKFLOWS/ci.yml" 'run: \.ci/run' 'runs .ci/run (which starts the Redis Cluster with scripts/redis-cluster.sh)'
echo "✓ release: changesets action, npm provenance; ci: PostgreSQL, Redis, MongoDB rs0 (MONGODB_URL), .ci/run"

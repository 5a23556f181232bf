#!/usr/bin/env bash
# The one command that runs every test: installs what the tests need (PostgreSQL binaries, Chromium), then runs
# the whole suite (unit, entity, saga, end-to-end HTTP/WebSocket, browser, PostgreSQL and multi-process cluster).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-test-deps.sh
bash scripts/install-browser.sh
results="$(mktemp -d)"
status=0
dotnet test Messenger.sln -c Release --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@" || status=$?
trx="$(find "$results" -name '*.trx' | head -n 1)"
if [ -n "$trx" ]; then
  passed=$(grep -o 'passed="[0-9]*"' "$trx" | head -n 1 | tr -dc 0-9)
  failed=$(grep -o 'failed="[0-9]*"' "$trx" | head -n 1 | tr -dc 0-9)
  echo "Tests: ${passed:-0} passed, ${failed:-0} failed"
fi
rm -rf "$results"
exit $status

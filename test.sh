#!/usr/bin/env bash
# The one command that runs every test: installs what the tests need (PostgreSQL binaries, Chromium), then runs
# the whole suite (unit, entity, saga, end-to-end HTTP/WebSocket, browser, crash, PostgreSQL and multi-process cluster).
# A test that runs longer than MESSENGER_HANG_TIMEOUT (default 10m) is a hang: the run is stopped with a dump of the
# test process, so a hang fails fast instead of eating the CI budget. Prints "Tests: N passed, N failed" last and
# exits non-zero when anything failed or the run did not finish.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-test-deps.sh
bash scripts/install-browser.sh
results="$(mktemp -d)"
status=0
dotnet test Messenger.sln -c Release --logger "trx;LogFileName=results.trx" --results-directory "$results" \
  --blame-hang-timeout "${MESSENGER_HANG_TIMEOUT:-10m}" --blame-hang-dump-type mini "$@" || status=$?
trx="$(find "$results" -name '*.trx' | head -n 1)"
passed=0
failed=0
if [ -n "$trx" ]; then
  passed=$(grep -o 'passed="[0-9]*"' "$trx" | head -n 1 | tr -dc 0-9 || true)
  failed=$(grep -o 'failed="[0-9]*"' "$trx" | head -n 1 | tr -dc 0-9 || true)
fi
passed=${passed:-0}
failed=${failed:-0}
aborted=""
if [ "$status" -ne 0 ]; then
  # A hang or a crash of the test process can leave no failed result behind: say the run did not finish.
  if [ "$failed" -eq 0 ]; then aborted=" (the run did not finish: a hang, a crash of the test process or a build error)"; fi
  kept="${TMPDIR:-/tmp}/messenger-test-results-$(date +%Y%m%dT%H%M%S)"
  mv "$results" "$kept"
  echo "Test results, hang dumps and sequence files kept in $kept"
else
  rm -rf "$results"
fi
echo "Tests: ${passed} passed, ${failed} failed${aborted}"
exit $status

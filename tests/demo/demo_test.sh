#!/usr/bin/env bash
# Runs ./scripts/demo headless on the fixture broker (BATON_TEST_BOOTSTRAP_FILE)
# with the already-built binaries (BATON_BIN_DIR), under a unique topic prefix
# and run folder, until the stream has shown an assignment, an escalation and
# an outcome (at most 300 s of load); then checks the demo's output.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ -f ${BATON_TEST_BOOTSTRAP_FILE:-} ]] || { echo "BATON_TEST_BOOTSTRAP_FILE not set or missing" >&2; exit 1; }
bootstrap="$(cat "$BATON_TEST_BOOTSTRAP_FILE")"
run="$(mktemp -d "${TMPDIR:-/tmp}/baton-demo-test.XXXXXX")"
out="$run/demo.out"
prefix="demotest$$x$RANDOM."
rc=0
BATON_SKIP_SETUP=1 BATON_SKIP_BUILD=1 BATON_DEMO_DIR="$run/demo" \
  "$root/scripts/demo" --headless --fresh --bootstrap "$bootstrap" --prefix "$prefix" \
  --rate 1 --count 0 --duration 300 --until-seen ASSIGNED,ESCALATED,OUTCOME >"$out" 2>&1 || rc=$?
cat "$out"
fail() {
  echo "FAILED: $*" >&2
  for f in "$run"/demo/logs/*.log; do
    echo "--- $f (last 15 lines)" >&2
    tail -n 15 "$f" >&2
  done
  exit 1
}
[[ $rc -eq 0 ]] || fail "scripts/demo exited with $rc"
grep -qE ' ASSIGNED [^ ]+ → rep-' "$out" || fail "no assignment in the demo output"
grep -qE ' ESCALATED [^ ]+ rep-[a-z]+ → manager mgr-' "$out" || fail "no escalation in the demo output"
grep -qE ' OUTCOME ' "$out" || fail "no outcome in the demo output"
grep -q 'http://127.0.0.1:[0-9]*/metrics' "$out" || fail "the demo did not print the /metrics URLs"
grep -qE 'timeline L[0-9a-f]{4}-[0-9]{6}' "$out" || fail "the demo did not print a timeline command with a lead id"
if pgrep -f -- "--application-id baton-[a-z-]*-${prefix%.}" >/dev/null; then
  fail "services of this demo still run after it exited"
fi
rm -rf "$run"
echo "demo_headless: assignments, an escalation and an outcome shown; everything stopped"

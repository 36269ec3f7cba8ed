#!/usr/bin/env bash
# Ctrl-C stops everything the demo started and nothing else (issue 9).
#
#   demo_ctrl_c_test.sh [load|idle]
#
# Runs ./scripts/demo in its interactive mode (no --headless: it runs until
# Ctrl-C) with its own broker, in its own process group and run folder, with
# the already-built binaries (BATON_BIN_DIR). Witnesses started beforehand
# look like what the demo runs (a sleeper named baton-router, one named
# kafka.Kafka, a plain one). SIGINT goes to the demo's process group, as a
# terminal's Ctrl-C does: in mode load (default) while leads flow, once the
# stream shows an assignment; in mode idle after the load, while the demo
# waits ("press Ctrl-C to stop everything"). Then: the demo
# exits (bounded wait) with 130, the broker and the three services it
# started (named by `baton dev up`'s state file) are gone, no process is left that names its run folder or its
# process group, and every witness still runs.
set -euo pipefail
mode="${1:-load}"
[[ $mode == load || $mode == idle ]] || { echo "usage: $0 [load|idle]" >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${BATON_BIN_DIR:?BATON_BIN_DIR not set (run through ctest)}"
for b in baton baton-router baton-sla-monitor baton-feedback; do
  [[ -x $bin/$b ]] || { echo "FAILED: $bin/$b is not built" >&2; exit 1; }
done
run="$(mktemp -d "${TMPDIR:-/tmp}/baton-demo-ctrlc.XXXXXX")"
demo_dir="$run/demo"
out="$run/demo.out"
demo_pid="" witnesses=()

# pid + start time (/proc/<pid>/stat field 22): a reused pid never matches.
start_time() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null || true; }
alive() { [[ -n $2 && $(start_time "$1") == "$2" ]] && running "$1"; }
# Running and not a zombie (an unreaped child of ours still answers kill -0).
running() {
  local st
  st="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  [[ -n $st && $st != Z* ]]
}
# "pid start" of every process whose command line names the run folder.
naming_run() {
  local p
  for p in $(pgrep -f -- "$demo_dir" || true); do
    [[ $p == "$$" || $p == "$BASHPID" ]] && continue
    echo "$p $(start_time "$p")"
  done
}

# "name pid start" of each service `baton dev up` recorded in its state file.
state_services() {
  [[ -f $demo_dir/dev-state.json ]] || return 0
  python3 -c 'import json, sys
for s in json.load(open(sys.argv[1]))["services"]: print(s["name"], s["pid"], s["start_time"])' \
    "$demo_dir/dev-state.json"
}

cleanup() {
  local rc=$? p
  # Only what this test started: the demo's process group, then by pid file.
  if [[ -n $demo_pid ]] && running "$demo_pid"; then
    kill -INT -- "-$demo_pid" 2>/dev/null || true
    for _ in $(seq 1 600); do running "$demo_pid" || break; sleep 0.2; done
    kill -KILL -- "-$demo_pid" 2>/dev/null || true
  fi
  while read -r _ p s; do
    alive "$p" "$s" && kill -KILL "$p" 2>/dev/null || true
  done < <(state_services)
  [[ -d $demo_dir/kafka ]] && "$root/scripts/kafka" stop --dir "$demo_dir/kafka" >/dev/null 2>&1 || true
  for p in "${witnesses[@]}"; do { kill -KILL "$p" && wait "$p"; } 2>/dev/null || true; done
  [[ $rc -eq 0 ]] && rm -rf "$run"
  exit "$rc"
}
trap cleanup EXIT

fail() {
  echo "FAILED: $*" >&2
  echo "--- demo output (last 40 lines)" >&2
  tail -n 40 "$out" >&2 || true
  for f in "$demo_dir"/logs/*.log; do
    [[ -f $f ]] || continue
    echo "--- $f (last 10 lines)" >&2
    tail -n 10 "$f" >&2
  done
  exit 1
}

# Witnesses: unrelated processes a careless stop (pkill -f, killall) would hit.
sleep 900 &
witnesses+=($!)
bash -c 'exec -a baton-router sleep 900' &
witnesses+=($!)
bash -c 'exec -a kafka.Kafka sleep 900' &
witnesses+=($!)

# The demo as a terminal runs it: its own process group (setsid execs in
# place here: a background job of a script is not a group leader) and SIGINT
# at its default (a script's background job starts with SIGINT ignored, and
# bash cannot trap a signal ignored on entry).
extra=()
[[ $mode == idle ]] && extra=(--duration 20)
BATON_SKIP_SETUP=1 BATON_SKIP_BUILD=1 BATON_DEMO_DIR="$demo_dir" \
  setsid env --default-signal=INT "$root/scripts/demo" --fresh --rate 2 --count 0 --seed 7 \
  "${extra[@]}" >"$out" 2>&1 </dev/null &
demo_pid=$!
sleep 0.5
[[ $(ps -o pgid= -p "$demo_pid" | tr -d ' ') == "$demo_pid" ]] ||
  fail "the demo (pid $demo_pid) did not get its own process group"

# Wait (bounded) until the stream shows an assignment (and, in mode idle,
# until the load is over and the demo waits for Ctrl-C; the stream goes on
# while it waits, so on a slow machine the first assignment may come then).
ready=' ASSIGNED [^ ]+ → rep-'
[[ $mode == idle ]] && ready='press Ctrl-C to stop everything'
deadline=$((SECONDS + 420))
until grep -qE "$ready" "$out" && grep -qE ' ASSIGNED [^ ]+ → rep-' "$out"; do
  running "$demo_pid" || fail "the demo exited before showing '$ready'"
  ((SECONDS < deadline)) || fail "'$ready' not shown within 420 s"
  sleep 1
done
grep -qE ' ASSIGNED [^ ]+ → rep-' "$out" || fail "no assignment in the demo's output"

# What the demo started, recorded before Ctrl-C.
declare -A started=()
while read -r name p s; do
  alive "$p" "$s" || fail "$name (pid $p) is not running before Ctrl-C"
  started["$name"]="$p $s"
done < <(state_services)
[[ ${#started[@]} -eq 3 ]] || fail "the state file of baton dev up does not name the three services"
# The stream and (while leads flow) the generator run in the demo's process group.
pgrep -g "$demo_pid" -f -- ' tail all --pretty' >/dev/null || fail "baton tail is not running"
if [[ $mode == load ]]; then
  pgrep -g "$demo_pid" -f -- ' generate --rate' >/dev/null || fail "baton generate is not running"
fi
broker_pid="$(cat "$demo_dir/kafka/kafka.pid" 2>/dev/null || true)"
[[ -n $broker_pid ]] && running "$broker_pid" || fail "the demo's broker is not running"
started[broker]="$broker_pid $(start_time "$broker_pid")"
while read -r p s; do started["group:$p"]="$p $s"; done < <(
  for p in $(pgrep -g "$demo_pid" || true); do echo "$p $(start_time "$p")"; done)
while read -r p s; do [[ -n $p ]] && started["names-run:$p"]="$p $s"; done < <(naming_run)
echo "before Ctrl-C: ${#started[@]} processes of the demo (services, generator, tail, broker, its group)"

# Ctrl-C.
kill -INT -- "-$demo_pid"
rc=""
for _ in $(seq 1 900); do # at most 180 s: services get 45 s each (in parallel), the broker 30 s
  if ! running "$demo_pid"; then
    wait "$demo_pid" && rc=0 || rc=$?
    break
  fi
  sleep 0.2
done
[[ -n $rc ]] || fail "the demo did not exit within 180 s of Ctrl-C"
demo_pid_done="$demo_pid"
demo_pid=""
[[ $rc -eq 130 ]] || fail "the demo exited with $rc after Ctrl-C (expected 130)"
grep -q 'stopping what the demo started' "$out" || fail "the demo did not say it was stopping"

# Everything it started is gone by the time it exits.
leftover() {
  local k p s
  for k in "${!started[@]}"; do
    read -r p s <<<"${started[$k]}"
    alive "$p" "$s" && echo "$k(pid $p)"
  done
  pgrep -g "$demo_pid_done" 2>/dev/null | sed 's/^/group:/' || true
  naming_run | sed 's/^/names-run:/' || true
}
left="$(leftover)"
[[ -z $left ]] || fail "still running after the demo exited: $(echo "$left" | tr '\n' ' ')"
[[ ! -f $demo_dir/kafka/kafka.pid ]] || ! running "$(cat "$demo_dir/kafka/kafka.pid")" ||
  fail "the broker's pid file names a running process"

# Nothing else: every witness still runs.
for p in "${witnesses[@]}"; do
  running "$p" || fail "witness pid $p ($(tr '\0' ' ' </proc/$p/cmdline 2>/dev/null)) was stopped"
done
echo "demo_ctrl_c ($mode): Ctrl-C stopped the broker, the three services and the stream; the witnesses still run"

#!/usr/bin/env bash
# Backtest (issue 19): `baton-router backtest` replays captured leads through
# the current and a new config with the roster `baton roster load` reads
# (one format: `manager`; the old `manager_id` is read with a warning) and
# prints pools, reps, changed owners and unassignable leads.
# Env (set by ctest): BATON_BIN_DIR, BATON_SOURCE_DIR.
set -uo pipefail
bin=${BATON_BIN_DIR:?} src=${BATON_SOURCE_DIR:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
expect() {  # description, pattern, text
  if grep -qE -- "$2" <<<"$3"; then echo "ok: $1"; else
    echo "FAIL $1: no /$2/ in:"
    echo "$3"
    fail=1
  fi
}
cat "$src/tools/baton/samples/reps.yaml" "$src/tools/baton/samples/accounts.yaml" >"$work/roster.yaml"
python3 - "$src/tools/baton/samples/lead.json" "$work/leads.jsonl" <<'PY'
import json, sys
lead = json.load(open(sys.argv[1]))
lines = []
for i, (email, domain, region) in enumerate([("maria@northwind.de", "northwind.de", "emea"),
                                             ("li@unknown-co.cn", "unknown-co.cn", "apac"),
                                             ("sam@northwind.de", "northwind.de", "emea")]):
    x = json.loads(json.dumps(lead))
    x["envelope"].update(leadId=f"L-bt-{i}", eventId=f"e-bt-{i}",
                         eventTime=f"2026-03-03T10:0{i}:00Z")
    x["person"]["email"] = email
    x["company"].update(domain=domain, region=region)
    lines.append(json.dumps(x))
open(sys.argv[2], "w").write("\n".join(lines) + "\nnot json\n")
PY
cfg="$src/services/router/config/router.example.yaml"
out=$("$bin/baton-router" backtest --config "$cfg" --input "$work/leads.jsonl" \
  --roster "$work/roster.yaml" 2>&1)
rc=$?
[[ $rc -eq 0 ]] || { echo "FAIL backtest exit $rc: $out"; fail=1; }
expect "counts leads and skips unreadable lines" "backtest: 3 leads \(1 unreadable lines skipped\)" "$out"
expect "prints the pool table" "^pool +current +new +delta" "$out"
expect "prints the rep table" "^pool / rep +current +new +delta" "$out"
expect "same config: no owner changes" "changes:$" "$out"
expect "same config: (none) changed" "^  \(none\)" "$out"
# A new config that sends DACH leads to the general pool: the moved leads
# show in the pool tables.
sed 's/^      when: {country: \[de, at, ch\]}/      when: {country: [xx]}/' "$cfg" >"$work/new.yaml"
out=$("$bin/baton-router" backtest --current "$cfg" --config "$work/new.yaml" \
  --input "$work/leads.jsonl" --roster "$work/roster.yaml" 2>&1)
[[ $? -eq 0 ]] || { echo "FAIL backtest with a new config: $out"; fail=1; }
expect "the new config's pool counts differ" "^dach +[1-9][0-9]* +0 +-[1-9]" "$out"
expect "... and move to the general pool" "^general +0 +[1-9][0-9]* +\\+[1-9]" "$out"
expect "unassignable leads are listed with pool and tier" "^  L-bt-[0-9] \\(pool [a-z-]+, tier [a-z_]+\\)" "$out"
# The old key is read, with a warning.
sed 's/^    manager: /    manager_id: /' "$work/roster.yaml" >"$work/old.yaml"
out=$("$bin/baton-router" backtest --config "$cfg" --input "$work/leads.jsonl" \
  --roster "$work/old.yaml" 2>&1)
[[ $? -eq 0 ]] || { echo "FAIL backtest with manager_id: $out"; fail=1; }
expect "manager_id is deprecated and still read" "manager_id: deprecated, use manager" "$out"
# Bad use: exit 2 naming the problem.
out=$("$bin/baton-router" backtest --config "$cfg" --roster "$work/roster.yaml" 2>&1)
[[ $? -eq 2 ]] || { echo "FAIL missing --input: want exit 2"; fail=1; }
expect "a missing --input is named" "--input is required" "$out"
exit $fail

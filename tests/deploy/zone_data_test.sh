#!/usr/bin/env bash
# ZoneData (issue 20): a service whose zone data is missing refuses to start
# with an error naming the zone; it never falls back to UTC. Runs each
# service's --check-config against an empty zoneinfo folder.
# Env (set by ctest): BATON_BIN_DIR, BATON_SOURCE_DIR.
set -uo pipefail
bin=${BATON_BIN_DIR:?} src=${BATON_SOURCE_DIR:?}
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
fail=0
expect_refusal() {  # name, zone, command...
  local name=$1 zone=$2
  shift 2
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [[ $rc -ne 2 ]]; then
    echo "FAIL $name: exit $rc, expected 2 (invalid config): $out"
    fail=1
  elif ! grep -q "$zone" <<<"$out"; then
    echo "FAIL $name: the error does not name $zone: $out"
    fail=1
  else
    echo "ok: $name refuses to start: $(grep -m1 "$zone" <<<"$out")"
  fi
}
# The router reads zones from $TZDIR (else /usr/share/zoneinfo).
TZDIR=$empty BATON_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9 expect_refusal router Europe/Berlin \
  "$bin/baton-router" --config "$src/services/router/config/router.example.yaml" --check-config
# The sla-monitor from sla-monitor.zoneinfo_dir (else $TZDIR).
cfg="$empty.sla.yaml"
sed "s|^  zoneinfo_dir: .*|  zoneinfo_dir: $empty|" \
  "$src/services/sla-monitor/config/sla-monitor.example.yaml" >"$cfg"
BATON_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9 expect_refusal sla-monitor America/New_York \
  "$bin/baton-sla-monitor" --config "$cfg" --check-config
rm -f "$cfg"
exit $fail

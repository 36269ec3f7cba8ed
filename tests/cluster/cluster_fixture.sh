#!/usr/bin/env bash
# ctest's fixture for the ThreeBroker tests: a fresh 3-node KRaft cluster
# (scripts/kafka start --brokers 3) in DIR, and its stop.
#   cluster_fixture.sh start DIR   stop what DIR ran before, delete its data, start
#   cluster_fixture.sh stop DIR    stop every node (logs and data stay for a look)
set -euo pipefail
kafka="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/kafka"
cmd="${1:?start or stop}"
dir="${2:?DIR}"
case "$cmd" in
  start)
    [[ -f $dir/brokers ]] && "$kafka" stop --dir "$dir"
    rm -rf "$dir"
    "$kafka" start --brokers 3 --dir "$dir"
    ;;
  stop) "$kafka" stop --dir "$dir" ;;
  *) echo "usage: $0 start|stop DIR" >&2 && exit 2 ;;
esac

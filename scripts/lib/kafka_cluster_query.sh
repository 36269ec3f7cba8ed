# Questions to a cluster of scripts/kafka (--brokers N): a partition's
# leader, a transaction's or a group's coordinator, a topic's replication,
# and whether every partition is fully in sync. Sourced with
# scripts/lib/kafka_cluster.sh (it uses CLUSTER_DIR, CLUSTER_N and
# live_bootstrap there); do not run it.
# shellcheck shell=bash

# kcat's metadata (JSON) from the live nodes.
cluster_metadata() { kcat -L -J -m 5 -b "$(live_bootstrap)" "$@" 2>/dev/null; }

# leader --topic T [--partition P]: the node id of the partition's leader.
cluster_leader() {
  [[ -n $TOPIC ]] || baton_die "leader needs --topic"
  cluster_metadata -t "$TOPIC" | python3 -c '
import json, sys
md, topic, part = json.load(sys.stdin), sys.argv[1], int(sys.argv[2])
for t in md.get("topics", []):
    for p in t.get("partitions", []) if t.get("topic") == topic else []:
        if p.get("partition") == part and p.get("leader", -1) >= 0:
            print(p["leader"])
            sys.exit(0)
sys.exit("no leader for %s-%d" % (topic, part))' "$TOPIC" "${PARTITION:-0}"
}

# Runs scripts/lib/KafkaWhere.java (Kafka's Admin client, java's source
# launcher) against the live nodes; its diagnostics go to DIR/where.log.
where() {
  local bootstrap
  bootstrap="$(live_bootstrap)"
  java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$(baton_kafka_home)/libs/*" \
    "$BATON_ROOT/scripts/lib/KafkaWhere.java" "$bootstrap" "$@" 2>"$CLUSTER_DIR/where.log" || {
    grep -E 'Exception|Error' "$CLUSTER_DIR/where.log" | tail -n 2 >&2
    baton_die "no answer to '$*' (log: $CLUSTER_DIR/where.log)"
  }
}

# coordinator --transactional-id X | --group G: the coordinator's node id.
cluster_coordinator() {
  if [[ -n $TXN_ID ]]; then
    where txn "$TXN_ID"
  elif [[ -n $GROUP ]]; then
    where group "$GROUP"
  else
    baton_die "coordinator needs --transactional-id or --group"
  fi
}

# await-isr [--timeout S]: waits until every node runs as a broker, every
# live node's metadata lists the same topics, and every partition has its
# leader and its full replica set in sync (a fresh topic is then known to
# every broker).
cluster_await_isr() {
  local deadline=$((SECONDS + ${TIMEOUT:-120})) last=""
  while ((SECONDS < deadline)); do
    if last="$(python3 - "$CLUSTER_N" "$(live_bootstrap)" 2>&1 <<'PY'
import json, subprocess, sys
n, addrs = int(sys.argv[1]), sys.argv[2].split(",")
views = []
for a in addrs:
    out = subprocess.run(["kcat", "-L", "-J", "-m", "5", "-b", a], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("no metadata from " + a)
    md = json.loads(out.stdout)
    if len(md.get("brokers", [])) < n:
        sys.exit("%s lists %d/%d brokers" % (a, len(md.get("brokers", [])), n))
    views.append({t["topic"]: t.get("partitions", []) for t in md.get("topics", [])})
if len(addrs) < n:
    sys.exit("%d/%d nodes run" % (len(addrs), n))
for v in views[1:]:
    if set(v) != set(views[0]):
        sys.exit("the brokers list different topics: " + " ".join(sorted(set(v) ^ set(views[0]))[:5]))
bad = ["%s-%d" % (t, p["partition"]) for t, ps in views[0].items() for p in ps
       if p.get("leader", -1) < 0 or len(p.get("isrs", [])) < len(p.get("replicas", []))]
if bad or any(not ps for ps in views[0].values()):
    sys.exit("under-replicated or leaderless: " + " ".join(bad[:5]))
PY
    )"; then
      baton_log "every partition fully in sync on $CLUSTER_N brokers"
      return 0
    fi
    sleep 0.5
  done
  baton_die "not in sync after ${TIMEOUT:-120} s: $last"
}

# describe --topic T[,T...]: a line per topic, "T partitions=P replication=R
# min.insync.replicas=M" (R: its smallest replica set), from the Admin client.
cluster_describe() {
  [[ -n $TOPIC ]] || baton_die "describe needs --topic"
  where topic "$TOPIC"
}

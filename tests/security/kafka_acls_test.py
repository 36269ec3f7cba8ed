#!/usr/bin/env python3
"""Least-privilege Kafka: every service runs under its own principal with
exactly the ACLs of docs/security.md, and a write its ACLs refuse is
reported, never silently lost.

The test starts its own broker (scripts/kafka --security sasl_ssl_acl: TLS,
SCRAM-SHA-512, KRaft's StandardAuthorizer, allow.everyone.if.no.acl.found=
false, super user admin; users cli, router, sla-monitor, feedback), creates
the topics as admin (`baton topics create`, `baton roster load`), grants
the ACLs of docs/security.md (SERVICE_ACLS and CLI_ACLS below are that
table as data) with confluent-kafka's AdminClient, and runs the three
services (deploy/demo configs) each as its own principal under a unique
topic prefix and application ids (tests/support/py/baton_stack.py). Cases,
each reported PASS or FAIL:

  acl.visible_topics          each service principal sees exactly the
                              topics its ACLs name (metadata is filtered
                              by Describe): nothing more, nothing less;
  cli.topics_job              `baton topics create` as principal cli (Create
                              + Describe only) is idempotent;
  services.ready              the three services reach /readyz 200, creating
                              their own <application_id>-* changelog and
                              repartition topics (Create on that prefix);
  flow.lead_assigned          a LeadCaptured sent by cli (Write on
                              baton.leads.captured, no IdempotentWrite) is
                              assigned (Assignment on baton.routing.events), its
                              first-touch clock starts (SlaEvent.started) and
                              feedback tracks it (LifecycleEvent, funnel
                              metric); no service logged an authorization
                              error;
  refused.sla_output          sla-monitor loses Write on baton.sla.events;
  refused.router_dlq          the router loses Write on baton.dlq, then a bad
                              record arrives.

The refused.* cases assert the CORRECT behaviour (fail closed): the service
logs an authorization error naming the topic; it either stops with a
non-zero exit or counts the failure in a metric
(baton_transactions_total{result="aborted"}); the input is not committed
(its group's committed offset stays at or before the record) and nothing is
produced; once the ACL is granted again the record is processed exactly
once. What the services did is logged ("observed: ...").

Env: BATON_BIN_DIR (binaries), BATON_SOURCE_DIR (the repository),
BATON_TEST_ACL_KAFKA_DIR (the broker's folder; CMake sets it so a cleanup
step can stop the broker if this script dies; default: in the run's temp
folder). BATON_TEST_BOOTSTRAP_FILE (the shared test broker) is not used.
Run with the venv of scripts/setup (.cache/venv/bin/python). ctest:
security_KafkaAcls (ctest -R KafkaAcls). A passing run deletes its folder
under /tmp (BATON_KEEP_TEST_DIRS=1 keeps it).
"""
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(os.environ.get("BATON_SOURCE_DIR")
                    or pathlib.Path(__file__).resolve().parents[2])
sys.path.insert(0, str(ROOT / "tests/support/py"))

import checks  # noqa: E402
from baton_stack import SERVICES, ServiceStack, free_port, http_get, set_sla_clocks  # noqa: E402
from checks import CaseRunner, CheckFailed, check, log, set_tag  # noqa: E402
from confluent_kafka import ConsumerGroupTopicPartitions, Producer, TopicPartition  # noqa: E402
from confluent_kafka.admin import (AclBinding, AclBindingFilter, AclOperation,  # noqa: E402
                                   AclPermissionType, AdminClient, ResourcePatternType,
                                   ResourceType)

WAIT_S = 60           # one step of the flow (a loaded 2-core machine)
READY_S = 120         # the three services to /readyz 200
REFUSAL_S = 30        # a refused write to show in the log

# --- the ACLs of docs/security.md, as data ----------------------------------

# The services' topics by their default names, without the topic prefix.
T = {
    "captured": "baton.leads.captured", "signals": "baton.leads.signals",
    "reassign": "baton.routing.reassign", "routing": "baton.routing.events",
    "reps": "baton.roster.reps", "accounts": "baton.roster.accounts",
    "sla": "baton.sla.events", "activities": "baton.sales.activities",
    "crm": "baton.crm.stage-changes", "stages": "baton.lifecycle.stage-changes",
    "lifecycle": "baton.lifecycle.events", "outcomes": "baton.outcomes",
    "notifications": "baton.notifications",
    "erasure": "baton.privacy.erasure", "dlq": "baton.dlq",
    "identity": "baton-router-identity", "leads": "baton-router-leads",
    "pools": "baton-router-pool-requests",
}
# Per service: topics read (Read+Describe), written (Write+Describe), both
# (the router's internal topics), created by the service (Create; besides its
# <application_id>- prefix), and the assign-only consumers' groups
# <application_id>-<suffix> (Describe: FindCoordinator). Common to all:
# TOPIC prefixed <application_id>- (changelogs, repartition topics) Read,
# Write, Describe, Create; GROUP <application_id> Read; TRANSACTIONAL_ID
# prefixed <application_id>- Write, Describe. No cluster ACL (no
# IdempotentWrite: a transactional producer needs Write on its id only).
SERVICE_ACLS = {
    "router": {
        # No Read on routing: the router does not read its own events back.
        "read": ("captured", "signals", "reassign", "lifecycle", "erasure", "reps", "accounts"),
        "write": ("routing", "dlq"),
        "read_write": ("identity", "leads", "pools"),
        "create": ("identity", "leads"),
        "replay_groups": ("restore", "global"),
    },
    "sla-monitor": {
        "read": ("routing", "activities", "crm", "erasure", "reps"),
        "write": ("sla", "reassign", "stages", "dlq"),
        "read_write": (), "create": (),
        "replay_groups": ("restore", "global"),
    },
    "feedback": {
        "read": ("captured", "routing", "sla", "activities", "stages"),
        "write": ("lifecycle", "outcomes", "notifications", "dlq"),
        # erasure: read, and written by the retention of closed leads
        "read_write": ("erasure",), "create": (),
        "replay_groups": ("restore",),
    },
}
# The CLI / topics job (principal cli): Create+Describe on every topic of
# `baton topics create`; Write+Describe on what it sends (here: captures).
CLI_CREATES = tuple(T)  # the 16 catalog topics (identity and leads excepted below)
CLI_WRITES = ("captured",)

OP, ALLOW = AclOperation, AclPermissionType.ALLOW
LITERAL, PREFIXED = ResourcePatternType.LITERAL, ResourcePatternType.PREFIXED


def service_acls(service, prefix, app_id):
    """The AclBindings of docs/security.md for one service's principal."""
    spec = SERVICE_ACLS[service]
    out = {}

    def add(rtype, name, pattern, *ops):
        for op in ops:
            b = AclBinding(rtype, name, pattern, f"User:{service}", "*", op, ALLOW)
            out[(rtype, name, pattern, op)] = b

    for t in spec["read"]:
        add(ResourceType.TOPIC, prefix + T[t], LITERAL, OP.READ, OP.DESCRIBE)
    for t in spec["write"]:
        add(ResourceType.TOPIC, prefix + T[t], LITERAL, OP.WRITE, OP.DESCRIBE)
    for t in spec["read_write"]:
        add(ResourceType.TOPIC, prefix + T[t], LITERAL, OP.READ, OP.WRITE, OP.DESCRIBE)
    for t in spec["create"]:
        add(ResourceType.TOPIC, prefix + T[t], LITERAL, OP.CREATE)
    add(ResourceType.TOPIC, app_id + "-", PREFIXED, OP.READ, OP.WRITE, OP.DESCRIBE, OP.CREATE)
    add(ResourceType.GROUP, app_id, LITERAL, OP.READ)
    for g in spec["replay_groups"]:
        add(ResourceType.GROUP, f"{app_id}-{g}", LITERAL, OP.DESCRIBE)
    add(ResourceType.TRANSACTIONAL_ID, app_id + "-", PREFIXED, OP.WRITE, OP.DESCRIBE)
    return list(out.values())


def cli_acls(prefix):
    out = []
    for t in CLI_CREATES:
        if t in ("identity", "leads"):  # the router's, not in `baton topics create`
            continue
        for op in (OP.CREATE, OP.DESCRIBE):
            out.append(AclBinding(ResourceType.TOPIC, prefix + T[t], LITERAL, "User:cli", "*",
                                  op, ALLOW))
    for t in CLI_WRITES:
        out.append(AclBinding(ResourceType.TOPIC, prefix + T[t], LITERAL, "User:cli", "*",
                              OP.WRITE, ALLOW))
    return out


def visible_topics(service, prefix):
    """The existing topics a service's ACLs name (before its own are made)."""
    spec = SERVICE_ACLS[service]
    return {prefix + T[t] for k in ("read", "write", "read_write") for t in spec[k]}


# --- plumbing ---------------------------------------------------------------

set_tag("kafka-acls")


def wait_for(what, predicate, timeout=WAIT_S, detail=None, interval=0.5):
    """Polls predicate until truthy (its value), else CheckFailed."""
    return checks.wait_for(what, predicate, timeout, detail, interval)


def read_env_file(path):
    env = {}
    for line in pathlib.Path(path).read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            k, v = line.split("=", 1)
            env[k] = v
    return env


def librdkafka_conf(broker, user):
    return {"bootstrap.servers": (broker / "bootstrap").read_text().strip(),
            "security.protocol": "SASL_SSL", "sasl.mechanisms": "SCRAM-SHA-512",
            "sasl.username": user,
            "sasl.password": (broker / "secrets" / f"{user}.password").read_text().strip(),
            "ssl.ca.location": str(broker / "ca.pem")}


def metric(body, name, **labels):
    """Sum of the samples of one metric whose labels include `labels`."""
    total = None
    for line in body.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total = (total or 0.0) + float(line.rsplit(" ", 1)[1])
    return total


# --- the broker and the services ---------------------------------------------

class AclStack(ServiceStack):
    """The services, each with its own principal's BATON_KAFKA_* settings."""

    failure = CheckFailed

    def __init__(self, broker):
        self.broker = broker
        os.environ["BATON_TEST_BOOTSTRAP_FILE"] = str(broker / "bootstrap")
        super().__init__("acl", "baton-kafka-acls-")
        self.admin = AdminClient(librdkafka_conf(broker, "admin"))

    def topic(self, name):
        return self.prefix + T[name]

    def adjust_config(self, service, doc):
        if service == "sla-monitor":
            # No first-touch timer fires during the run: every SLA event is
            # one the test caused.
            set_sla_clocks(doc, ("30m", "60m", "90m"), ("30m", "60m"), "4h")

    def principal_env(self, user):
        return read_env_file(self.broker / f"client-{user}.env")

    def cli_as(self, user, *args, name="cli", timeout=120, ok=True):
        """`baton --prefix P args` with USER's BATON_KAFKA_* settings: (rc, stdout, stderr)."""
        argv = [str(self.bin / "baton"), "--prefix", self.prefix, "--kafka-timeout", "60", *args]
        env = {**os.environ, **self.principal_env(user)}
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
        with (self.dir / f"{name}.log").open("a") as f:
            f.write(f"$ [{user}] baton {' '.join(args)}\n{r.stdout}{r.stderr}")
        if ok and r.returncode != 0:
            raise CheckFailed(f"[{user}] baton {' '.join(args)} failed ({r.returncode}): "
                              f"{r.stderr.strip()[:500]}")
        return r.returncode, r.stdout, r.stderr

    def spawn_service(self, service, config, instance_id):
        port = self.ports.get(service) or free_port()
        self.ports[service] = port
        env = {"BATON_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap, **self.principal_env(service)}
        return self.spawn(service, [str(self.bin / f"baton-{service}"), "--config", str(config),
                                    "--instance-id", instance_id, "--admin-port", str(port),
                                    "--state-dir", str(self.dir / "state" / service),
                                    "--topic-prefix", self.prefix,
                                    "--application-id", self.app_ids[service]], env=env)

    def log_text(self, service):
        return self.procs[service][1].read_text(errors="replace")

    def metrics(self, service):
        status, body = http_get(self.url(service, "/metrics"))
        return body if status == 200 else ""

    def records(self, name, key):
        """Committed records of a topic with this key, as `baton tail` JSON (admin)."""
        _, out, _ = self.cli_as("admin", "tail", T[name], "--from-beginning", "--until-end",
                                "--key", key, "--timeout", "30", name="tail", timeout=60)
        return [json.loads(ln) for ln in out.splitlines() if ln.startswith("{")]

    def committed(self, service, topic, partition):
        group = self.app_ids[service]
        fut = self.admin.list_consumer_group_offsets(
            [ConsumerGroupTopicPartitions(group, [TopicPartition(topic, partition)])])[group]
        tps = fut.result(timeout=15).topic_partitions
        return tps[0].offset if tps else -1

    # --- ACL changes, waited for until the broker's authorizer shows them ---
    def grant(self, bindings):
        for f in self.admin.create_acls(bindings).values():
            f.result(timeout=15)
        for b in bindings:
            wait_for(f"ACL {b} to be listed", lambda b=b: self.acl_listed(b), timeout=15)

    def revoke(self, binding):
        f = AclBindingFilter(binding.restype, binding.name, binding.resource_pattern_type,
                             binding.principal, binding.host, binding.operation,
                             binding.permission_type)
        for fut in self.admin.delete_acls([f]).values():
            fut.result(timeout=15)
        wait_for(f"ACL {binding} to be gone", lambda: not self.acl_listed(binding), timeout=15)

    def acl_listed(self, b):
        f = AclBindingFilter(b.restype, b.name, b.resource_pattern_type, b.principal, b.host,
                             b.operation, b.permission_type)
        return bool(self.admin.describe_acls(f).result(timeout=15))


def run_script(argv, log_path, timeout):
    with open(log_path, "ab") as out:
        return subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=out,
                              stderr=subprocess.STDOUT, timeout=timeout).returncode


# --- the cases ----------------------------------------------------------------

class KafkaAcls(CaseRunner):
    def __init__(self, stack):
        super().__init__()
        self.s = stack
        self.observed = []

    def observe(self, msg):
        self.observed.append(msg)
        log(f"observed: {msg}")

    # --- setup ------------------------------------------------------------
    def setup(self):
        s = self.s
        out = s.cli_as("admin", "topics", "create", name="topics")[1]
        log("baton topics create (admin): " + out.strip().splitlines()[-1])
        s.cli_as("admin", "roster", "load", str(ROOT / "tools/baton/samples/reps.yaml"),
                 name="roster")
        bindings = cli_acls(s.prefix)
        for svc in SERVICES:
            bindings += service_acls(svc, s.prefix, s.app_ids[svc])
        s.grant(bindings)
        log(f"granted {len(bindings)} ACLs (docs/security.md) under prefix {s.prefix}")

    def visible(self):
        problems = []
        existing = set(self.s.admin.list_topics(timeout=15).topics)
        for svc in SERVICES:
            md = AdminClient(librdkafka_conf(self.s.broker, svc)).list_topics(timeout=15)
            seen = {t for t in md.topics if not t.startswith("__")}
            want = visible_topics(svc, self.s.prefix) & existing
            if seen != want:
                problems.append(f"{svc} sees {sorted(seen - want)} beyond its ACLs and misses "
                                f"{sorted(want - seen)}")
        check(not problems, "; ".join(problems))

    def topics_job(self):
        _, out, _ = self.s.cli_as("cli", "topics", "create", name="topics-cli")
        last = out.strip().splitlines()[-1]
        check(last.startswith("0 created"), f"baton topics create as cli: {last!r}")

    def start_services(self):
        s = self.s
        configs = s.write_configs()
        for svc in SERVICES:
            s.spawn_service(svc, configs[svc], "acl-0")

        def ready():
            s.alive()
            return all(http_get(s.url(x, "/readyz"))[0] == 200 for x in SERVICES)

        def why():
            return "; ".join(f"{x} /readyz {http_get(s.url(x, '/readyz'))[0]}, last log line: "
                             f"{(s.log_text(x).strip().splitlines() or [''])[-1][:300]}"
                             for x in SERVICES)

        wait_for("/readyz 200 from the three services", ready, timeout=READY_S, detail=why)
        md = s.admin.list_topics(timeout=15).topics
        for svc in SERVICES:
            own = sorted(t for t in md if t.startswith(s.app_ids[svc] + "-"))
            check(any(t.endswith("-changelog") for t in own)
                  and any(t.endswith("-repartition") for t in own),
                  f"{svc} made no changelog or repartition topic: {own}")
            log(f"{svc} made its own topics: {own}")

    def send_capture(self, lead):
        self.s.cli_as("cli", "send-lead", "--lead-id", lead, "--email", f"{lead}@acl.example",
                      "--company", "ACL Corp", "--domain", "acl.example", "--industry",
                      "software", "--employees", "201-1000", "--trigger", "demo_request",
                      name="send")

    def assignment(self, lead):
        return [r for r in self.s.records("routing", lead) if "assignment" in r.get("value", {})]

    def sla_started(self, lead):
        return [r for r in self.s.records("sla", lead) if "started" in r.get("value", {})]

    def lead_flow(self):
        s = self.s
        lead = f"{s.tag}-lead1"
        self.send_capture(lead)
        a = wait_for(f"an Assignment for {lead} on {s.topic('routing')}",
                     lambda: self.assignment(lead))[-1]
        owner = a["value"]["assignment"].get("ownerRepId")
        log(f"{lead} assigned to {owner} (router, principal router)")
        wait_for(f"SlaEvent.started for {lead} on {s.topic('sla')}",
                 lambda: self.sla_started(lead))
        log(f"{lead}: first-touch clock started (sla-monitor, principal sla-monitor)")
        wait_for(f"a LifecycleEvent for {lead} on {s.topic('lifecycle')}",
                 lambda: s.records("lifecycle", lead))
        wait_for("feedback's baton_funnel_transitions_total{stage=assigned} >= 1",
                 lambda: (metric(s.metrics("feedback"), "baton_funnel_transitions_total",
                                 stage="assigned") or 0) >= 1)
        log(f"{lead}: tracked by feedback (principal feedback)")
        for svc in SERVICES:
            bad = [ln for ln in s.log_text(svc).splitlines() if "authoriz" in ln.lower()]
            check(not bad, f"{svc} logged authorization errors under the documented ACLs: "
                           f"{bad[:3]}")

    # --- a refused write -----------------------------------------------------
    def refused(self, service, topic_name, trigger, expect_output):
        """Revoke `service`'s Write on topic_name; trigger() sends the record
        (returns (input topic, partition, offset) of what `service` must
        process); show the refusal is reported and the input uncommitted;
        grant again; expect_output() must then list exactly one record."""
        s = self.s
        topic = s.topic(topic_name)
        write = AclBinding(ResourceType.TOPIC, topic, LITERAL, f"User:{service}", "*", OP.WRITE,
                           ALLOW)
        p, _ = s.procs[service]
        log_start = len(s.log_text(service))
        aborted_before = metric(s.metrics(service), "baton_transactions_total",
                                result="aborted") or 0
        s.revoke(write)
        revoked_at = time.monotonic()
        log(f"revoked Write on {topic} from User:{service}")
        try:
            in_topic, part, offset = trigger()
            pattern = re.compile(r"authoriz", re.I)

            def refusal_line():
                for ln in s.log_text(service)[log_start:].splitlines():
                    if pattern.search(ln) and topic in ln:
                        return ln
                return None

            line = wait_for(f"{service} to log an authorization error naming {topic}",
                            refusal_line, timeout=REFUSAL_S,
                            detail=lambda: f"exit {p.poll()}; log since the revoke: "
                            f"{s.log_text(service)[log_start:][-1500:]!r}")
            self.observe(f"{service} log: {line.strip()[:400]}")
            recovering = [ln for ln in s.log_text(service)[log_start:].splitlines()
                          if '"msg":"transaction failed' in ln]
            named = [ln for ln in recovering if pattern.search(ln)]
            for ln in (named or recovering)[:1]:
                self.observe(f"{service} log: {ln.strip()[:400]}")
            # Stopped with a non-zero exit, or still running and counting.
            if p.poll() is not None:
                check(p.returncode != 0, f"{service} exited 0 after a refused write")
                self.observe(f"{service} exited {p.returncode}")
            else:
                aborted = wait_for(
                    f"{service}'s baton_transactions_total{{result=aborted}} to grow",
                    lambda: (metric(s.metrics(service), "baton_transactions_total",
                                    result="aborted") or 0) > aborted_before
                    and metric(s.metrics(service), "baton_transactions_total", result="aborted"),
                    timeout=REFUSAL_S)
                ready = http_get(s.url(service, "/readyz"))[0]
                self.observe(f"{service} kept running: baton_transactions_total"
                             f"{{result=aborted}} {aborted_before:g} -> {aborted:g}, "
                             f"/readyz {ready}")
            time.sleep(1)  # let a failed commit land if it were to (it must not)
            c = s.committed(service, in_topic, part)
            check(c <= offset, f"{service} committed {in_topic}[{part}] up to {c}, past the "
                               f"record at {offset} whose output was refused: input lost")
            out = expect_output()
            check(not out, f"output on {topic} while {service} may not write it: {out}")
            self.observe(f"{service}'s group at {in_topic}[{part}] stays at {c} "
                         f"(record at {offset}); nothing on {topic}")
            if p.poll() is None:
                n = (metric(s.metrics(service), "baton_transactions_total", result="aborted")
                     or 0) - aborted_before
                self.observe(f"{service}: {n:g} aborted transactions in "
                             f"{time.monotonic() - revoked_at:.1f} s of refusal (retried "
                             "from the committed offsets, no backoff)")
        finally:
            s.grant([write])
            log(f"granted Write on {topic} to User:{service} again")
        if p.poll() is not None:  # it stopped: a restart must process the record
            configs = {x: s.dir / f"{x}.yaml" for x in SERVICES}
            s.spawn_service(service, configs[service], "acl-0")
            p = s.procs[service][0]
        got = wait_for(f"the record's output on {topic} after the grant", expect_output)
        wait_for(f"{service}'s group to commit past {in_topic}[{part}]@{offset}",
                 lambda: s.committed(service, in_topic, part) > offset)
        time.sleep(1)
        got = expect_output()
        check(len(got) == 1, f"{len(got)} records on {topic} after the grant, expected 1: {got}")
        check(p.poll() is None, f"{service} exited ({p.returncode}) after the grant")
        self.observe(f"after the grant: exactly one record on {topic}, input committed")

    def refused_sla_output(self):
        s = self.s
        lead = f"{s.tag}-lead2"

        def trigger():
            self.send_capture(lead)
            a = wait_for(f"an Assignment for {lead}", lambda: self.assignment(lead))[-1]
            return s.topic("routing"), a["partition"], a["offset"]

        self.refused("sla-monitor", "sla", trigger, lambda: self.sla_started(lead))

    def refused_router_dlq(self):
        s = self.s
        key = f"{s.tag}-bad1"

        def trigger():
            # Garbage on the router's input, on Baton's partition for its key
            # (murmur2), so the router dead-letters it from this very record.
            prod = Producer({**librdkafka_conf(s.broker, "admin"),
                             "partitioner": "murmur2_random"})
            sent = []
            prod.produce(s.topic("captured"), key=key.encode(), value=b"\xff\x00 not protobuf",
                         headers=[("content-type", "application/protobuf")],
                         on_delivery=lambda err, m: sent.append((err, m)))
            prod.flush(30)
            check(sent and sent[0][0] is None, f"producing the bad record failed: {sent}")
            m = sent[0][1]
            return m.topic(), m.partition(), m.offset()

        def dead_letters():
            return [r for r in s.records("dlq", key)
                    if r.get("headers", {}).get("baton.error.reason")]

        self.refused("router", "dlq", trigger, dead_letters)

    def run(self):
        self.case("setup", self.setup)
        self.case("acl.visible_topics", self.visible, needs=("setup",))
        self.case("cli.topics_job", self.topics_job, needs=("setup",))
        self.case("services.ready", self.start_services, needs=("setup",))
        self.case("flow.lead_assigned", self.lead_flow, needs=("services.ready",))
        self.case("refused.sla_output", self.refused_sla_output, needs=("flow.lead_assigned",))
        self.case("refused.router_dlq", self.refused_router_dlq, needs=("flow.lead_assigned",))


# --- main ---------------------------------------------------------------------

def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(f"[kafka-acls] {signal.SIGTERM!r}"))
    # Only this test's settings reach the services and the CLI.
    for k in list(os.environ):
        if k.startswith("BATON_KAFKA_") and k not in (
                "BATON_KAFKA_VERSION", "BATON_KAFKA_START_TIMEOUT", "BATON_KAFKA_STOP_GRACE"):
            del os.environ[k]
    bin_dir = pathlib.Path(os.environ.get("BATON_BIN_DIR", ROOT / "build/dev/bin"))
    for exe in ["baton"] + [f"baton-{s}" for s in SERVICES]:
        if not (bin_dir / exe).exists():
            print(f"[kafka-acls] {bin_dir / exe} missing (build the dev preset)")
            return 1
    work = pathlib.Path(tempfile.mkdtemp(prefix="baton-kafka-acls-broker-"))
    broker = pathlib.Path(os.environ.get("BATON_TEST_ACL_KAFKA_DIR") or work / "broker")
    kafka = str(ROOT / "scripts/kafka")
    ok, stack, t = False, None, None
    try:
        # A fresh broker every run: new CA, SCRAM secrets, no ACLs.
        run_script([kafka, "stop", "--dir", str(broker)], work / "kafka.log", 120)
        shutil.rmtree(broker, ignore_errors=True)
        log(f"starting the ACL broker in {broker}")
        rc = run_script([kafka, "start", "--dir", str(broker), "--port", str(free_port()),
                         "--security", "sasl_ssl_acl"], work / "kafka.log", 240)
        if rc != 0:
            print((work / "kafka.log").read_text(errors="replace")[-3000:])
            print(f"[kafka-acls] scripts/kafka start failed ({rc}); log {work / 'kafka.log'}")
            return 1
        stack = AclStack(broker)
        log(f"broker {stack.bootstrap}, prefix {stack.prefix}, folder {stack.dir}")
        t = KafkaAcls(stack)
        t.run()
        failed = [r for r in t.results if not r[1]]
        print()
        print(f"{len(t.results) - len(failed)} of {len(t.results)} cases passed")
        for name, _, msg in failed:
            print(f"FAILED {name}: {msg}")
        for o in t.observed:
            print(f"observed: {o}")
        ok = not failed
        return 0 if ok else 1
    finally:
        if stack:
            stack.stop_all()
            for svc in SERVICES:
                if svc in stack.procs and stack.procs[svc][0].returncode not in (0, None):
                    log(f"{svc} exited {stack.procs[svc][0].returncode} at shutdown")
            if not ok:
                stack.log_tails(20)
            stack.admin = None  # no client left to retry the stopped broker
        run_script([kafka, "stop", "--dir", str(broker)], work / "kafka.log", 120)
        keep = os.environ.get("BATON_KEEP_TEST_DIRS") == "1"
        if ok and not keep:
            if stack:
                shutil.rmtree(stack.dir, ignore_errors=True)
            shutil.rmtree(broker, ignore_errors=True)
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"[kafka-acls] kept {work}" + (f" and {stack.dir}" if stack else ""))


if __name__ == "__main__":
    sys.exit(main())

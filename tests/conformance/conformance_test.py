#!/usr/bin/env python3
"""Conformance: Baton driven by a Kafka client that is not Baton's.

The upstream contract (docs/integrating.md) says any producer may feed Baton:
records keyed by lead id on any partition, or keyless with the lead id in the
envelope; CloudEvents headers (ce_id, ce_source, ce_type, content-type);
protobuf or proto3 JSON values. This test plays such a producer:

  * Python confluent-kafka (librdkafka) with its DEFAULT partitioner
    (consistent_random: CRC32 of the key), which puts keys on other
    partitions than Baton's murmur2, so the services must move misplaced
    records to the partition that owns their key;
  * kcat (Debian's), also with its default partitioner, sending one event as
    JSON (content-type application/json, proto3 JSON mapping).

One run of the three services (deploy/demo configs; first-touch SLAs long
enough that nothing breaches on a slow machine) under a unique topic prefix
and application ids, topics made by `baton topics create` (Baton's default
partition counts), the sample roster (rep-kai is always on) loaded by
`baton roster load`. Named cases, each reported PASS or FAIL:

  lifecycle.*   one lead's whole life, every event produced by
                confluent-kafka except the kcat JSON signal: a capture that
                scores nurture, a demo request that makes it high intent (an
                Assignment), the owner's call (SLA met, no breach), CRM stage
                changes Qualified -> Opportunity -> Won (an Outcome with
                attribution), then an ErasureRequest (404 from the router,
                the sla-monitor and feedback);
  dlq.*         bad input (garbage bytes, a SalesActivity on the captured
                topic, a keyless record without envelope.lead_id, JSON that
                does not match the schema): each bad record gets exactly one
                dead letter, by the service that owns the topic, with the
                expected baton.error.reason, baton.source.topic|partition|
                offset naming where it was produced, and its key and value
                as sent;
  valid.*       what must not be lost: a keyless capture with the lead id in
                its envelope, a duplicate capture (one assignment), two leads
                of two sources sharing one ce_id (two assignments);
  partitioning  baton_input_misplaced_total > 0 on the router.

Counting checks ("exactly one", "none") run after the case quiesce: every
service's committed offsets have reached the end of its inputs (including
its <application_id>-<topic>-repartition topics), twice in a row.
Waits are bounded polling loops. ctest: ConformanceLeadLifecycle (label
integration, fixture kafka). Env (set by ctest): BATON_TEST_BOOTSTRAP_FILE,
BATON_BIN_DIR. Run with the venv of scripts/setup (.cache/venv/bin/python).
A passing run deletes its folder under /tmp (BATON_KEEP_TEST_DIRS=1 keeps it).
"""
import datetime
import glob
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time
import traceback
import uuid
import zlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests/support/py"))

try:
    from baton_stack import SERVICES, ServiceStack, http_get, http_json
    from confluent_kafka import (OFFSET_BEGINNING, Consumer, ConsumerGroupTopicPartitions,
                                 Producer, TopicPartition)
    from confluent_kafka.admin import AdminClient
    from google.protobuf import json_format
except ImportError as e:  # not the venv
    print(f"FAILED: {e}: run with {ROOT}/.cache/venv/bin/python (made by ./scripts/setup)")
    sys.exit(1)

READY_TIMEOUT_S = 300
WAIT_S = 150          # one condition (an assignment, a dead letter, a stage...)
QUIESCE_S = 150       # every service caught up on its inputs
TOPICS = {            # logical names (without the prefix)
    "captured": "baton.leads.captured",
    "signals": "baton.leads.signals",
    "routing": "baton.routing.events",
    "sla": "baton.sla.events",
    "activities": "baton.sales.activities",
    "crm": "baton.crm.stage-changes",
    "lifecycle": "baton.lifecycle.events",
    "outcomes": "baton.outcomes",
    "erasure": "baton.privacy.erasure",
    "dlq": "baton.dlq",
}
# The topics this test produces to (never written transactionally).
UPSTREAM = ("captured", "signals", "activities", "crm", "erasure")
# Who dead-letters a bad record of a topic that two services read.
OWNER = {"captured": "router", "signals": "router", "erasure": "router",
         "activities": "sla-monitor", "crm": "sla-monitor"}


START = time.monotonic()


def log(msg):
    print(f"[conformance {time.monotonic() - START:6.1f}s] {msg}", flush=True)


class CheckFailed(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise CheckFailed(msg)


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc)


# --- partitioners -----------------------------------------------------------

def murmur2(data):
    """Kafka's murmur2 (Java client, librdkafka's murmur2 partitioner)."""
    length = len(data)
    m = 0x5BD1E995
    h = (0x9747B28C ^ length) & 0xFFFFFFFF
    for i in range(0, length - length % 4, 4):
        k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> 24
        k = (k * m) & 0xFFFFFFFF
        h = (h * m) & 0xFFFFFFFF
        h ^= k
    tail, extra = length & ~3, length % 4
    if extra == 3:
        h ^= data[tail + 2] << 16
    if extra >= 2:
        h ^= data[tail + 1] << 8
    if extra >= 1:
        h ^= data[tail]
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h


def baton_partition(key, n):
    return (murmur2(key.encode()) & 0x7FFFFFFF) % n


def librdkafka_default_partition(key, n):
    """consistent_random with a key: CRC32(key) % n."""
    return zlib.crc32(key.encode()) % n


# --- protobuf classes from proto/baton/v1 -----------------------------------

class Protos:
    """Python classes generated at test time with protoc --python_out."""

    def __init__(self, out_dir):
        protoc = shutil.which("protoc")
        if not protoc:
            raise CheckFailed("protoc not installed (Debian package protobuf-compiler)")
        out_dir.mkdir(parents=True, exist_ok=True)
        files = sorted(glob.glob(str(ROOT / "proto/baton/v1/*.proto")))
        r = subprocess.run([protoc, f"-I{ROOT / 'proto'}", "-I/usr/include",
                            f"--python_out={out_dir}", *files], capture_output=True, text=True)
        if r.returncode != 0:
            raise CheckFailed(f"protoc --python_out failed: {r.stderr}")
        sys.path.insert(0, str(out_dir))
        from baton.v1 import (activity_pb2, common_pb2, lead_pb2, lifecycle_pb2, outcome_pb2,
                              routing_pb2, sla_pb2)
        self.common, self.lead, self.activity = common_pb2, lead_pb2, activity_pb2
        self.lifecycle, self.outcome = lifecycle_pb2, outcome_pb2
        self.routing, self.sla = routing_pb2, sla_pb2


# --- Kafka: an upstream producer and read_committed readers ------------------

class Upstream:
    """confluent-kafka producer with librdkafka's default partitioner."""

    def __init__(self, bootstrap):
        # No "partitioner" here on purpose: librdkafka's default
        # (consistent_random) is what a non-Baton client uses.
        self.p = Producer({"bootstrap.servers": bootstrap, "client.id": "conformance-upstream",
                           "acks": "all", "enable.idempotence": True, "linger.ms": 0})

    def send(self, topic, value, key=None, headers=None):
        """Produces one record and waits for it: (partition, offset)."""
        done = {}

        def on_delivery(err, msg):
            done["err"], done["msg"] = err, msg

        self.p.produce(topic, value=value, key=key, headers=headers or [],
                       on_delivery=on_delivery)
        self.p.flush(30)
        if "msg" not in done:
            raise CheckFailed(f"produce to {topic}: no delivery report within 30 s")
        if done["err"] is not None:
            raise CheckFailed(f"produce to {topic} failed: {done['err']}")
        return done["msg"].partition(), done["msg"].offset()


class Rec:
    __slots__ = ("topic", "partition", "offset", "key", "headers", "value", "msg")

    def __init__(self, m, decode):
        self.topic, self.partition, self.offset = m.topic(), m.partition(), m.offset()
        self.key = m.key().decode("utf-8", "replace") if m.key() is not None else None
        self.headers = {}
        for k, v in (m.headers() or []):
            self.headers[k] = v.decode("utf-8", "replace") if v is not None else None
        self.value = m.value()
        self.msg = None
        if decode and self.value is not None:
            try:
                self.msg = decode()
                self.msg.ParseFromString(self.value)
            except Exception:  # noqa: BLE001 - a record that does not decode stays raw
                self.msg = None


class Reader:
    """Every committed record of one topic, from the beginning (read_committed)."""

    def __init__(self, bootstrap, topic, decode=None):
        self.topic, self.decode = topic, decode
        self.c = Consumer({"bootstrap.servers": bootstrap,
                           "group.id": f"conformance-reader-{uuid.uuid4().hex}",
                           "enable.auto.commit": False, "isolation.level": "read_committed",
                           "auto.offset.reset": "earliest"})
        md = self.c.list_topics(topic, timeout=10).topics.get(topic)
        if md is None or md.error is not None or not md.partitions:
            raise CheckFailed(f"topic {topic} does not exist")
        self.partitions = sorted(md.partitions)
        self.c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in self.partitions])
        self.records = []

    def poll(self, budget_s=0.5):
        deadline = time.monotonic() + budget_s
        while time.monotonic() < deadline:
            batch = self.c.consume(num_messages=500, timeout=0.1)
            if not batch:
                break
            for m in batch:
                if m.error() is None:
                    self.records.append(Rec(m, self.decode))
        return self.records

    def drain(self, highs, timeout_s=30):
        """Reads up to highs {partition: high watermark} (Baton writes these
        topics in transactions: the end is the high watermark, or one before
        it, the commit marker). False when the end was not reached in time."""
        deadline = time.monotonic() + timeout_s
        while True:
            self.poll()
            behind = []
            for tp in self.c.position([TopicPartition(self.topic, p) for p in self.partitions]):
                high = highs[tp.partition]
                if high > 1 and tp.offset < high - 1:
                    behind.append(f"[{tp.partition}] at {tp.offset} of {high}")
            if not behind:
                return True
            if time.monotonic() > deadline:
                log(f"reader of {self.topic} did not reach the end: {behind}")
                return False

    def close(self):
        self.c.close()


def member(ev):
    """(name, message) of the set oneof member of a RoutingEvent, SlaEvent or
    LifecycleEvent; (None, ev) for a message without a oneof "kind"."""
    if ev is None:
        return None, None
    if "kind" not in ev.DESCRIPTOR.oneofs_by_name:
        return None, ev
    which = ev.WhichOneof("kind")
    return which, (getattr(ev, which) if which else None)


def lead_of(rec):
    _, m = member(rec.msg)
    env = getattr(m, "envelope", None) if m is not None else None
    return (env.lead_id if env is not None and env.lead_id else None) or rec.key


# --- the services -----------------------------------------------------------

class Stack(ServiceStack):
    failure = CheckFailed

    def __init__(self):
        super().__init__("conf", "baton-conformance-")

    def topic(self, name):
        return self.prefix + TOPICS[name]

    def adjust_config(self, service, doc):
        if service == "sla-monitor":
            # First-touch clocks long enough that the owner's call (sent as
            # soon as the assignment is read) is in time on any machine.
            tiers = doc["sla-monitor"]["tiers"]
            tiers["high_intent"].update(first_touch="10m", escalate_after="20m",
                                        reassign_after="40m")
            tiers["standard"].update(first_touch="15m", escalate_after="30m")
            tiers["nurture"].update(first_touch="4h")
        if service == "router":
            doc["router"]["held_retry"] = "5s"

    def start_services(self):
        configs = self.write_configs()
        for s in SERVICES:
            exe = self.bin / f"baton-{s}"
            deadline = time.monotonic() + 120
            while not exe.exists() and time.monotonic() < deadline:  # mid-rebuild
                time.sleep(2)
            check(exe.exists(), f"{exe} missing (build the dev preset)")
            self.spawn_service(s, configs[s], "conf-0")
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not self.ready():
            if time.monotonic() > deadline:
                raise CheckFailed(f"/readyz not 200 within {READY_TIMEOUT_S} s: "
                                  + "; ".join(self.readiness(s) for s in SERVICES))
            time.sleep(0.5)

    def readiness(self, service):
        """/readyz of one service, and the last error its log shows."""
        status, body = http_get(self.url(service, "/readyz"))
        last = ""
        for line in self.procs[service][1].read_text(errors="replace").splitlines():
            if '"level":"error"' in line or '"level":"warn"' in line or "|ERROR|" in line:
                last = line.strip()
        return (f"{service} /readyz {status} {body.strip()[:120]!r}"
                + (f", last error in its log: {last[:300]}" if last else ""))


# --- the test ---------------------------------------------------------------

class Conformance:
    def __init__(self, stack, protos):
        self.s, self.pb = stack, protos
        self.results = []          # (name, ok, message)
        self.failed = set()
        self.sent = []             # every record produced: dicts (for the placement report)
        self.valid_ce_ids = set()  # ce_id of every valid record: never dead-lettered
        self.bad = {}              # case name -> expected dead letter
        self.owner = None
        self.domain = f"{stack.tag}.example.com"

    # --- reporting ----------------------------------------------------------
    def case(self, name, fn, needs=()):
        missing = [n for n in needs if n in self.failed or n not in {r[0] for r in self.results}]
        if missing:
            self.record(name, False, f"not run: depends on {', '.join(missing)}")
            return
        log(f"case {name} ...")
        try:
            fn()
            self.record(name, True, "")
        except CheckFailed as e:
            self.record(name, False, str(e))
        except Exception as e:  # noqa: BLE001 - a bug in a case fails that case only
            self.record(name, False, f"{type(e).__name__}: {e}\n{traceback.format_exc()}")

    def record(self, name, ok, msg):
        self.results.append((name, ok, msg))
        if not ok:
            self.failed.add(name)
        log(f"{'PASS' if ok else 'FAIL'} {name}" + (f": {msg}" if msg else ""))

    # --- waiting ------------------------------------------------------------
    def wait(self, what, predicate, timeout=WAIT_S, detail=None):
        """Polls predicate (after refreshing the readers) until truthy."""
        deadline = time.monotonic() + timeout
        while True:
            self.s.alive()
            self.poll_readers()
            got = predicate()
            if got:
                return got
            if time.monotonic() > deadline:
                extra = ""
                if detail:
                    try:
                        extra = f"; {detail()}"
                    except Exception as e:  # noqa: BLE001
                        extra = f"; (detail failed: {e})"
                raise CheckFailed(f"timed out after {timeout} s waiting for {what}{extra}")
            time.sleep(0.3)

    def poll_readers(self):
        for r in self.readers.values():
            r.poll()

    # --- building events ----------------------------------------------------
    def envelope(self, env, lead_id, source_system, event_id=None):
        env.event_id = event_id or str(uuid.uuid4())
        env.event_time.FromDatetime(now_utc().replace(tzinfo=None))
        env.source_system = source_system
        if lead_id:
            env.lead_id = lead_id
        env.schema_version = "v1"
        env.correlation_id = f"corr-{lead_id or 'none'}"
        return env.event_id

    def capture(self, lead_id, who, *, demo=False, region="emea", source_system="web-form",
                event_id=None):
        """A LeadCaptured. Fit 35 (software, 201-1000): with demo=True its
        trigger_signal demo_request makes it high intent, else intent 0 is
        below the qualification threshold: nurture."""
        m = self.pb.lead.LeadCaptured()
        self.envelope(m.envelope, lead_id, source_system, event_id)
        m.person.email = f"{who}@{self.domain}"
        m.person.first_name, m.person.last_name = who.capitalize(), "Conformance"
        m.person.title, m.person.seniority, m.person.language = "Head of Ops", "manager", "en"
        c = m.company
        c.name, c.domain = f"{self.s.tag} Corp", self.domain
        c.industry, c.employee_band, c.revenue_band = "software", "201-1000", "1M-10M"
        c.country, c.region = ("DE", "emea") if region == "emea" else ("US", region)
        m.consent.email_opt_in = True
        m.consent.policy_version = "2024-03"
        m.source, m.medium, m.campaign = "google", "cpc", "conformance-q3"
        ft = m.first_touch
        ft.time.FromDatetime((now_utc() - datetime.timedelta(days=2)).replace(tzinfo=None))
        ft.url = "https://www.baton.example/blog/speed-to-lead?utm_source=organic"
        ft.landing_page, ft.source, ft.medium, ft.campaign = ("/blog/speed-to-lead", "organic",
                                                              "organic", "seo-blog")
        lt = m.latest_touch
        lt.time.FromDatetime(now_utc().replace(tzinfo=None))
        lt.url = "https://www.baton.example/lp/demo?utm_source=google&utm_campaign=conformance-q3"
        lt.landing_page, lt.ad_id, lt.ad_message = "/lp/demo", "gads-1", "Route leads in minutes"
        lt.source, lt.medium, lt.campaign = "google", "cpc", "conformance-q3"
        m.form_id = "form-demo" if demo else "form-newsletter"
        m.hand_raise_reason = "Asked for a demo" if demo else "Downloaded the ebook"
        m.product_interest = "baton-routing"
        if demo:
            m.trigger_signal = "demo_request"
        return m

    def headers(self, ce_id, ce_type, source="conformance/web-form",
                content_type="application/protobuf"):
        return [("ce_specversion", "1.0"), ("ce_id", ce_id), ("ce_source", source),
                ("ce_type", ce_type), ("content-type", content_type)]

    def send(self, name, topic, value, key, headers, valid=True):
        """confluent-kafka, default partitioner."""
        t = self.s.topic(topic)
        part, off = self.up.send(t, value, key=key.encode() if key is not None else None,
                                 headers=headers)
        ce_id = dict(headers).get("ce_id")
        self.sent.append({"name": name, "topic": topic, "key": key, "partition": part,
                          "offset": off, "ce_id": ce_id, "value": value})
        if valid and ce_id:
            self.valid_ce_ids.add(ce_id)
        log(f"sent {name}: {t}[{part}]@{off} key={key!r} ce_id={ce_id}")
        return part, off

    def send_proto(self, name, topic, msg, key, source="conformance/web-form", ce_id=None):
        ce_id = ce_id or msg.envelope.event_id or str(uuid.uuid4())
        return self.send(name, topic, msg.SerializeToString(), key,
                         self.headers(ce_id, msg.DESCRIPTOR.full_name, source))

    def send_kcat_json(self, name, topic, msg, key, source):
        """kcat -P, default partitioner, proto3 JSON value."""
        ce_id = msg.envelope.event_id
        body = json_format.MessageToJson(msg, indent=None)
        argv = ["kcat", "-P", "-b", self.s.bootstrap, "-t", self.s.topic(topic), "-k", key]
        for k, v in self.headers(ce_id, msg.DESCRIPTOR.full_name, source, "application/json"):
            argv += ["-H", f"{k}={v}"]
        r = subprocess.run(argv, input=(body + "\n").encode(), capture_output=True, timeout=60)
        check(r.returncode == 0, f"kcat produce failed: {r.stderr.decode(errors='replace')}")
        self.sent.append({"name": name, "topic": topic, "key": key, "partition": None,
                          "offset": None, "ce_id": ce_id})
        self.valid_ce_ids.add(ce_id)
        log(f"sent {name} with kcat as JSON: key={key!r} ce_id={ce_id} {body}")

    # --- reading results ----------------------------------------------------
    def routing_events(self, lead, kind=None):
        out = []
        for r in self.readers["routing"].records:
            k, m = member(r.msg)
            if m is not None and lead_of(r) == lead and (kind is None or k == kind):
                out.append(m)
        return out

    def sla_events(self, lead, kind=None):
        out = []
        for r in self.readers["sla"].records:
            k, m = member(r.msg)
            if m is not None and lead_of(r) == lead and (kind is None or k == kind):
                out.append((k, m))
        return out

    def dead_letters(self, ce_id):
        return [r for r in self.readers["dlq"].records if r.headers.get("ce_id") == ce_id]

    def describe_lead(self, lead):
        kinds = [member(r.msg)[0] for r in self.readers["routing"].records if lead_of(r) == lead]
        sla = [k for k, _ in self.sla_events(lead)]
        rej = [f"{m.rule}: {m.detail}" for r in self.readers["lifecycle"].records
               for k, m in [member(r.msg)] if k == "rejected" and lead_of(r) == lead]
        return (f"lead {lead}: routing events {kinds or 'none'}, sla events {sla or 'none'}"
                + (f", refused transitions {rej}" if rej else ""))

    def wait_http(self, what, service, path, predicate):
        """Polls GET path on a service's admin port until predicate(json body)."""
        url = self.s.url(service, path)

        def ok():
            status, body = http_json(url)
            return status == 200 and isinstance(body, dict) and predicate(body)

        def last():
            status, body = http_get(url)
            return f"last answer from {url}: HTTP {status} {body[:300]}"

        self.wait(f"{path} on {service} to show {what}", ok, detail=last)

    def timeline_stage(self, lead):
        status, body = http_json(self.s.url("feedback", f"/leads/{lead}/timeline"))
        return body.get("stage") if status == 200 and isinstance(body, dict) else None

    # --- setup --------------------------------------------------------------
    def setup(self):
        s = self.s
        check(shutil.which("kcat"), "kcat not installed (Debian package kcat; run ./scripts/setup)")
        out = s.cli("topics", "create", name="topics")
        log("baton topics create: " + out.strip().splitlines()[-1])
        s.cli("roster", "load", str(ROOT / "tools/baton/samples/reps.yaml"), name="roster")
        admin = AdminClient({"bootstrap.servers": s.bootstrap})
        md = admin.list_topics(timeout=10).topics
        self.partitions = {t: len(md[s.topic(t)].partitions) for t in TOPICS}
        log(f"partitions: {self.partitions}")
        check(self.partitions["captured"] > 1,
              f"{s.topic('captured')} has {self.partitions['captured']} partition(s): "
              "misplacement cannot happen")
        self.admin = admin
        s.start_services()
        log(f"services ready: {s.ports} (folder {s.dir})")
        decoders = {"routing": self.pb.routing.RoutingEvent, "sla": self.pb.sla.SlaEvent,
                    "outcomes": self.pb.outcome.Outcome,
                    "lifecycle": self.pb.lifecycle.LifecycleEvent, "dlq": None}
        self.readers = {k: Reader(s.bootstrap, s.topic(k), d) for k, d in decoders.items()}
        self.up = Upstream(s.bootstrap)
        # The lifecycle lead's key is misplaced by librdkafka's default
        # partitioner on purpose: every event of its life takes the extra hop.
        n = self.partitions["captured"]
        for i in range(1000):
            lead = f"{s.tag}-life{i}"
            if baton_partition(lead, n) != librdkafka_default_partition(lead, n):
                break
        self.life = lead
        log(f"lifecycle lead {lead}: Baton's partition {baton_partition(lead, n)}, "
            f"librdkafka's default {librdkafka_default_partition(lead, n)}")

    # --- input: everything before the lifecycle's later steps ---------------
    def send_initial(self):
        t, pb = self.s.tag, self.pb
        self.send_proto("lifecycle capture (nurture)", "captured",
                        self.capture(self.life, "life"), self.life)

        # decode: garbage bytes on the captured topic.
        ce = str(uuid.uuid4())
        key = f"{t}-garbage"
        p, o = self.send("garbage", "captured", b"\xff\xfe\x00garbage, not a protobuf\xff", key,
                         self.headers(ce, "baton.v1.LeadCaptured"), valid=False)
        self.bad["dlq.decode"] = dict(ce_id=ce, reason="decode", topic="captured", partition=p,
                                      offset=o, **self.as_sent())

        # A keyless capture with the lead id in its envelope: processed.
        self.nokey = f"{t}-nokey"
        self.send_proto("keyless capture with envelope.lead_id", "captured",
                        self.capture(self.nokey, "nokey", demo=True), None)

        # unexpected_type: a valid SalesActivity on the captured topic.
        a = pb.activity.SalesActivity()
        self.envelope(a.envelope, f"{t}-wrongtype", "crm")
        a.rep_id, a.type = "rep-kai", pb.activity.ACTIVITY_CALL
        p, o = self.send("SalesActivity on the captured topic", "captured", a.SerializeToString(),
                         f"{t}-wrongtype",
                         self.headers(a.envelope.event_id, "baton.v1.SalesActivity",
                                      "conformance/crm"),
                         valid=False)
        self.bad["dlq.unexpected_type"] = dict(ce_id=a.envelope.event_id, reason="unexpected_type",
                                               topic="captured", partition=p, offset=o,
                                               **self.as_sent())

        # A duplicate: the same record (ce_source, ce_id, payload) twice.
        self.dup = f"{t}-dup"
        dup = self.capture(self.dup, "dup", demo=True)
        self.send_proto("duplicate capture (1st)", "captured", dup, self.dup)

        # missing_key: no record key and no envelope.lead_id.
        m = self.capture("", "nolead", demo=True)
        p, o = self.send("keyless capture without envelope.lead_id", "captured",
                         m.SerializeToString(), None,
                         self.headers(m.envelope.event_id, "baton.v1.LeadCaptured"), valid=False)
        self.bad["dlq.missing_key"] = dict(ce_id=m.envelope.event_id, reason="missing_key",
                                           topic="captured", partition=p, offset=o,
                                           **self.as_sent())

        self.send_proto("duplicate capture (2nd, same bytes)", "captured", dup, self.dup)

        # Two leads of two sources with one ce_id (and one envelope.event_id).
        shared = str(uuid.uuid4())
        self.src_a, self.src_b = f"{t}-srca", f"{t}-srcb"
        self.send_proto("capture of source A", "captured",
                        self.capture(self.src_a, "srca", demo=True, region="north_america",
                                     source_system="web-form", event_id=shared),
                        self.src_a, source="conformance/web-form")

        # schema: JSON with an unknown field on the activities topic (read by
        # the sla-monitor, which owns it, and by feedback).
        ce = str(uuid.uuid4())
        body = json.dumps({"envelope": {"eventId": ce, "leadId": f"{t}-schema1",
                                        "sourceSystem": "crm"},
                           "repId": "rep-kai", "type": "ACTIVITY_CALL",
                           "conformanceUnknownField": True}).encode()
        p, o = self.send("JSON activity with an unknown field", "activities", body,
                         f"{t}-schema1",
                         self.headers(ce, "baton.v1.SalesActivity", "conformance/crm",
                                      "application/json"), valid=False)
        self.bad["dlq.schema_unknown_field"] = dict(ce_id=ce, reason="schema", topic="activities",
                                                    partition=p, offset=o, **self.as_sent())

        self.send_proto("capture of source B (same ce_id)", "captured",
                        self.capture(self.src_b, "srcb", demo=True, region="north_america",
                                     source_system="hubspot", event_id=shared),
                        self.src_b, source="conformance/hubspot")

        # schema: JSON with a wrong type (a string for a double) on the signals topic.
        ce = str(uuid.uuid4())
        body = json.dumps({"envelope": {"eventId": ce, "leadId": f"{t}-schema2",
                                        "sourceSystem": "web"},
                           "type": "SIGNAL_PAGE_VIEW", "weightOverride": "lots"}).encode()
        p, o = self.send("JSON signal with a wrong type", "signals", body, f"{t}-schema2",
                         self.headers(ce, "baton.v1.EngagementSignal", "conformance/web",
                                      "application/json"), valid=False)
        self.bad["dlq.schema_wrong_type"] = dict(ce_id=ce, reason="schema", topic="signals",
                                                 partition=p, offset=o, **self.as_sent())

    def as_sent(self):
        """Key and value of the record just sent: its dead letter must carry them."""
        return {"key": self.sent[-1]["key"], "value": self.sent[-1]["value"]}

    # --- lifecycle cases ----------------------------------------------------
    def lifecycle_nurture(self):
        lead = self.life
        self.wait(f"a NurtureDecision for {lead} on {self.s.topic('routing')}",
                  lambda: self.routing_events(lead, "nurture"),
                  detail=lambda: self.describe_lead(lead))
        check(not self.routing_events(lead, "assignment"),
              f"{lead} was assigned on capture; it should score nurture (fit 35, intent 0)")
        self.wait_http("the nurture decision", "router", f"/leads/{lead}/routing",
                       lambda body: "nurture" in body)

    def lifecycle_signal(self):
        lead = self.life
        sig = self.pb.lead.EngagementSignal()
        self.envelope(sig.envelope, lead, "web-analytics")
        sig.type = self.pb.lead.SIGNAL_DEMO_REQUEST
        sig.url = "https://www.baton.example/demo"
        sig.touch.time.FromDatetime(now_utc().replace(tzinfo=None))
        sig.touch.url, sig.touch.landing_page = sig.url, "/demo"
        sig.touch.source, sig.touch.medium, sig.touch.campaign = "google", "cpc", "conformance-q3"
        self.send_kcat_json("demo request signal", "signals", sig, lead, "conformance/web")
        a = self.wait(f"an Assignment for {lead} after the demo request",
                      lambda: self.routing_events(lead, "assignment"),
                      detail=lambda: self.describe_lead(lead))[-1]
        check(a.tier == self.pb.common.TIER_HIGH_INTENT,
              f"assignment tier {self.pb.common.Tier.Name(a.tier)}, expected TIER_HIGH_INTENT")
        check(a.owner_rep_id, "assignment without owner_rep_id")
        self.owner = a.owner_rep_id
        log(f"{lead} assigned to {self.owner} (pool {a.handoff.pool}, tier high intent)")
        self.wait_http(f"the assignment to {self.owner}, high intent", "router",
                       f"/leads/{lead}/routing",
                       lambda body: body.get("assignment", {}).get("owner_rep_id") == self.owner
                       and body["assignment"].get("tier") == "TIER_HIGH_INTENT")

    def lifecycle_touch(self):
        lead, pb = self.life, self.pb
        a = pb.activity.SalesActivity()
        self.envelope(a.envelope, lead, "salesforce")
        a.rep_id, a.type, a.outcome = self.owner, pb.activity.ACTIVITY_CALL, "connected"
        self.send_proto("owner's first call", "activities", a, lead, "conformance/salesforce")
        _, met = self.wait(f"an SlaMet for {lead}", lambda: self.sla_events(lead, "met"),
                           detail=lambda: self.describe_lead(lead))[-1]
        check(met.owner_rep_id == self.owner,
              f"SlaMet owner {met.owner_rep_id!r}, expected {self.owner!r}")
        check(met.within_sla, "SlaMet.within_sla is false (first touch 10 min)")
        self.wait_http("status met", "sla-monitor", f"/leads/{lead}/sla",
                       lambda body: body.get("status") == "met")
        self.wait(f"/leads/{lead}/timeline on feedback to reach contacted",
                  lambda: self.timeline_stage(lead) == "contacted",
                  detail=lambda: f"stage {self.timeline_stage(lead)!r}; {self.describe_lead(lead)}")

    def lifecycle_stages(self):
        lead, pb = self.life, self.pb
        for stage in ("QUALIFIED", "OPPORTUNITY", "WON"):
            sc = pb.lifecycle.StageChange()
            self.envelope(sc.envelope, lead, "salesforce")
            sc.stage = pb.common.Stage.Value(f"STAGE_{stage}")
            sc.owner_rep_id = self.owner
            if stage == "WON":
                sc.amount_minor, sc.currency = 4_200_000, "EUR"
            self.send_proto(f"stage change to {stage.lower()}", "crm", sc, lead,
                            "conformance/salesforce")
            ev_id = sc.envelope.event_id

            def refused():
                for r in self.readers["lifecycle"].records:
                    k, m = member(r.msg)
                    if k == "rejected" and lead_of(r) == lead and m.envelope.causation_id == ev_id:
                        raise CheckFailed(f"feedback refused -> {stage.lower()}: rule {m.rule}: "
                                          f"{m.detail}")
                return self.timeline_stage(lead) == stage.lower()

            self.wait(f"/leads/{lead}/timeline to reach {stage.lower()}", refused,
                      detail=lambda: f"stage {self.timeline_stage(lead)!r}; "
                                     f"{self.describe_lead(lead)}")

    def lifecycle_outcome(self):
        lead, pb = self.life, self.pb

        def won():
            return [r.msg for r in self.readers["outcomes"].records if r.msg is not None
                    and lead_of(r) == lead and r.msg.stage == pb.common.STAGE_WON]

        o = self.wait(f"an Outcome (won) for {lead} on {self.s.topic('outcomes')}", won)[-1]
        problems = []
        if o.owner_rep_id != self.owner:
            problems.append(f"owner_rep_id {o.owner_rep_id!r} != {self.owner!r}")
        if o.amount_minor != 4_200_000 or o.currency != "EUR":
            problems.append(f"amount {o.amount_minor} {o.currency!r}, expected 4200000 EUR")
        if o.tier_at_handoff != pb.common.TIER_HIGH_INTENT:
            problems.append(f"tier_at_handoff {pb.common.Tier.Name(o.tier_at_handoff)}")
        if not (o.source and o.campaign):
            problems.append(f"source {o.source!r} / campaign {o.campaign!r} empty")
        if not o.HasField("first_touch") or not o.HasField("latest_touch"):
            problems.append("first_touch or latest_touch missing")
        if o.score_fit_at_handoff <= 0:
            problems.append(f"score_fit_at_handoff {o.score_fit_at_handoff}")
        at = o.attribution
        for model in ("first_touch", "last_touch", "w_shaped"):
            credits = getattr(at, model)
            if not credits:
                problems.append(f"attribution.{model} empty")
                continue
            for c in credits:
                if not (c.touch and c.weight > 0):
                    problems.append(f"attribution.{model} credit without touch/weight: {c}")
            total = sum(c.weight for c in credits)
            if abs(total - 1.0) > 0.01:
                problems.append(f"attribution.{model} weights sum to {total}, expected 1")
        check(not problems, "Outcome (won): " + "; ".join(problems))
        log(f"Outcome won: source {o.source}, campaign {o.campaign}, "
            f"w_shaped {[(c.touch, c.weight) for c in at.w_shaped]}")

    def lifecycle_erasure(self):
        lead, pb = self.life, self.pb
        for svc, path in (("router", "routing"), ("sla-monitor", "sla"), ("feedback", "timeline")):
            status, _ = http_get(self.s.url(svc, f"/leads/{lead}/{path}"))
            check(status == 200, f"before the erasure /leads/{lead}/{path} on {svc}: HTTP {status}")
        e = pb.lead.ErasureRequest()
        self.envelope(e.envelope, lead, "privacy-desk")
        e.requested_by, e.legal_basis = "dpo@baton.example", "gdpr_art17"
        self.send_proto("erasure request", "erasure", e, lead, "conformance/privacy")
        for svc, path in (("router", "routing"), ("sla-monitor", "sla"), ("feedback", "timeline")):
            url = self.s.url(svc, f"/leads/{lead}/{path}")
            self.wait(f"404 from {url} after the erasure", lambda: http_get(url)[0] == 404,
                      detail=lambda: f"last answer {http_get(url)}")

    def lifecycle_no_breach(self):
        lead = self.life
        bad = [k for k, _ in self.sla_events(lead)
               if k in ("breached", "escalated", "reassignment_requested")]
        check(not bad, f"{lead}: SLA events {bad} (the owner called within the first-touch SLA)")
        check(self.sla_events(lead, "started"), f"{lead}: no SlaClockStarted")
        self.settled("no breach")

    # --- bad input, what must not be lost -----------------------------------
    def wait_first_dead_letters(self):
        def all_there():
            return all(self.dead_letters(b["ce_id"]) for b in self.bad.values())

        def missing():
            gone = [n for n, b in self.bad.items() if not self.dead_letters(b["ce_id"])]
            reasons = sorted({r.headers.get("baton.error.reason") for r in
                              self.readers["dlq"].records})
            return f"no dead letter yet for {gone}; reasons on the DLQ: {reasons}"

        try:
            self.wait("a dead letter for every bad record", all_there, detail=missing)
        except CheckFailed as e:  # each dlq.* case says what is missing
            log(str(e))

    def dlq_case(self, name):
        b = self.bad[name]
        got = self.dead_letters(b["ce_id"])
        where = (f"{b['topic']}[{b['partition']}]@{b['offset']}")
        check(got, f"no dead letter for the record at {where} (ce_id {b['ce_id']}) on "
                   f"{self.s.topic('dlq')}; expected reason {b['reason']!r}")
        summary = [(r.headers.get("baton.service"), r.headers.get("baton.error.reason"),
                    r.headers.get("baton.error.detail")) for r in got]
        check(len(got) == 1, f"{len(got)} dead letters for {where}, expected exactly 1: {summary}")
        h = got[0].headers
        check(h.get("baton.error.reason") == b["reason"],
              f"baton.error.reason {h.get('baton.error.reason')!r} "
              f"(detail {h.get('baton.error.detail')!r}), expected {b['reason']!r}")
        for k in ("baton.source.topic", "baton.source.partition", "baton.source.offset"):
            check(h.get(k), f"header {k} missing on the dead letter: {sorted(h)}")
        src = h["baton.source.topic"]
        check(src in (TOPICS[b["topic"]], self.s.topic(b["topic"])),
              f"baton.source.topic {src!r}, expected {self.s.topic(b['topic'])!r}")
        check(h["baton.source.partition"] == str(b["partition"])
              and h["baton.source.offset"] == str(b["offset"]),
              f"baton.source.partition/offset {h['baton.source.partition']}/"
              f"{h['baton.source.offset']}, the record is at {b['partition']}/{b['offset']}")
        value = got[0].value or b""
        check(value == b["value"],
              f"the dead letter's value ({len(value)} bytes: {value[:80]!r}) is not the bad "
              f"record as sent ({len(b['value'])} bytes: {b['value'][:80]!r})")
        check((got[0].key or None) == (b["key"] or None),
              f"the dead letter's key {got[0].key!r} is not the bad record's key {b['key']!r}")
        owner = OWNER[b["topic"]]
        check(h.get("baton.service") in (None, owner),
              f"dead-lettered by {h.get('baton.service')!r}; the topic's owner is {owner!r}")
        self.settled(f"one dead letter with reason {b['reason']!r}")

    def settled(self, what):
        """Counting checks ("exactly one", "none") hold only once every
        service has consumed everything (case quiesce)."""
        check("quiesce" not in self.failed,
              f"{what} so far, but the services never caught up on their inputs (case quiesce), "
              "so a late record could still change the count")

    def assigned(self, lead):
        return self.routing_events(lead, "assignment")

    def valid_keyless(self):
        self.wait(f"an Assignment for the keyless capture {self.nokey}",
                  lambda: self.assigned(self.nokey), detail=lambda: self.describe_lead(self.nokey))

    def valid_two_sources(self):
        for lead in (self.src_a, self.src_b):
            self.wait(f"an Assignment for {lead} (ce_id shared with another source)",
                      lambda: self.assigned(lead), detail=lambda: self.describe_lead(lead))

    def valid_duplicate_wait(self):
        self.wait(f"an Assignment for {self.dup}", lambda: self.assigned(self.dup),
                  detail=lambda: self.describe_lead(self.dup))

    def valid_duplicate_once(self):
        n = len(self.assigned(self.dup))
        check(n == 1, f"{n} assignments for {self.dup} (captured twice with the same ce_source, "
                      "ce_id and payload), expected exactly 1")
        self.settled("one assignment")

    def no_valid_dead_letters(self):
        dl = [(r.headers.get("ce_id"), r.headers.get("baton.service"),
               r.headers.get("baton.error.reason"), r.headers.get("baton.error.detail"))
              for r in self.readers["dlq"].records if r.headers.get("ce_id") in self.valid_ce_ids]
        check(not dl, f"valid records dead-lettered: {dl}")
        self.settled("no valid record dead-lettered")

    # --- quiescence: every service has consumed everything ------------------
    def lagging(self):
        """(service, topic, partition, committed, end) of every input a
        service has not consumed to its end. Topics this test writes end at
        the high watermark; transactional ones (Baton's own) end one offset
        earlier (the commit marker)."""
        md = self.admin.list_topics(timeout=10).topics
        upstream = {self.s.topic(t) for t in UPSTREAM}
        reads = {"router": ("captured", "signals", "erasure"),
                 "sla-monitor": ("activities", "crm", "erasure"),
                 "feedback": ("captured", "activities", "erasure")}
        out, snapshot = [], {}
        probe = Consumer({"bootstrap.servers": self.s.bootstrap,
                          "group.id": f"conformance-probe-{uuid.uuid4().hex}",
                          "enable.auto.commit": False})
        try:
            for svc, group in self.s.app_ids.items():
                fut = self.admin.list_consumer_group_offsets(
                    [ConsumerGroupTopicPartitions(group)], require_stable=True)[group]
                committed = {(tp.topic, tp.partition): tp.offset
                             for tp in fut.result(timeout=15).topic_partitions}
                wanted = set(committed)
                names = [self.s.topic(t) for t in reads[svc]]
                names += [t for t in md if t.startswith(group + "-") and t.endswith("-repartition")]
                for t in names:
                    for p in (md[t].partitions if t in md else {}):
                        wanted.add((t, p))
                for (t, p) in sorted(wanted):
                    _, high = probe.get_watermark_offsets(TopicPartition(t, p), timeout=10)
                    end = high if t in upstream else high - 1
                    c = committed.get((t, p), -1)
                    snapshot[(group, t, p)] = (c, high)
                    if high > 0 and c < end:
                        out.append((svc, t, p, c, high))
        finally:
            probe.close()
        return out, snapshot

    def highs(self, topic, partitions):
        """{partition: high watermark}, asked by a consumer that fetches
        nothing (a reader's own request would wait behind its fetches)."""
        probe = Consumer({"bootstrap.servers": self.s.bootstrap,
                          "group.id": f"conformance-probe-{uuid.uuid4().hex}",
                          "enable.auto.commit": False})
        try:
            return {p: probe.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1]
                    for p in partitions}
        finally:
            probe.close()

    def quiesce(self):
        deadline = time.monotonic() + QUIESCE_S
        previous = None
        while True:
            self.s.alive()
            lag, snap = self.lagging()
            if not lag and snap == previous:
                for r in self.readers.values():
                    check(r.drain(self.highs(r.topic, r.partitions)),
                          f"could not read {r.topic} to its end")
                return
            previous = None if lag else snap
            if time.monotonic() > deadline:
                raise CheckFailed(f"services not caught up within {QUIESCE_S} s: "
                                  + "; ".join(f"{s} {t}[{p}] committed {c}, end {h}"
                                              for s, t, p, c, h in lag[:10]))
            time.sleep(1)

    # --- partitioning --------------------------------------------------------
    def misplaced_metric(self):
        placed_elsewhere = []
        wrong_model = []
        for r in self.sent:
            if r["key"] is None or r["partition"] is None:
                continue
            n = self.partitions[r["topic"]]
            if r["partition"] != librdkafka_default_partition(r["key"], n):
                wrong_model.append(r["name"])
            if r["partition"] != baton_partition(r["key"], n):
                placed_elsewhere.append(r["name"])
        log(f"{len(placed_elsewhere)} of {sum(1 for r in self.sent if r['key'])} keyed records "
            f"landed off their murmur2 partition: {placed_elsewhere}")
        check(not wrong_model, f"records not on librdkafka's CRC32 partition (is the default "
                               f"partitioner in effect?): {wrong_model}")
        status, body = http_get(self.s.url("router", "/metrics"))
        check(status == 200, f"router /metrics: HTTP {status}")
        series = [ln for ln in body.splitlines() if ln.startswith("baton_input_misplaced_total")]
        total = sum(float(ln.rsplit(" ", 1)[1]) for ln in series)
        check(total > 0, f"baton_input_misplaced_total on the router is {total} "
                         f"(series: {series or 'none'}); {len(placed_elsewhere)} records were "
                         "produced off their murmur2 partition")
        log(f"router: {series}")

    # --- the run -------------------------------------------------------------
    def run(self):
        self.case("setup", self.setup)
        if "setup" in self.failed:
            return
        self.case("send", self.send_initial, needs=("setup",))
        if "send" in self.failed:
            return
        self.case("lifecycle.capture_scores_nurture", self.lifecycle_nurture)
        self.case("lifecycle.kcat_json_signal_assigns_high_intent", self.lifecycle_signal)
        self.case("lifecycle.owner_touch_meets_sla", self.lifecycle_touch,
                  needs=("lifecycle.kcat_json_signal_assigns_high_intent",))
        self.case("lifecycle.stages_qualified_opportunity_won", self.lifecycle_stages,
                  needs=("lifecycle.owner_touch_meets_sla",))
        self.case("lifecycle.outcome_won_with_attribution", self.lifecycle_outcome,
                  needs=("lifecycle.stages_qualified_opportunity_won",))
        self.case("lifecycle.erasure_404_everywhere", self.lifecycle_erasure,
                  needs=("lifecycle.outcome_won_with_attribution",))
        self.case("valid.keyless_capture_with_envelope_lead_id", self.valid_keyless)
        self.case("valid.same_ce_id_two_sources", self.valid_two_sources)
        self.case("valid.duplicate_capture_assigned", self.valid_duplicate_wait)
        self.wait_first_dead_letters()
        self.case("quiesce", self.quiesce)
        self.case("lifecycle.no_sla_breach", self.lifecycle_no_breach,
                  needs=("lifecycle.owner_touch_meets_sla",))
        for name in self.bad:
            self.case(name, lambda n=name: self.dlq_case(n))
        self.case("valid.duplicate_capture_assigned_once", self.valid_duplicate_once,
                  needs=("valid.duplicate_capture_assigned",))
        self.case("valid.nothing_valid_dead_lettered", self.no_valid_dead_letters)
        self.case("partitioning.misplaced_metric", self.misplaced_metric)


def main():
    # ctest's timeout or a Ctrl-C: stop the services this run started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(f"[conformance] {signal.SIGTERM!r}"))
    stack = Stack()
    log(f"broker {stack.bootstrap}, prefix {stack.prefix}, folder {stack.dir}")
    ok = False
    conf = None
    try:
        protos = Protos(stack.dir / "py")
        conf = Conformance(stack, protos)
        conf.run()
        failed = [r for r in conf.results if not r[1]]
        print()
        print(f"{len(conf.results) - len(failed)} of {len(conf.results)} cases passed")
        for name, _, msg in failed:
            print(f"FAILED {name}: {msg}")
        ok = not failed
        return 0 if ok else 1
    except CheckFailed as e:
        print(f"FAILED: {e}")
        return 1
    finally:
        if conf is not None:
            for r in getattr(conf, "readers", {}).values():
                r.close()
        stack.stop_all()
        if ok and not os.environ.get("BATON_KEEP_TEST_DIRS"):
            shutil.rmtree(stack.dir, ignore_errors=True)
        else:
            if not ok:
                stack.log_tails(30)
            print(f"(files kept in {stack.dir})")


if __name__ == "__main__":
    sys.exit(main())

"""The upstream contract as the conformance test sees it.

Topics and who owns them, the two partitioners (Baton's murmur2 and
librdkafka's default CRC32 placement), Python classes generated from
proto/baton/v1, the upstream producer (confluent-kafka with librdkafka's
default partitioner) and read_committed readers; log() and check(), shared
by every module of the test. Also the one guarded import of the venv's
packages (confluent-kafka, protobuf) and of the shared harness
tests/support/py/baton_stack.py: the other modules take those names from here.
"""
import datetime
import glob
import pathlib
import shutil
import subprocess
import sys
import time
import uuid
import zlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests/support/py"))

from checks import CaseRunner, CheckFailed, check, log, set_tag, wait_for  # noqa: E402,F401

try:
    from baton_stack import SERVICES, ServiceStack, http_get, http_json, set_sla_clocks
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


set_tag("conformance")


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

#!/usr/bin/env python3
"""DlqRetention (issue 21): the dead-letter topic, which keeps raw bad
records that can hold PII, gets a 7-day retention wherever it is created:
by `baton topics create` and by a service that creates it at start.

Env (set by ctest): BATON_TEST_BOOTSTRAP_FILE, BATON_BIN_DIR.
"""
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import uuid

from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic

SEVEN_DAYS_MS = str(7 * 24 * 3600 * 1000)
BOOTSTRAP = pathlib.Path(os.environ["BATON_TEST_BOOTSTRAP_FILE"]).read_text().strip()
BIN = pathlib.Path(os.environ["BATON_BIN_DIR"])
ADMIN = AdminClient({"bootstrap.servers": BOOTSTRAP})


def retention_of(topic, deadline_s=60):
    """retention.ms of a topic, waiting (bounded) for the topic to exist."""
    end = time.monotonic() + deadline_s
    last = None
    while time.monotonic() < end:
        try:
            res = ConfigResource(ConfigResource.Type.TOPIC, topic)
            configs = ADMIN.describe_configs([res])[res].result(timeout=10)
            return configs["retention.ms"].value
        except Exception as e:  # the topic does not exist yet
            last = e
            time.sleep(0.2)
    raise AssertionError(f"{topic} never appeared: {last}")


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def cli_created_dlq():
    prefix = f"dlqret-{uuid.uuid4().hex[:8]}."
    out = subprocess.run([str(BIN / "baton"), "--bootstrap", BOOTSTRAP, "--prefix", prefix,
                          "topics", "create"], capture_output=True, text=True, timeout=120)
    check(out.returncode == 0, f"baton topics create failed: {out.stdout}{out.stderr}")
    got = retention_of(prefix + "baton.dlq")
    check(got == SEVEN_DAYS_MS, f"baton topics create: {prefix}baton.dlq retention.ms {got}")
    print(f"ok: baton topics create gives {prefix}baton.dlq retention.ms={got}")


def service_created_dlq():
    tag = uuid.uuid4().hex[:8]
    app = f"dlqret-app-{tag}"
    topics = {"in": f"dlqret-in-{tag}", "out": f"dlqret-out-{tag}", "timers": f"dlqret-t-{tag}"}
    fs = ADMIN.create_topics([NewTopic(t, 1, 1) for t in topics.values()])
    for f in fs.values():
        f.result(timeout=30)
    # Created is not yet visible: wait until the metadata shows every topic
    # with a leader, or the service's start-up check may not find them.
    end = time.monotonic() + 60
    while True:
        md = ADMIN.list_topics(timeout=10).topics
        if all(t in md and md[t].error is None and
               all(p.leader >= 0 for p in md[t].partitions.values()) for t in topics.values()):
            break
        check(time.monotonic() < end, f"topics {list(topics.values())} never visible")
        time.sleep(0.2)
    with tempfile.TemporaryDirectory(prefix="dlqret-") as d:
        cfg = pathlib.Path(d) / "refproc.yaml"
        cfg.write_text(f"kafka:\n  bootstrap_servers: {BOOTSTRAP}\n"
                       f"runtime:\n  application_id: {app}\n  state_dir: {d}/state\n"
                       f"  dead_letter_topic: {app}-dlq\n"
                       f"refproc:\n  input_topic: {topics['in']}\n"
                       f"  output_topic: {topics['out']}\n  timer_topic: {topics['timers']}\n")
        log = open(pathlib.Path(d) / "refproc.log", "w")
        p = subprocess.Popen([str(BIN / "baton-refproc"), "--config", str(cfg), "--instance-id",
                              "d0", "--admin-port", "0"], stdout=log, stderr=subprocess.STDOUT)
        try:
            try:
                got = retention_of(f"{app}-dlq", 120)
            except AssertionError:
                log.flush()
                print((pathlib.Path(d) / "refproc.log").read_text()[-3000:])
                raise
            check(got == SEVEN_DAYS_MS, f"service-created {app}-dlq: retention.ms {got}")
            print(f"ok: a service creates {app}-dlq with retention.ms={got}")
        finally:
            p.terminate()
            p.wait(timeout=60)


def main():
    failures = 0
    for case in (cli_created_dlq, service_created_dlq):
        try:
            case()
        except AssertionError as e:
            failures += 1
            print(f"FAIL {case.__name__}: {e}")
    print(f"dlq retention: {2 - failures} of 2 passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

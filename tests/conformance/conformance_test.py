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

Modules (this folder): conformance_test.py (this entry point: the stack,
the order of the cases, the partitioning case, the summary); contract.py
(topics, partitioners, protobuf classes, the upstream producer and the
readers); session.py (state, reporting, waiting, sending, reading, setup,
quiesce); lifecycle_cases.py; bad_input_cases.py (the initial input, dlq.*
and valid.*). The shared harness is tests/support/py/baton_stack.py.
"""
import os
import shutil
import signal
import sys
import time

from bad_input_cases import BadInputCases
from contract import (READY_TIMEOUT_S, SERVICES, TOPICS, CheckFailed, Protos, ServiceStack,
                      set_sla_clocks,
                      baton_partition, check, http_get, librdkafka_default_partition, log)
from lifecycle_cases import LifecycleCases
from session import Session


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
            set_sla_clocks(doc, ("10m", "20m", "40m"), ("15m", "30m"), "4h")
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

class Conformance(LifecycleCases, BadInputCases, Session):
    """Every case, in the order run() runs them."""

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
        self.case("lifecycle.returning_buyer_won", self.returning_first_cycle)
        self.case("lifecycle.returning_buyer_second_cycle", self.returning_second_cycle,
                  needs=("lifecycle.returning_buyer_won",))
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

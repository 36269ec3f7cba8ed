#!/usr/bin/env python3
"""e2e: the three services under generator load, scraped by a real Prometheus.

Runs baton-router, baton-sla-monitor and baton-feedback (deploy/demo configs,
SLA policies compressed 60x) on the fixture broker under a unique topic
prefix, loads the sample roster, plays `baton generate --time-scale 60` (reps
that touch fast, slowly or never: met SLAs, breaches, escalations,
reassignments, stage changes and dispositions), adds one malformed capture
(a dead letter) and one stage change for an unknown lead (a refused
transition). Debian's prometheus scrapes the three admin ports every second
(job = service name) with the alert rules (deploy/helm/baton/files/rules.yml)
loaded.

Then every PromQL expression of the Grafana dashboard and of every alert
rule (tests/deploy/extract_queries.py) is evaluated through Prometheus' HTTP
API (/api/v1/query) until each returns data; one that never does fails the
test, naming its panel or alert. Alert expressions are evaluated without
their firing thresholds (`x > 0.2` becomes `x > bool 0.2`, `unless` becomes
`and`): the check is that every series an alert reads exists with the
labels it matches on, not that the alert fires.

Env (set by ctest): BATON_TEST_BOOTSTRAP_FILE, BATON_BIN_DIR.
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests/support/py"))
from baton_stack import SERVICES, ServiceStack, free_port, http_get, set_sla_clocks  # noqa: E402

TIME_SCALE = 60
READY_TIMEOUT_S = 300
DATA_TIMEOUT_S = 420


def log(msg):
    print(f"[e2e-prometheus] {msg}", flush=True)


def wait_until(what, predicate, timeout_s, interval_s=0.5):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval_s)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


def without_thresholds(expr):
    """An alert expression that returns its series whether or not it fires."""
    expr = re.sub(r"(==|!=|>=|<=|>|<)\s*(?!bool\b)(-?\d[\d.eE+-]*)", r"\1 bool \2", expr)
    return re.sub(r"\bunless\b", "and", expr)


class Stack(ServiceStack):
    def __init__(self):
        super().__init__("e2eprom", "baton-e2e-prometheus-")

    def adjust_config(self, service, doc):
        if service == "sla-monitor":
            # The playbook compressed 60x (the demo uses 15x): 5 min -> 5 s.
            set_sla_clocks(doc, ("5s", "10s", "20s"), ("15s", "30s"), "4m")
        if service == "feedback":
            doc["feedback"]["calibration"]["min_leads"] = 1
        if service == "router":
            doc["router"]["held_retry"] = "5s"

    def start_services(self):
        configs = self.write_configs()
        for s in SERVICES:
            self.spawn_service(s, configs[s], "e2e-0")
        wait_until("/readyz of the three services", self.ready, READY_TIMEOUT_S)

    def start_prometheus(self):
        prometheus = shutil.which("prometheus")
        if not prometheus:
            raise AssertionError("prometheus not installed (Debian package prometheus; "
                                 "run scripts/setup)")
        self.prom_port = free_port()
        config = {
            "global": {"scrape_interval": "1s", "scrape_timeout": "1s",
                       "evaluation_interval": "1s"},
            "rule_files": [str(ROOT / "deploy/helm/baton/files/rules.yml")],
            "scrape_configs": [
                {"job_name": s, "metrics_path": "/metrics",
                 "static_configs": [{"targets": [f"127.0.0.1:{self.ports[s]}"]}]}
                for s in SERVICES],
        }
        cfg = self.dir / "prometheus.yml"
        cfg.write_text(yaml.safe_dump(config, sort_keys=False))
        self.spawn("prometheus", [prometheus, f"--config.file={cfg}",
                                  f"--storage.tsdb.path={self.dir / 'prometheus-data'}",
                                  f"--web.listen-address=127.0.0.1:{self.prom_port}",
                                  "--storage.tsdb.retention.time=1d", "--log.level=warn"])
        wait_until("prometheus /-/ready",
                   lambda: http_get(f"http://127.0.0.1:{self.prom_port}/-/ready")[0] == 200, 120)

        def all_up():
            _, body = http_get(f"http://127.0.0.1:{self.prom_port}/api/v1/targets")
            try:
                targets = json.loads(body)["data"]["activeTargets"]
            except (ValueError, KeyError):
                return False
            return len(targets) == 3 and all(t["health"] == "up" for t in targets)

        wait_until("the three scrape targets up", all_up, 120)

    def query(self, expr):
        url = (f"http://127.0.0.1:{self.prom_port}/api/v1/query?"
               + urllib.parse.urlencode({"query": expr}))
        status, body = http_get(url, timeout=10)
        if status != 200:
            return None, f"HTTP {status}: {body[:300]}"
        doc = json.loads(body)
        return doc["data"]["result"], ""

    # --- load -------------------------------------------------------------
    def load(self):
        self.cli("topics", "create", "--partitions", "6", name="topics")
        self.cli("roster", "load", str(ROOT / "tools/baton/samples/reps.yaml"), name="roster")
        self.cli("accounts", "load", str(ROOT / "tools/baton/samples/accounts.yaml"),
                 name="roster")

    def start_generator(self):
        self.spawn("generate", [str(self.bin / "baton"), "--bootstrap", self.bootstrap,
                                "--prefix", self.prefix, "generate", "--rate", "1",
                                "--count", "150", "--seed", "42", "--time-scale",
                                str(TIME_SCALE), "--no-roster", "--idle-exit", "20"])

    def inject_bad_input(self):
        # A CRM moving a lead Baton never saw: feedback refuses the transition.
        self.cli("stage", "--lead", "e2e-unknown-lead", "--stage", "qualified", "--rep",
                 "rep-ana", name="stage")
        # A malformed capture: the router dead-letters it.
        r = subprocess.run(["kcat", "-P", "-b", self.bootstrap, "-t",
                            self.prefix + "baton.leads.captured", "-k", "e2e-poison",
                            "-H", "ce_type=baton.v1.LeadCaptured", "-H", "ce_id=e2e-poison-1"],
                           input=b"\xff\xfenot a protobuf\xff", capture_output=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError(f"kcat produce failed: {r.stderr.decode(errors='replace')}")


def queries():
    out = subprocess.run([sys.executable, str(ROOT / "tests/deploy/extract_queries.py"),
                          "--with-titles"], capture_output=True, text=True, check=True)
    items = []
    for line in out.stdout.splitlines():
        where, expr = line.split("\t", 1)
        items.append((where, without_thresholds(expr) if where.startswith("alert ") else expr))
    return items


def main():
    items = queries()
    log(f"{len(items)} expressions to check (dashboard panels and alert rules)")
    stack = Stack()
    ok = False
    try:
        log(f"broker {stack.bootstrap}, prefix {stack.prefix}, folder {stack.dir}")
        stack.load()
        stack.start_services()
        log(f"services ready: {stack.ports}")
        stack.start_prometheus()
        log(f"prometheus on 127.0.0.1:{stack.prom_port} scrapes the three services")
        stack.start_generator()
        stack.inject_bad_input()
        pending = dict(items)
        errors = {}
        deadline = time.monotonic() + DATA_TIMEOUT_S
        while pending and time.monotonic() < deadline:
            for where, expr in list(pending.items()):
                result, err = stack.query(expr)
                if err:
                    errors[where] = err
                elif result:
                    log(f"data: {where}")
                    del pending[where]
                    errors.pop(where, None)
            for s in SERVICES:
                p, path = stack.procs[s]
                if p.poll() is not None:
                    raise AssertionError(f"baton-{s} exited ({p.returncode}) under load; log {path}")
            if pending:
                time.sleep(5)
        if pending:
            print(f"FAILED: {len(pending)} of {len(items)} expressions returned no data:")
            for where, expr in pending.items():
                print(f"  {where}: {expr}" + (f"  [{errors[where]}]" if where in errors else ""))
            return 1
        log(f"all {len(items)} expressions returned data")
        ok = True
        return 0
    except (AssertionError, subprocess.SubprocessError) as e:
        print(f"FAILED: {e}")
        return 1
    finally:
        stack.stop_all()
        if ok:
            shutil.rmtree(stack.dir, ignore_errors=True)
        else:
            stack.log_tails(25)
            print(f"(files kept in {stack.dir})")


if __name__ == "__main__":
    sys.exit(main())

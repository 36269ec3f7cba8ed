#!/usr/bin/env python3
"""e2e: the three services under generator load, scraped by a real Prometheus.

Runs baton-router, baton-sla-monitor and baton-feedback (deploy/demo configs,
SLA policies compressed 60x) on the fixture broker under a unique topic
prefix, loads the sample roster, plays `baton generate --time-scale 60` (reps
that touch fast, slowly or never: met SLAs, breaches, escalations,
reassignments, stage changes and dispositions), adds one malformed capture
(a dead letter) and one stage change for an unknown lead (a refused
transition). Debian's prometheus scrapes the three admin ports every second
(job = service name) with deploy/prometheus/rules.yml loaded.

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
import os
import pathlib
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
SERVICES = ("router", "sla-monitor", "feedback")
TIME_SCALE = 60
READY_TIMEOUT_S = 300
DATA_TIMEOUT_S = 420


def log(msg):
    print(f"[e2e-prometheus] {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=3):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None, ""


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


class Stack:
    def __init__(self):
        self.bootstrap = pathlib.Path(os.environ["BATON_TEST_BOOTSTRAP_FILE"]).read_text().strip()
        self.bin = pathlib.Path(os.environ.get("BATON_BIN_DIR", ROOT / "build/dev/bin"))
        tag = f"e2eprom{os.getpid()}x{random.randrange(1 << 30):x}"
        self.prefix = tag + "."
        self.app_suffix = tag
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="baton-e2e-prometheus-"))
        self.procs = {}  # name -> (Popen, log path)
        self.ports = {}

    # --- processes ------------------------------------------------------
    def spawn(self, name, argv, env=None):
        path = self.dir / f"{name}.log"
        out = open(path, "wb")
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                             env={**os.environ, **(env or {})}, start_new_session=True)
        self.procs[name] = (p, path)
        return p

    def cli(self, *args, name="cli", timeout=120):
        argv = [str(self.bin / "baton"), "--bootstrap", self.bootstrap, "--prefix", self.prefix,
                *args]
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        (self.dir / f"{name}.log").open("a").write(r.stdout + r.stderr)
        if r.returncode != 0:
            raise AssertionError(f"baton {' '.join(args)} failed ({r.returncode}): {r.stderr}")
        return r.stdout

    def stop_all(self):
        for name, (p, _) in reversed(list(self.procs.items())):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for name, (p, _) in self.procs.items():
            try:
                p.wait(timeout=45)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def log_tails(self, lines=25):
        for name, (_, path) in self.procs.items():
            text = path.read_text(errors="replace").splitlines()
            print(f"--- {name} ({path}), last {lines} lines:")
            print("\n".join(text[-lines:]))

    # --- configs ----------------------------------------------------------
    def write_configs(self):
        paths = {}
        for s in SERVICES:
            doc = yaml.safe_load((ROOT / "deploy/demo" / f"{s}.yaml").read_text())
            if s == "sla-monitor":
                # The playbook compressed 60x (the demo uses 15x): 5 min -> 5 s.
                tiers = doc["sla-monitor"]["tiers"]
                tiers["high_intent"].update(first_touch="5s", escalate_after="10s",
                                            reassign_after="20s")
                tiers["standard"].update(first_touch="15s", escalate_after="30s")
                tiers["nurture"].update(first_touch="4m")
            if s == "feedback":
                doc["feedback"]["calibration"]["min_leads"] = 1
            if s == "router":
                doc["router"]["held_retry"] = "5s"
            p = self.dir / f"{s}.yaml"
            p.write_text(yaml.safe_dump(doc, sort_keys=False))
            paths[s] = p
        return paths

    def start_services(self):
        configs = self.write_configs()
        for s in SERVICES:
            port = free_port()
            self.ports[s] = port
            self.spawn(s, [str(self.bin / f"baton-{s}"), "--config", str(configs[s]),
                           "--instance-id", "e2e-0", "--admin-port", str(port),
                           "--state-dir", str(self.dir / "state" / s), "--topic-prefix",
                           self.prefix, "--application-id", f"baton-{s}-{self.app_suffix}"],
                       env={"BATON_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap})

        def ready():
            for s in SERVICES:
                p, path = self.procs[s]
                if p.poll() is not None:
                    raise AssertionError(f"baton-{s} exited ({p.returncode}); log {path}")
                if http_get(f"http://127.0.0.1:{self.ports[s]}/readyz")[0] != 200:
                    return False
            return True

        wait_until("/readyz of the three services", ready, READY_TIMEOUT_S)

    def start_prometheus(self):
        prometheus = shutil.which("prometheus")
        if not prometheus:
            raise AssertionError("prometheus not installed (Debian package prometheus; "
                                 "run scripts/setup)")
        self.prom_port = free_port()
        config = {
            "global": {"scrape_interval": "1s", "scrape_timeout": "1s",
                       "evaluation_interval": "1s"},
            "rule_files": [str(ROOT / "deploy/prometheus/rules.yml")],
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
            stack.log_tails()
            print(f"(files kept in {stack.dir})")


if __name__ == "__main__":
    sys.exit(main())

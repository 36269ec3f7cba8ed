"""Shared harness of the Python tests that run Baton's three services.

Used by tests/conformance/conformance_test.py and
tests/e2e/prometheus_e2e_test.py (each puts this folder on sys.path).
ServiceStack starts baton-router, baton-sla-monitor and baton-feedback
(deploy/demo configs, adjusted by the test) under a unique topic prefix and
application ids, with their logs, configs and state in a temp folder; runs
the `baton` CLI against the same broker and prefix; stops everything.

Env (set by ctest): BATON_TEST_BOOTSTRAP_FILE, BATON_BIN_DIR.
Standard library and Debian's python3-yaml only.
"""
import json
import os
import pathlib
import random
import signal
import socket
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[3]
SERVICES = ("router", "sla-monitor", "feedback")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The services' query listeners started here: plaintext on their own port,
# one token of every scope (the C++ harness does the same: tests/support).
TEST_QUERY_TOKEN = "baton-test-query-token-all-scopes"
QUERY_LISTENERS = set()  # "127.0.0.1:<port>" of every query listener started
ADMIN_PATHS = ("/metrics", "/healthz", "/readyz")


def http_get(url, timeout=3):
    """(status, body); (None, "") when nothing answers. A query listener's URL
    carries the test token."""
    req = urllib.request.Request(url)
    if urllib.parse.urlsplit(url).netloc in QUERY_LISTENERS:
        req.add_header("Authorization", f"Bearer {TEST_QUERY_TOKEN}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None, ""


def http_json(url):
    """(status, parsed body); the body is None when empty or not JSON."""
    status, body = http_get(url)
    try:
        return status, json.loads(body) if body else None
    except ValueError:
        return status, None


def set_sla_clocks(doc, high_intent, standard, nurture):
    """Sets the sla-monitor's clocks in a config doc: high_intent is
    (first_touch, escalate_after, reassign_after), standard
    (first_touch, escalate_after), nurture first_touch."""
    tiers = doc["sla-monitor"]["tiers"]
    tiers["high_intent"].update(zip(("first_touch", "escalate_after", "reassign_after"),
                                    high_intent))
    tiers["standard"].update(zip(("first_touch", "escalate_after"), standard))
    tiers["nurture"].update(first_touch=nurture)


class ServiceStack:
    """The three services and the processes a test starts beside them.

    tag_prefix starts the run's tag (topic prefix "<tag>.", application ids
    "baton-<service>-<tag>"); dir_prefix names its temp folder. A subclass
    sets `failure` (the exception it raises) and may override
    adjust_config(service, doc) to change a deploy/demo config.
    """

    failure = AssertionError

    def __init__(self, tag_prefix, dir_prefix):
        self.bootstrap = pathlib.Path(os.environ["BATON_TEST_BOOTSTRAP_FILE"]).read_text().strip()
        self.bin = pathlib.Path(os.environ.get("BATON_BIN_DIR", ROOT / "build/dev/bin"))
        self.tag = f"{tag_prefix}{os.getpid()}x{random.randrange(1 << 30):x}"
        self.prefix = self.tag + "."
        self.app_ids = {s: f"baton-{s}-{self.tag}" for s in SERVICES}
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix=dir_prefix))
        self.procs = {}  # name -> (Popen, log path)
        self.ports = {}  # service -> admin port
        self.query_ports = {}  # service -> query listener port

    # --- processes ------------------------------------------------------
    def spawn(self, name, argv, env=None):
        """Starts argv in its own session, output to <dir>/<name>.log."""
        path = self.dir / f"{name}.log"
        with open(path, "wb") as out:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                                 stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
                                 start_new_session=True)
        self.procs[name] = (p, path)
        return p

    def cli(self, *args, name="cli", timeout=120):
        """Runs `baton --bootstrap ... --prefix ... args`: its stdout."""
        # A loaded CI machine (sanitizer builds) can take longer than the CLI's
        # default 8 s to elect the leaders of topics it just created.
        argv = [str(self.bin / "baton"), "--bootstrap", self.bootstrap, "--prefix", self.prefix,
                "--kafka-timeout", "60", *args]
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        with (self.dir / f"{name}.log").open("a") as f:
            f.write(r.stdout + r.stderr)
        if r.returncode != 0:
            raise self.failure(f"baton {' '.join(args)} failed ({r.returncode}): {r.stderr}")
        return r.stdout

    def stop_all(self):
        """SIGTERM to all, newest first; kill what has not exited after 45 s."""
        for _, (p, _) in reversed(list(self.procs.items())):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for _, (p, _) in self.procs.items():
            try:
                p.wait(timeout=45)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def log_tails(self, lines):
        for name, (_, path) in self.procs.items():
            text = path.read_text(errors="replace").splitlines()
            print(f"--- {name} ({path}), last {lines} lines:")
            print("\n".join(text[-lines:]))

    # --- the services -----------------------------------------------------
    def adjust_config(self, service, doc):
        """Changes the deploy/demo config of one service (doc, in place)."""

    def write_configs(self):
        """{service: path} of its config, written to the folder."""
        paths = {}
        for s in SERVICES:
            doc = yaml.safe_load((ROOT / "deploy/demo" / f"{s}.yaml").read_text())
            self.adjust_config(s, doc)
            p = self.dir / f"{s}.yaml"
            p.write_text(yaml.safe_dump(doc, sort_keys=False))
            paths[s] = p
        return paths

    def spawn_service(self, service, config, instance_id):
        """Starts baton-<service> with its admin port free, its state in the folder."""
        port = free_port()
        self.ports[service] = port
        qport = free_port()
        self.query_ports[service] = qport
        QUERY_LISTENERS.add(f"127.0.0.1:{qport}")
        tokens = self.dir / "query-tokens.yaml"
        if not tokens.exists():
            # Written once, atomically, as tests/support/harness.cc does: a
            # service already starting reads it (rewriting it per spawn made
            # sla-monitor read an empty file and exit in CI).
            tmp = tokens.with_name(tokens.name + ".tmp")
            tmp.write_text("tokens:\n  - name: test\n    scopes: [leads:read, reports:read, "
                           f"pii:read]\n    token: {TEST_QUERY_TOKEN}\n")
            tmp.replace(tokens)
        return self.spawn(service, [str(self.bin / f"baton-{service}"), "--config", str(config),
                                    "--instance-id", instance_id, "--admin-port", str(port),
                                    "--query-port", str(qport), "--query-token-file", str(tokens),
                                    "--query-plaintext",
                                    "--state-dir", str(self.dir / "state" / service),
                                    "--topic-prefix", self.prefix,
                                    "--application-id", self.app_ids[service]],
                          env={"BATON_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap})

    def alive(self):
        """Raises when one of the three services has exited."""
        for s in SERVICES:
            p, path = self.procs[s]
            if p.poll() is not None:
                raise self.failure(f"baton-{s} exited ({p.returncode}); log {path}")

    def ready(self):
        """True when the three services answer /readyz with 200."""
        self.alive()
        return all(http_get(self.url(s, "/readyz"))[0] == 200 for s in SERVICES)

    def url(self, service, path):
        """The admin port for metrics and probes, the query listener otherwise."""
        if path.startswith(ADMIN_PATHS):
            return f"http://127.0.0.1:{self.ports[service]}{path}"
        return f"http://127.0.0.1:{self.query_ports[service]}{path}"

#!/usr/bin/env python3
"""Tests of the Grafana dashboard and the alert rules' packaging.

- the dashboard is generated (deploy/grafana/dashboard.py), and the
  dashboard and the alert rules each have one file, in the chart's files/
  (no second copy under deploy/grafana or deploy/prometheus);
- the dashboard has the namespace/tier/source variables and the panels of
  the weekly revenue review and service health (lag per partition and
  transaction aborts among them);
- every PromQL expression (dashboard and alerts) parses (promtool) and uses
  only metric names the services export;
- tests/deploy/extract_queries.py prints one substituted expression a line.
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHART_FILES = ROOT / "deploy/helm/baton/files"
DASHBOARD = CHART_FILES / "baton.json"
RULES = CHART_FILES / "rules.yml"
EXTRACT = ROOT / "tests/deploy/extract_queries.py"

# Metrics the services export (the runtime's, router's, sla-monitor's, feedback's).
EXPORTED = {
    "baton_records_in_total", "baton_records_out_total", "baton_transactions_total",
    "baton_producer_recreated_total",
    "baton_transaction_commit_seconds", "baton_transaction_flush_seconds",
    "baton_transaction_offsets_seconds", "baton_transaction_end_seconds",
    "baton_processing_latency_seconds", "baton_consumer_lag",
    "baton_restore_progress_ratio", "baton_restore_seconds", "baton_restoring",
    "baton_restore_held_partitions",
    "baton_dead_letters_total", "baton_timers_pending", "baton_timer_lateness_seconds",
    "baton_ready", "baton_input_misplaced_total", "baton_input_skipped_total",
    "baton_router_leads_routed_total", "baton_router_capture_to_assignment_seconds",
    "baton_router_held_leads", "baton_router_open_leads", "baton_router_waiting_leads",
    "baton_router_waiting_oldest_requested_seconds", "baton_router_identity_checks_total",
    "baton_sla_first_response_seconds", "baton_sla_first_response_by_rep_seconds",
    "baton_sla_breaches_total", "baton_sla_escalations_total", "baton_sla_reassignments_total",
    "baton_sla_met_total", "baton_sla_open_clocks", "baton_sla_system_delay_seconds",
    "baton_sla_rep_delay_seconds",
    "baton_funnel_transitions_total",
    "baton_feedback_outcomes_total", "baton_feedback_dispositions_total",
    "baton_feedback_transitions_rejected_total", "baton_calibration_conversion_ratio",
    "baton_feedback_rep_delay_seconds", "baton_feedback_rep_delay_by_campaign_seconds",
    "baton_calibration_flagged_bands",
}
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


def metric_names(expr):
    names = set(re.findall(r"\b(baton_[a-z0-9_]+)", expr))
    out = set()
    for n in names:
        for suffix in HISTOGRAM_SUFFIXES:
            if n.endswith(suffix) and n[: -len(suffix)] in EXPORTED:
                n = n[: -len(suffix)]
        out.add(n)
    return out


def panels(doc):
    for p in doc["panels"]:
        yield p
        yield from p.get("panels", [])


class OneSource(unittest.TestCase):
    def test_dashboard_is_generated(self):
        out = subprocess.run([sys.executable, str(ROOT / "deploy/grafana/dashboard.py"), "--check"],
                             capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    def test_no_second_copy(self):
        # Helm reads files inside the chart only: the chart's files/ hold the
        # dashboard and the rules, and everything else points there.
        for d in ("deploy/grafana", "deploy/prometheus"):
            copies = sorted(str(p.relative_to(ROOT)) for p in (ROOT / d).glob("*")
                            if p.suffix in (".json", ".yml", ".yaml"))
            self.assertEqual(copies, [], f"a second dashboard or rules file in {d}: use "
                                         f"{CHART_FILES.relative_to(ROOT)}/ instead")

    def test_promtool_tests_load_the_chart_rules(self):
        for test in sorted((ROOT / "deploy/prometheus/tests").glob("*.yml")):
            files = yaml.safe_load(test.read_text())["rule_files"]
            self.assertEqual([(test.parent / f).resolve() for f in files], [RULES], test.name)


class Dashboard(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.doc = json.loads(DASHBOARD.read_text())
        cls.panels = [p for p in panels(cls.doc) if p["type"] != "row"]
        cls.titles = [p["title"] for p in cls.panels]

    def test_variables(self):
        names = {v["name"]: v for v in self.doc["templating"]["list"]}
        self.assertLessEqual({"datasource", "namespace", "tier", "source"}, set(names))
        for v in ("namespace", "tier", "source"):
            self.assertTrue(names[v]["includeAll"])
            self.assertEqual(names[v]["allValue"], ".*")

    def test_review_and_health_panels(self):
        wanted = ["Lead → contact rate", "Contact → qualified rate", "Qualified → opportunity rate",
                  "First response by rep", "First response by tier", "SLA compliance",
                  "Breaches, escalations", "Disposition reasons by campaign",
                  "Capture → assignment latency", "System delay per assignment",
                  "Rep delay per assignment", "Consumer lag", "Consumer lag by partition",
                  "Transactions by result", "Transaction aborts", "Transaction commit latency",
                  "Restore progress", "Dead letters", "Ready instances",
                  "Identity checks by outcome"]
        for w in wanted:
            self.assertTrue(any(t.startswith(w) for t in self.titles), f"no panel '{w}'")

    def test_variables_used(self):
        exprs = " ".join(t["expr"] for p in self.panels for t in p["targets"])
        for v in ("$namespace", "$tier", "$source"):
            self.assertIn(v, exprs)

    def test_every_panel_queries_exported_metrics(self):
        for p in self.panels:
            self.assertTrue(p["targets"], p["title"])
            for t in p["targets"]:
                names = metric_names(t["expr"])
                self.assertTrue(names, f"{p['title']}: no baton metric")
                self.assertLessEqual(names, EXPORTED, p["title"])
                self.assertEqual(t["datasource"], {"type": "prometheus", "uid": "${datasource}"})

    def test_exported_metrics_are_registered_in_the_sources(self):
        # EXPORTED is no wish list: each name is registered (.Name("...")) by
        # the runtime or a service.
        registered = set()
        for d in ("runtime", "services"):
            for src in (ROOT / d).rglob("*"):
                if src.suffix in (".cc", ".h"):
                    registered |= set(re.findall(r'\.Name\(\s*"(baton_[a-z0-9_]+)"',
                                                 src.read_text(errors="replace")))
        self.assertLessEqual(EXPORTED, registered)

    def test_lag_per_partition_and_aborts(self):
        by_title = {p["title"]: p for p in self.panels}
        [lag] = by_title["Consumer lag by partition"]["targets"]
        self.assertRegex(lag["expr"], r"by \(service, topic, partition\) \(baton_consumer_lag\{")
        self.assertIn("{{partition}}", lag["legendFormat"])
        aborts = [t["expr"] for t in by_title["Transaction aborts"]["targets"]]
        self.assertTrue(any('baton_transactions_total{' in e and 'result="aborted"' in e
                            for e in aborts), aborts)

    def test_grid_has_no_overlaps(self):
        cells = set()
        for p in panels(self.doc):
            g = p["gridPos"]
            self.assertLessEqual(g["x"] + g["w"], 24, p["title"])
            for x in range(g["x"], g["x"] + g["w"]):
                for y in range(g["y"], g["y"] + g["h"]):
                    self.assertNotIn((x, y), cells, p["title"])
                    cells.add((x, y))

    def test_unique_ids(self):
        ids = [p["id"] for p in panels(self.doc)]
        self.assertEqual(len(ids), len(set(ids)))


class Queries(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        out = subprocess.run([sys.executable, str(EXTRACT), "--with-titles"],
                             capture_output=True, text=True, check=True)
        cls.items = [line.split("\t", 1) for line in out.stdout.splitlines()]

    def test_one_line_per_expression_without_variables(self):
        doc = json.loads(DASHBOARD.read_text())
        n_panel = sum(len(p.get("targets", [])) for p in panels(doc))
        n_rules = sum(len(g["rules"]) for g in yaml.safe_load(RULES.read_text())["groups"])
        self.assertEqual(len(self.items), n_panel + n_rules)
        for where, expr in self.items:
            self.assertNotIn("$", expr, where)
            self.assertNotIn("\n", expr, where)

    def test_alert_rules_use_exported_metrics(self):
        for where, expr in self.items:
            self.assertLessEqual(metric_names(expr), EXPORTED, where)

    def test_every_expression_parses(self):
        promtool = shutil.which("promtool")
        if not promtool:
            self.skipTest("promtool not installed")
        rules = [{"record": f"baton:check:{i}", "expr": expr}
                 for i, (_, expr) in enumerate(self.items)]
        with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
            yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}, f)
        out = subprocess.run([promtool, "check", "rules", f.name], capture_output=True, text=True)
        pathlib.Path(f.name).unlink()
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)

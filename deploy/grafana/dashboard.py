#!/usr/bin/env python3
"""Generates Baton's Grafana dashboard, deploy/helm/baton/files/baton.json.

That file is the dashboard's only copy: the chart ships it as the Grafana
sidecar's ConfigMap (grafanaDashboard.enabled), and it imports as it is into
any Grafana (Dashboards > Import, or a file provider pointed at that folder).
Helm reads files inside the chart only, so it lives there.

The dashboard is the weekly revenue review (funnel rates by source, first
response by rep and tier, SLA compliance, dispositions by campaign,
capture-to-assignment latency) plus service health (lag per topic and per
partition, transactions and aborts, commit latency, restore, dead letters,
readiness).

  deploy/grafana/dashboard.py           rewrite the dashboard
  deploy/grafana/dashboard.py --check   exit 1 if it differs from this generator's output

Label values assumed (the services' contract): stage = captured, assigned,
contacted, qualified, opportunity, won, lost, recycled, rejected; tier =
high-intent, standard, nurture.
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "deploy" / "helm" / "baton" / "files" / "baton.json"

DS = {"type": "prometheus", "uid": "${datasource}"}
NS = 'namespace=~"$namespace"'
TIER = 'tier=~"$tier"'
SOURCE = 'source=~"$source"'


class Layout:
    """Places panels left to right on Grafana's 24-column grid."""

    def __init__(self):
        self.panels = []
        self.x = 0
        self.y = 0
        self.row_h = 0
        self.next_id = 1

    def _id(self):
        i = self.next_id
        self.next_id += 1
        return i

    def row(self, title):
        self._newline()
        self.panels.append({"type": "row", "title": title, "id": self._id(), "collapsed": False,
                            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}, "panels": []})
        self.y += 1

    def _newline(self):
        if self.x:
            self.y += self.row_h
        self.x = 0
        self.row_h = 0

    def add(self, panel, w, h):
        if self.x + w > 24:
            self._newline()
        panel["id"] = self._id()
        panel["gridPos"] = {"h": h, "w": w, "x": self.x, "y": self.y}
        self.panels.append(panel)
        self.x += w
        self.row_h = max(self.row_h, h)


def target(expr, legend="", ref="A", instant=False, fmt="time_series"):
    t = {"datasource": DS, "expr": expr, "legendFormat": legend or "__auto", "refId": ref,
         "range": not instant, "instant": instant}
    if fmt != "time_series":
        t["format"] = fmt
    return t


def panel(kind, title, description, targets, unit="short", **options):
    p = {"type": kind, "title": title, "description": description, "datasource": DS,
         "targets": targets,
         "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
         "options": options.get("options", {})}
    if "thresholds" in options:
        p["fieldConfig"]["defaults"]["thresholds"] = {"mode": "absolute",
                                                     "steps": options["thresholds"]}
    if "min" in options:
        p["fieldConfig"]["defaults"]["min"] = options["min"]
    if "max" in options:
        p["fieldConfig"]["defaults"]["max"] = options["max"]
    if "transformations" in options:
        p["transformations"] = options["transformations"]
    return p


def funnel_rate(to_stage, from_stage):
    def inc(stage):
        return (f'sum by (source) (increase(baton_funnel_transitions_total{{{NS}, {SOURCE}, '
                f'stage="{stage}"}}[$__range]))')
    return f"{inc(to_stage)}\n/\n{inc(from_stage)}"


def quantile(q, metric, by, selector, window="$__rate_interval"):
    return (f"histogram_quantile({q}, sum by ({by}, le) "
            f"(rate({metric}_bucket{{{selector}}}[{window}])))")


RED_AMBER_GREEN = [{"color": "red", "value": None}, {"color": "orange", "value": 0.8},
                   {"color": "green", "value": 0.95}]
GREEN_RED = [{"color": "green", "value": None}, {"color": "red", "value": 1}]


def build():
    L = Layout()

    # --- Funnel -----------------------------------------------------------
    L.row("Funnel by source (weekly review)")
    for title, to_s, from_s in [("Lead → contact rate", "contacted", "captured"),
                                ("Contact → qualified rate", "qualified", "contacted"),
                                ("Qualified → opportunity rate", "opportunity", "qualified")]:
        L.add(panel("bargauge", f"{title} by source",
                    f"Leads entering '{to_s}' divided by leads entering '{from_s}' over the "
                    "dashboard's time range, per lead source.",
                    [target(funnel_rate(to_s, from_s), "{{source}}", instant=True)],
                    unit="percentunit", min=0, max=1,
                    options={"orientation": "horizontal", "displayMode": "gradient",
                             "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}),
              8, 8)
    L.add(panel("timeseries", "Stage transitions by stage",
                "Lifecycle transitions per stage (leads moving into each stage).",
                [target(f'sum by (stage) (increase(baton_funnel_transitions_total{{{NS}, {SOURCE}}}'
                        '[$__rate_interval]))', "{{stage}}")]), 12, 8)
    L.add(panel("table", "Outcomes returned to marketing by source",
                "Closed-loop outcomes emitted to marketing over the time range, by stage and "
                "source.",
                [target(f'sum by (source, stage) (increase(baton_feedback_outcomes_total{{{NS}, '
                        f'{SOURCE}}}[$__range]))', instant=True, fmt="table")]), 12, 8)

    L.add(panel("timeseries", "Captures rejected (not leads)",
                "Captures dead-lettered by the router per reason: they never count as leads "
                "in the funnel (a merged capture counts as a touch of its surviving lead).",
                [target(f'sum by (reason) (increase(baton_dead_letters_total{{{NS}, '
                        'service="router", topic=~".*leads.captured"}[$__rate_interval]))',
                        "{{reason}}")]), 12, 8)
    L.add(panel("timeseries", "Inputs moved to their key's partition",
                "Records an upstream producer put on another partition than murmur2(key) "
                "(librdkafka's, sarama's default partitioners): each takes one extra hop. "
                "partitioner=murmur2_random on the producer saves it (docs/integrating.md).",
                [target(f'sum by (service, topic) (rate(baton_input_misplaced_total{{{NS}}}'
                        '[$__rate_interval]))', "{{service}} {{topic}}")], unit="ops"), 12, 8)

    # --- First response -----------------------------------------------------
    L.row("First response")
    L.add(panel("table", "First response by rep (median, p90)",
                "Time from assignment to the owner's first touch, per rep, over the time range.",
                [target(quantile(0.5, "baton_sla_first_response_by_rep_seconds", "rep", NS,
                                 "$__range"), "median", "A", instant=True, fmt="table"),
                 target(quantile(0.9, "baton_sla_first_response_by_rep_seconds", "rep", NS,
                                 "$__range"), "p90", "B", instant=True, fmt="table")],
                unit="s",
                transformations=[{"id": "merge", "options": {}},
                                 {"id": "organize", "options": {
                                     "excludeByName": {"Time": True},
                                     "renameByName": {"Value #A": "median",
                                                      "Value #B": "p90"}}}]), 10, 10)
    L.add(panel("timeseries", "First response by tier (median, p90)",
                "Time from assignment to first touch, per tier.",
                [target(quantile(0.5, "baton_sla_first_response_seconds", "tier", f"{NS}, {TIER}"),
                        "median {{tier}}", "A"),
                 target(quantile(0.9, "baton_sla_first_response_seconds", "tier", f"{NS}, {TIER}"),
                        "p90 {{tier}}", "B")], unit="s"), 14, 10)

    # --- SLA ----------------------------------------------------------------
    L.row("SLA")
    within = f'sum by (tier) (increase(baton_sla_met_total{{{NS}, {TIER}, within="true"}}[$__range]))'
    breached = f'sum by (tier) (increase(baton_sla_breaches_total{{{NS}, {TIER}}}[$__range]))'
    L.add(panel("stat", "SLA compliance by tier",
                "Share of resolved SLA clocks met within the tier's first-response SLA "
                "(met in time / (met in time + breached)).",
                [target(f"{within}\n/\n({within} + {breached})", "{{tier}}", instant=True)],
                unit="percentunit", min=0, max=1, thresholds=RED_AMBER_GREEN,
                options={"colorMode": "background", "graphMode": "none",
                         "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}), 8, 6)
    L.add(panel("stat", "Breaches, escalations, reassignments",
                "Totals over the time range.",
                [target(f'sum(increase(baton_sla_breaches_total{{{NS}, {TIER}}}[$__range]))',
                        "breaches", "A", instant=True),
                 target(f'sum(increase(baton_sla_escalations_total{{{NS}, {TIER}}}[$__range]))',
                        "escalations", "B", instant=True),
                 target(f'sum(increase(baton_sla_reassignments_total{{{NS}, {TIER}}}[$__range]))',
                        "reassignments", "C", instant=True)],
                options={"colorMode": "value", "graphMode": "none",
                         "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}), 8, 6)
    L.add(panel("timeseries", "Open SLA clocks",
                "Assigned leads still waiting for their first touch (all tiers: the gauge has "
                "no tier label).",
                [target(f'sum(baton_sla_open_clocks{{{NS}}})', "open clocks")]),
          8, 6)
    L.add(panel("timeseries", "Breaches, escalations and reassignments by tier",
                "Per interval, per tier.",
                [target(f'sum by (tier) (increase(baton_sla_breaches_total{{{NS}, {TIER}}}'
                        '[$__rate_interval]))', "breaches {{tier}}", "A"),
                 target(f'sum by (tier) (increase(baton_sla_escalations_total{{{NS}, {TIER}}}'
                        '[$__rate_interval]))', "escalations {{tier}}", "B"),
                 target(f'sum by (tier) (increase(baton_sla_reassignments_total{{{NS}, {TIER}}}'
                        '[$__rate_interval]))', "reassignments {{tier}}", "C")]), 12, 8)
    L.add(panel("timeseries", "Where the wait goes: system vs rep delay (p90)",
                "System delay (capture to assignment) against rep delay (assignment to first "
                "touch).",
                [target(quantile(0.9, "baton_sla_system_delay_seconds", "tier", f"{NS}, {TIER}"),
                        "system {{tier}}", "A"),
                 target(quantile(0.9, "baton_sla_rep_delay_seconds", "tier", f"{NS}, {TIER}"),
                        "rep {{tier}}", "B")], unit="s"), 12, 8)

    # --- Dispositions -------------------------------------------------------
    L.row("Dispositions and scoring")
    L.add(panel("table", "Disposition reasons by campaign",
                "Why leads were rejected, recycled or lost, per campaign, over the time range.",
                [target(f'sum by (campaign, reason) (increase(baton_feedback_dispositions_total'
                        f'{{{NS}}}[$__range]))', instant=True, fmt="table")]), 12, 9)
    L.add(panel("timeseries", "Rejected stage transitions by rule",
                "Impossible lifecycle transitions rejected by feedback.",
                [target(f'sum by (rule) (increase(baton_feedback_transitions_rejected_total{{{NS}}}'
                        '[$__rate_interval]))', "{{rule}}")]), 12, 9)
    L.add(panel("bargauge", "Conversion by score band",
                "Scoring calibration: share of leads in each score band that converted.",
                [target(f'avg by (band) (baton_calibration_conversion_ratio{{{NS}}})', "{{band}}",
                        instant=True)],
                unit="percentunit", min=0, max=1,
                options={"orientation": "vertical", "displayMode": "basic",
                         "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}), 16, 7)
    L.add(panel("stat", "Flagged score bands",
                "Bands that score high but convert low: the scoring model needs a look.",
                [target(f'max(baton_calibration_flagged_bands{{{NS}}})', "flagged", instant=True)],
                thresholds=GREEN_RED,
                options={"colorMode": "background", "graphMode": "none",
                         "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}), 8, 7)

    # --- Routing ------------------------------------------------------------
    L.row("Routing")
    L.add(panel("timeseries", "Capture → assignment latency by tier",
                "System delay: from the cause of each assignment (capture, promoting signal or "
                "reassignment request) to an owner (median, p90, p99).",
                [target(quantile(q, "baton_router_capture_to_assignment_seconds", "tier",
                                 f"{NS}, {TIER}"), f"{name} {{{{tier}}}}", ref)
                 for q, name, ref in [(0.5, "median", "A"), (0.9, "p90", "B"), (0.99, "p99", "C")]],
                unit="s"), 12, 8)
    L.add(panel("timeseries", "Leads routed by pool",
                "Assignments per second, per pool.",
                [target(f'sum by (pool) (rate(baton_router_leads_routed_total{{{NS}, {TIER}, '
                        f'{SOURCE}}}[$__rate_interval]))', "{{pool}}")], unit="ops"), 12, 8)
    L.add(panel("timeseries", "System delay per assignment by tier (p50, p90)",
                "Each assignment (first or reassignment) from its cause: capture, promoting "
                "signal or reassignment request. A reassignment does not carry the first "
                "owner's SLA.",
                [target(quantile(q, "baton_router_capture_to_assignment_seconds", "tier",
                                 f"{NS}, {TIER}"), f"{name} {{{{tier}}}}", ref)
                 for q, name, ref in [(0.5, "p50", "A"), (0.9, "p90", "B")]],
                unit="s"), 12, 8)
    L.add(panel("timeseries", "Rep delay per assignment by tier (p50, p90)",
                "Each assignment to its owner's first touch (feedback), by tier and source.",
                [target(quantile(q, "baton_feedback_rep_delay_seconds", "tier",
                                 f"{NS}, {TIER}, {SOURCE}"), f"{name} {{{{tier}}}}", ref)
                 for q, name, ref in [(0.5, "p50", "A"), (0.9, "p90", "B")]],
                unit="s"), 12, 8)
    L.add(panel("timeseries", "Rep delay by source (p50, p90)",
                "Response time: each assignment to its owner's first touch, by source "
                "(sources beyond feedback.funnel.top_sources are 'other'). /funnel?by=source "
                "gives the same from feedback's state.",
                [target(quantile(q, "baton_feedback_rep_delay_seconds", "source",
                                 f"{NS}, {TIER}, {SOURCE}"), f"{name} {{{{source}}}}", ref)
                 for q, name, ref in [(0.5, "p50", "A"), (0.9, "p90", "B")]],
                unit="s"), 12, 8)
    L.add(panel("timeseries", "Rep delay by campaign (p50, p90)",
                "Response time by campaign (the top feedback.funnel.top_campaigns and the "
                "pinned ones; the rest is 'other'). /funnel?by=campaign gives the same from "
                "feedback's state.",
                [target(quantile(q, "baton_feedback_rep_delay_by_campaign_seconds", "campaign",
                                 NS), f"{name} {{{{campaign}}}}", ref)
                 for q, name, ref in [(0.5, "p50", "A"), (0.9, "p90", "B")]],
                unit="s"), 12, 8)
    L.add(panel("timeseries", "Leads waiting for an owner by desk and tier",
                "Leads truly waiting (held at their desk: no eligible rep in the pool or its "
                "fallback) and how long the oldest has waited since its request. "
                "BatonHighIntentLeadUnassigned fires past a minute for high-intent.",
                [target(f'sum by (desk, tier) (baton_router_waiting_leads{{{NS}, {TIER}}})',
                        "waiting {{desk}} {{tier}}", "A"),
                 target(f'time() - min by (desk, tier) (baton_router_waiting_oldest_requested_'
                        f'seconds{{{NS}, {TIER}}} > 0)', "oldest wait (s) {{desk}} {{tier}}",
                        "B")]), 24, 8)
    L.add(panel("timeseries", "Held leads by pool",
                "Leads waiting with no eligible owner (working hours, out of office, capacity).",
                [target(f'sum by (pool) (baton_router_held_leads{{{NS}}})', "{{pool}}")]), 12, 7)
    L.add(panel("bargauge", "Open leads by rep (top 20)",
                "Leads each rep currently owns (least-loaded routing and capacity caps).",
                [target(f'topk(20, sum by (rep) (baton_router_open_leads{{{NS}}}))', "{{rep}}",
                        instant=True)],
                options={"orientation": "horizontal", "displayMode": "basic",
                         "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}), 12, 7)
    L.add(panel("timeseries", "Identity checks by outcome",
                "Captures checked against the person view at the identity desk: kept (a new "
                "person or the same lead), merged (a returning person, one owner per person), "
                "erased, carried (person records of an earlier build handed over after an "
                "upgrade; falls to zero when the carry is done).",
                [target(f'sum by (outcome) (rate(baton_router_identity_checks_total{{{NS}}}'
                        f'[$__rate_interval]))', "{{outcome}}")], unit="ops"), 12, 7)

    # --- Service health -----------------------------------------------------
    L.row("Service health")
    L.add(panel("stat", "Ready instances",
                "Instances reporting ready per service (ready once state is restored).",
                [target(f'sum by (service) (baton_ready{{{NS}}})', "{{service}}", instant=True)],
                options={"colorMode": "value", "graphMode": "none",
                         "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}), 8, 6)
    L.add(panel("bargauge", "Restore progress",
                "Changelog restore progress per instance (1 = restored).",
                [target(f'max by (service, instance) (baton_restore_progress_ratio{{{NS}}})',
                        "{{service}} {{instance}}", instant=True)],
                unit="percentunit", min=0, max=1,
                options={"orientation": "horizontal", "displayMode": "gradient",
                         "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}), 8, 6)
    L.add(panel("timeseries", "Restore duration",
                "Seconds spent restoring state from the changelog, instances restoring now, "
                "and changelog partitions whose restore waits for an open transaction to end "
                "(at most 45 s; a killed instance's, or a commit whose markers are late).",
                [target(f'max by (service, instance) (baton_restore_seconds{{{NS}}})',
                        "{{service}} {{instance}}", "A"),
                 target(f'sum by (service) (baton_restoring{{{NS}}})', "restoring {{service}}",
                        "B"),
                 target(f'sum by (service) (baton_restore_held_partitions{{{NS}}})',
                        "held by an open transaction {{service}}", "C")], unit="s"), 8, 6)
    L.add(panel("timeseries", "Consumer lag",
                "Records behind the end of each input topic, per service and topic.",
                [target(f'sum by (service, topic) (baton_consumer_lag{{{NS}}})',
                        "{{service}} {{topic}}")]), 12, 8)
    L.add(panel("timeseries", "Consumer lag by partition",
                "Records between the committed position and the end of each input partition "
                "(max over instances: a partition has one owner). One partition far behind "
                "the others points at a hot key or a stuck task, not at too few instances.",
                [target(f'max by (service, topic, partition) (baton_consumer_lag{{{NS}}})',
                        "{{service}} {{topic}}[{{partition}}]")]), 12, 8)
    L.add(panel("timeseries", "Transactions by result",
                "Committed and aborted transactions per second.",
                [target(f'sum by (service, result) (rate(baton_transactions_total{{{NS}}}'
                        '[$__rate_interval]))', "{{service}} {{result}}")], unit="ops"), 8, 8)
    L.add(panel("timeseries", "Transaction aborts",
                "Transactions aborted per interval (the runtime rewinds to the last commit "
                "and processes those inputs again), and transactional producers recreated "
                "after a fatal error. A steady rate means broker trouble or a fenced instance.",
                [target(f'sum by (service) (increase(baton_transactions_total{{{NS}, '
                        'result="aborted"}[$__rate_interval]))', "aborted {{service}}", "A"),
                 target(f'sum by (service) (increase(baton_producer_recreated_total{{{NS}}}'
                        '[$__rate_interval]))', "producer recreated {{service}}", "B")]), 8, 8)
    L.add(panel("timeseries", "Transaction commit latency (p50, p99)",
                "Exactly-once transaction commit time per service, and the p99 of its "
                "parts: the flush that delivers the transaction's records (AddPartitionsToTxn "
                "and Produce round trips), the input offsets (AddOffsetsToTxn and "
                "TxnOffsetCommit) and the coordinator's commit (EndTxn). A flush near the "
                "whole commit means a slow or busy broker; a slow end, a slow transaction "
                "coordinator.",
                [target(quantile(0.5, "baton_transaction_commit_seconds", "service", NS),
                        "p50 {{service}}", "A"),
                 target(quantile(0.99, "baton_transaction_commit_seconds", "service", NS),
                        "p99 {{service}}", "B"),
                 target(quantile(0.99, "baton_transaction_flush_seconds", "service", NS),
                        "p99 flush {{service}}", "C"),
                 target(quantile(0.99, "baton_transaction_offsets_seconds", "service", NS),
                        "p99 offsets {{service}}", "D"),
                 target(quantile(0.99, "baton_transaction_end_seconds", "service", NS),
                        "p99 end {{service}}", "E")], unit="s"), 8, 8)
    L.add(panel("timeseries", "Processing latency, event time → commit (p99)",
                "Delay from an event's time to the commit of its effects.",
                [target(quantile(0.99, "baton_processing_latency_seconds", "service", NS),
                        "{{service}}")], unit="s"), 8, 8)
    L.add(panel("timeseries", "Records in and out",
                "Records consumed and produced per second, per service.",
                [target(f'sum by (service) (rate(baton_records_in_total{{{NS}}}[$__rate_interval]))',
                        "in {{service}}", "A"),
                 target(f'sum by (service) (rate(baton_records_out_total{{{NS}}}'
                        '[$__rate_interval]))', "out {{service}}", "B")], unit="ops"), 8, 8)
    L.add(panel("timeseries", "Dead letters",
                "Records sent to the dead-letter topic, per service and reason.",
                [target(f'sum by (service, reason) (increase(baton_dead_letters_total{{{NS}}}'
                        '[$__rate_interval]))', "{{service}} {{reason}}")]), 8, 8)
    L.add(panel("timeseries", "Timers pending",
                "Durable timers waiting to fire (SLA clocks, holds).",
                [target(f'sum by (service) (baton_timers_pending{{{NS}}})', "{{service}}")]), 8, 8)
    L.add(panel("timeseries", "Timer lateness (p99)",
                "How late timers fire after their due time.",
                [target(quantile(0.99, "baton_timer_lateness_seconds", "service", NS),
                        "{{service}}")], unit="s"), 8, 8)
    return L.panels


def variable(name, label, query, ds=True):
    return {"name": name, "label": label, "type": "query", "datasource": DS,
            "query": {"query": query, "refId": f"{name}-query"}, "definition": query,
            "refresh": 2, "includeAll": True, "multi": True, "allValue": ".*",
            "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
            "sort": 1, "hide": 0, "options": []}


def dashboard():
    return {
        "annotations": {"list": [{
            "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
            "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
            "name": "Annotations & Alerts", "type": "dashboard"}]},
        "description": "Baton: marketing-to-sales lead handoff. Weekly revenue review and "
                       "service health.",
        "editable": True,
        "graphTooltip": 1,
        "links": [],
        "panels": build(),
        "refresh": "1m",
        "schemaVersion": 39,
        "tags": ["baton", "revenue", "kafka"],
        "templating": {"list": [
            {"name": "datasource", "label": "Data source", "type": "datasource",
             "query": "prometheus", "current": {}, "hide": 0, "refresh": 1, "regex": "",
             "options": []},
            variable("namespace", "Namespace", "label_values(baton_ready, namespace)"),
            variable("tier", "Tier",
                     "label_values(baton_router_capture_to_assignment_seconds_count, tier)"),
            variable("source", "Source", "label_values(baton_funnel_transitions_total, source)"),
        ]},
        "time": {"from": "now-7d", "to": "now"},
        "timepicker": {},
        "timezone": "",
        "title": "Baton — lead handoff",
        "uid": "baton-lead-handoff",
        "version": 1,
    }


def render():
    return json.dumps(dashboard(), indent=2, ensure_ascii=False) + "\n"


def main(argv):
    text = render()
    rel = OUT.relative_to(ROOT)
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"stale: {rel} (run deploy/grafana/dashboard.py)")
            return 1
        print("dashboard up to date")
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

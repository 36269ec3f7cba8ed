#!/usr/bin/env python3
"""Prints every PromQL expression of Baton's dashboard and alert rules, one a line.

Dashboard variables are replaced so the expressions run as they are through
Prometheus' HTTP API: $namespace, $tier, $source (and any other template
variable used in a label matcher) become the regex .*, Grafana's interval
variables ($__rate_interval, $__interval, $__range) become fixed windows.

  tests/deploy/extract_queries.py [--dashboard FILE] [--rules FILE]
      [--range 1h] [--rate-interval 1m] [--no-rules] [--no-dashboard] [--with-titles]

--with-titles prints "<where>\t<expr>" (where = panel title / alert name).
Multi-line expressions are joined into one line.
"""
import argparse
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def substitute(expr, rng, rate_interval):
    expr = expr.replace("$__rate_interval", rate_interval).replace("${__rate_interval}", rate_interval)
    expr = expr.replace("$__interval", rate_interval).replace("${__interval}", rate_interval)
    expr = expr.replace("$__range", rng).replace("${__range}", rng)
    # Remaining template variables: ${var}, ${var:regex}, $var -> .*
    expr = re.sub(r"\$\{[A-Za-z_][A-Za-z0-9_]*(:[a-z]+)?\}", ".*", expr)
    expr = re.sub(r"\$[A-Za-z_][A-Za-z0-9_]*", ".*", expr)
    return " ".join(expr.split())


def walk_panels(panels):
    for p in panels:
        yield p
        yield from walk_panels(p.get("panels", []))


def dashboard_queries(path):
    doc = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    for p in walk_panels(doc.get("panels", [])):
        for t in p.get("targets", []):
            if t.get("expr"):
                yield f'panel "{p.get("title", "")}" {t.get("refId", "")}', t["expr"]


def rule_queries(path):
    import yaml  # python3-yaml

    doc = yaml.safe_load(pathlib.Path(path).read_text(encoding="utf-8"))
    for g in doc.get("groups", []):
        for r in g.get("rules", []):
            yield f'alert {r.get("alert") or r.get("record")}', str(r["expr"])


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dashboard", default=str(ROOT / "deploy/helm/baton/files/baton.json"))
    ap.add_argument("--rules", default=str(ROOT / "deploy/helm/baton/files/rules.yml"))
    ap.add_argument("--range", default="1h", help="value of $__range")
    ap.add_argument("--rate-interval", default="1m", help="value of $__rate_interval and $__interval")
    ap.add_argument("--no-rules", action="store_true")
    ap.add_argument("--no-dashboard", action="store_true")
    ap.add_argument("--with-titles", action="store_true")
    a = ap.parse_args(argv)
    items = []
    if not a.no_dashboard:
        items += list(dashboard_queries(a.dashboard))
    if not a.no_rules:
        items += list(rule_queries(a.rules))
    for where, expr in items:
        q = substitute(expr, a.range, a.rate_interval)
        print(f"{where}\t{q}" if a.with_titles else q)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""The chart's README documents every value (ctest -R ChartDocs).

- deploy/helm/baton/README.md is what scripts/chart-docs generates now from
  values.yaml's @param comments (Bitnami's readme-generator-for-helm) and
  values.schema.json (the Type column): regenerated into a temporary copy and
  compared; a stale README fails naming the fix (run scripts/chart-docs);
- every value in values.yaml has a @param with a description, and the README
  has a row with name, type, description and default for each;
- on broken copies of the chart: a stale README, a value without @param, a
  @param without a value or description, and @skip each fail with a message
  that names the fix.

Run: python3 tests/deploy/chart_docs_test.py  (tools from scripts/deploy-tools)
"""
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import unittest

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "baton"
CHART_DOCS = ROOT / "scripts" / "chart-docs"
PARAM = re.compile(r"^\s*##\s*@param\s+(\S+)\s*(\[.*?\])?\s*(.*)$")


def chart_docs(*args, chart=None):
    env = dict(os.environ)
    if chart:
        env["BATON_CHART_DIR"] = str(chart)
    return subprocess.run([str(CHART_DOCS), *args], capture_output=True, text=True,
                          env=env, check=False)


def params(values_text):
    """{path: (modifiers, description)} of the @param comments."""
    return {m.group(1): (m.group(2) or "", m.group(3).strip())
            for m in map(PARAM.match, values_text.splitlines()) if m}


def leaves(node, path=""):
    """Paths of values.yaml's values, as the readme generator names them: a
    leaf, an empty map or list, or a list of scalars."""
    if isinstance(node, dict) and node:
        for k, v in node.items():
            yield from leaves(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list) and node and any(isinstance(x, (dict, list)) for x in node):
        for i, v in enumerate(node):
            yield from leaves(v, f"{path}[{i}]")
    else:
        yield path


def covered(path, documented):
    """A value is covered by its own @param, or by an ancestor's @param with a
    modifier (e.g. [default: ...] for a list of maps)."""
    if path in documented:
        return True
    return any(mods and (path.startswith(p + ".") or path.startswith(p + "["))
               for p, (mods, _) in documented.items())


class ReadmeIsCurrent(unittest.TestCase):
    def test_regenerated_readme_equals_the_committed_one(self):
        out = chart_docs("--check")
        self.assertEqual(out.returncode, 0,
                         "deploy/helm/baton/README.md is not current: run scripts/chart-docs\n"
                         + out.stdout + out.stderr)


class EveryValueDocumented(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        text = (CHART / "values.yaml").read_text()
        cls.values = yaml.safe_load(text)
        cls.params = params(text)
        cls.readme = (CHART / "README.md").read_text()

    def test_every_value_has_a_param(self):
        missing = [p for p in leaves(self.values) if not covered(p, self.params)]
        self.assertEqual(missing, [], "values without a '## @param <path> <description>' "
                                      "comment in deploy/helm/baton/values.yaml")

    def test_every_param_has_a_description(self):
        self.assertEqual([p for p, (_, d) in self.params.items() if not d], [])

    def test_readme_row_per_param_with_type_and_default(self):
        rows = {}
        for line in self.readme.splitlines():
            m = re.match(r"^\| `([^`]+)` +\| (.+?) +\| (.+?) +\| (.+?) +\|$", line)
            if m:
                rows[m.group(1)] = m.groups()[1:]
        self.assertEqual(set(rows), set(self.params))
        for name, (kind, description, default) in rows.items():
            self.assertRegex(kind, r"^(string|integer|number|boolean|object|array)", name)
            self.assertTrue(description and default.startswith("`"), name)
        self.assertEqual(rows["router.replicaCount"][0], "integer")
        self.assertEqual(rows["router.replicaCount"][2], "`2`")
        self.assertEqual(rows["router.persistence.size"][0], "string or number")
        self.assertEqual(rows["grafanaDashboard.labelValue"][:3:2], ("string", "`1`"))
        self.assertIn("`SASL_SSL`", rows["kafka.securityProtocol"][0])


class BrokenCopies(unittest.TestCase):
    """scripts/chart-docs --check on a copy of the chart with one thing wrong."""

    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp())
        self.chart = self.tmp / "baton"
        shutil.copytree(CHART, self.chart)
        self.values = self.chart / "values.yaml"

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def edit(self, old, new):
        text = self.values.read_text()
        self.assertIn(old, text)
        self.values.write_text(text.replace(old, new, 1))

    def assert_check_fails(self, *messages):
        out = chart_docs("--check", chart=self.chart)
        self.assertNotEqual(out.returncode, 0, out.stdout + out.stderr)
        for m in messages:
            self.assertIn(m, out.stdout + out.stderr)
        self.assertIn("run scripts/chart-docs", out.stderr)

    def test_copy_is_current(self):
        out = chart_docs("--check", chart=self.chart)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    def test_changed_default_makes_the_readme_stale(self):
        self.edit("  replicaCount: 2\n", "  replicaCount: 3\n")
        self.assert_check_fails("README.md is not current")

    def test_changed_schema_type_makes_the_readme_stale(self):
        schema = self.chart / "values.schema.json"
        text = schema.read_text()
        old = '"replicationFactor": {\n          "type": "integer",'
        self.assertIn(old, text)
        schema.write_text(text.replace(old, '"replicationFactor": {\n          "type": "number",', 1))
        self.assert_check_fails("README.md is not current")

    def test_value_without_param(self):
        self.edit("  replicaCount: 2\n", "  replicaCount: 2\n  surgeInstances: 1\n")
        self.assert_check_fails("Missing metadata for key: router.surgeInstances")

    def test_param_without_value(self):
        self.edit("  replicaCount: 2\n",
                  "  replicaCount: 2\n  ## @param router.gone A value that is not there\n")
        self.assert_check_fails("Metadata provided for non existing key: router.gone")

    def test_param_without_description(self):
        self.edit("## @param router.replicaCount Instances of router",
                  "## @param router.replicaCount\n  ## Instances of router")
        self.assert_check_fails("@param router.replicaCount has no description")

    def test_skip_is_refused(self):
        self.edit("podSecurityContext:\n", "## @skip podSecurityContext\npodSecurityContext:\n")
        self.assert_check_fails("@skip hides values from the README")


if __name__ == "__main__":
    os.chdir(ROOT)
    unittest.main(verbosity=2)

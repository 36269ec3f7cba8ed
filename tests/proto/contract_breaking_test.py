#!/usr/bin/env python3
"""Proves the contract check catches what it must: each case copies proto/ to a
temp dir, applies one edit, runs proto/check/check_contract.py against the
committed baseline and asserts the verdict (fail for breaking or lint errors,
pass for compatible edits)."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.environ.get("BATON_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECKER = os.path.join(ROOT, "proto", "check", "check_contract.py")
BASELINE = os.path.join(ROOT, "proto", "check", "baseline.desc.json")


def run_with_edit(path, old, new):
    """Copies the protos, replaces `old` by `new` in baton/v1/<path>, runs the checker."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(os.path.join(ROOT, "proto", "baton"), os.path.join(tmp, "baton"))
        target = os.path.join(tmp, "baton", "v1", path)
        with open(target, encoding="utf-8") as f:
            text = f.read()
        if old not in text:
            raise AssertionError(f"test fixture outdated: {old!r} not in {path}")
        with open(target, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))
        result = subprocess.run(
            [sys.executable, CHECKER, "--proto-root", tmp, "--baseline", BASELINE],
            capture_output=True, text=True, check=False)
        return result.returncode, result.stdout + result.stderr


class ContractCheck(unittest.TestCase):
    def assert_fails(self, path, old, new, expected):
        code, out = run_with_edit(path, old, new)
        self.assertEqual(code, 1, out)
        self.assertIn(expected, out)

    def assert_passes(self, path, old, new):
        code, out = run_with_edit(path, old, new)
        self.assertEqual(code, 0, out)

    def test_unchanged_tree_passes(self):
        self.assert_passes("common.proto", "syntax", "syntax")

    def test_removed_field_fails(self):
        self.assert_fails("common.proto", "  string source_system = 3;\n", "",
                          "baton.v1.Envelope.source_system (= 3) removed")

    def test_renumbered_field_fails(self):
        self.assert_fails("common.proto", "string source_system = 3;",
                          "string source_system = 30;", "renumbered 3 -> 30")

    def test_retyped_field_fails(self):
        self.assert_fails("common.proto", "string lead_id = 4;", "int64 lead_id = 4;",
                          "type changed 'TYPE_STRING' -> 'TYPE_INT64'")

    def test_renamed_field_fails(self):
        self.assert_fails("common.proto", "string lead_id = 4;", "string lead_key = 4;",
                          "name changed 'lead_id' -> 'lead_key'")

    def test_repeated_label_change_fails(self):
        self.assert_fails("common.proto", "string lead_id = 4;", "repeated string lead_id = 4;",
                          "label changed")

    def test_removed_enum_value_fails(self):
        self.assert_fails("common.proto", "  TIER_NURTURE = 3;\n", "",
                          "baton.v1.Tier.TIER_NURTURE (= 3) removed")

    def test_missing_message_comment_fails_lint(self):
        self.assert_fails("common.proto",
                          "// A disposition: reason from the controlled list, text required for OTHER.\n",
                          "", "message baton.v1.Disposition has no leading comment")

    def test_wrong_package_fails_lint(self):
        code, out = run_with_edit("activity.proto", "package baton.v1;", "package baton.v2;")
        self.assertNotEqual(code, 0, out)

    def test_removal_with_reserved_number_passes(self):
        self.assert_passes("common.proto", "  string source_system = 3;\n",
                           "  reserved 3;\n  reserved \"source_system\";\n")

    def test_added_field_passes(self):
        self.assert_passes("common.proto", "  string causation_id = 7;\n",
                           "  string causation_id = 7;\n  // Added by the test.\n"
                           "  string added_by_test = 99;\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)

#!/usr/bin/env python3
"""Static checks of the container image recipe (no Docker engine here).

- hadolint (from scripts/deploy-tools) finds nothing;
- multi-stage: the final stage is debian:bookworm-slim and copies the four
  binaries from the build stage;
- the final stage installs runtime libraries only (no compiler, no -dev
  package, no build tool) and runs as a non-root numeric user;
- every Debian package named exists in the machine's bookworm package lists.
"""
import pathlib
import re
import shutil
import subprocess
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
BUILD_TOOLS = re.compile(r"^(build-essential|gcc|g\+\+|clang.*|cmake|make|ninja-build|pkg-config|"
                         r"protobuf-compiler|.*-dev|git|curl|wget)$")


def instructions(text):
    """(instruction, argument) pairs, continuation lines joined, comments dropped."""
    lines, cur = [], ""
    for raw in text.splitlines():
        s = raw.strip()
        if not cur and (not s or s.startswith("#")):
            continue
        if s.startswith("#"):
            continue
        cur += " " + s.rstrip("\\").strip() if cur else s.rstrip("\\").strip()
        if not s.endswith("\\"):
            lines.append(cur)
            cur = ""
    return [(ln.split(None, 1)[0].upper(), ln.split(None, 1)[1] if " " in ln else "")
            for ln in lines]


def stages(instrs):
    out = []
    for ins, arg in instrs:
        if ins == "FROM":
            out.append({"from": arg, "instrs": []})
        elif out:
            out[-1]["instrs"].append((ins, arg))
    return out


def apt_packages(run_arg):
    pkgs = []
    for m in re.finditer(r"apt-get install ([^&;|]*)", run_arg):
        pkgs += [w for w in m.group(1).split() if not w.startswith("-")]
    return pkgs


class Dockerfile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stages = stages(instructions(DOCKERFILE.read_text()))
        cls.final = cls.stages[-1]
        cls.final_pkgs = [p for ins, arg in cls.final["instrs"] if ins == "RUN"
                          for p in apt_packages(arg)]

    def test_multi_stage(self):
        self.assertGreaterEqual(len(self.stages), 2)
        self.assertTrue(self.stages[0]["from"].startswith("debian:bookworm"))
        self.assertTrue(self.final["from"].startswith("debian:bookworm-slim"))
        copies = [arg for ins, arg in self.final["instrs"] if ins == "COPY"]
        self.assertTrue(any(c.startswith("--from=build") for c in copies), copies)
        build_run = " ".join(arg for ins, arg in self.stages[0]["instrs"] if ins == "RUN")
        for binary in ("baton-router", "baton-sla-monitor", "baton-feedback", "baton "):
            self.assertIn(binary, build_run)

    def test_final_stage_has_no_build_tools(self):
        self.assertTrue(self.final_pkgs)
        bad = [p for p in self.final_pkgs if BUILD_TOOLS.match(p)]
        self.assertEqual(bad, [])
        for lib in ("librdkafka++1", "libprotobuf32", "librocksdb7.8",
                    "libprometheus-cpp-core1.0", "libyaml-cpp0.7", "libabsl20220623"):
            self.assertIn(lib, self.final_pkgs)

    def test_final_stage_carries_zone_data(self):
        # Calendars name IANA zones, which Abseil reads from
        # /usr/share/zoneinfo; without it a service refuses to start naming
        # the zone (ctest -R ZoneData), never UTC.
        self.assertIn("tzdata", self.final_pkgs)

    def test_final_stage_cleans_apt_lists(self):
        runs = [arg for ins, arg in self.final["instrs"] if ins == "RUN" and "apt-get" in arg]
        for r in runs:
            self.assertIn("--no-install-recommends", r)
            self.assertIn("rm -rf /var/lib/apt/lists/*", r)

    def test_runs_as_non_root(self):
        users = [arg for ins, arg in self.final["instrs"] if ins == "USER"]
        self.assertTrue(users, "no USER in the final stage")
        uid = users[-1].split(":")[0]
        self.assertTrue(uid.isdigit(), "numeric uid lets runAsNonRoot verify it")
        self.assertEqual(int(uid), 10001)
        self.assertIn("/var/lib/baton", " ".join(arg for ins, arg in self.final["instrs"]))

    def test_packages_exist_in_bookworm(self):
        if not shutil.which("apt-cache"):
            self.skipTest("no apt-cache")
        pkgs = [p for st in self.stages for ins, arg in st["instrs"] if ins == "RUN"
                for p in apt_packages(arg)]
        out = subprocess.run(["apt-cache", "policy", *pkgs], capture_output=True, text=True)
        missing = [p for p in pkgs if re.search(rf"^{re.escape(p)}:\n\s+Installed: .*\n\s+Candidate: "
                                                r"\(none\)", out.stdout, re.M)
                   or f"{p}:" not in out.stdout]
        if len(missing) == len(pkgs):
            self.skipTest("apt lists are empty (run apt-get update)")
        self.assertEqual(missing, [])

    def test_dockerignore_keeps_context_small(self):
        ignored = (ROOT / ".dockerignore").read_text().split()
        for p in (".git", ".cache", "build"):
            self.assertIn(p, ignored)

    def test_hadolint(self):
        hadolint = ROOT / ".cache/bin/hadolint"
        if not hadolint.exists():
            found = shutil.which("hadolint")
            if not found:
                self.skipTest("hadolint not installed: run scripts/deploy-tools")
            hadolint = pathlib.Path(found)
        out = subprocess.run([str(hadolint), "--no-color", str(DOCKERFILE)],
                             capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)

"""The Python integration tests' plumbing: one log format, one check, one
bounded wait, and a runner of named cases where a failing case fails only
itself (and what depends on it). Used by tests/conformance and
tests/security."""
import time
import traceback

START = time.monotonic()
TAG = "test"


def set_tag(tag):
    """Names the test in every log line ("[conformance  12.3s] ...")."""
    global TAG
    TAG = tag


def log(msg):
    print(f"[{TAG} {time.monotonic() - START:6.1f}s] {msg}", flush=True)


class CheckFailed(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise CheckFailed(msg)


def wait_for(what, predicate, timeout, detail=None, interval=0.5, before=None):
    """Polls predicate until truthy (returns its value), else CheckFailed
    naming `what` and `detail()`. `before` runs ahead of each poll."""
    deadline = time.monotonic() + timeout
    while True:
        if before:
            before()
        got = predicate()
        if got:
            return got
        if time.monotonic() > deadline:
            extra = ""
            if detail:
                try:
                    extra = f"; {detail()}"
                except Exception as e:  # noqa: BLE001
                    extra = f"; (detail failed: {e})"
            raise CheckFailed(f"timed out after {timeout} s waiting for {what}{extra}")
        time.sleep(interval)


class CaseRunner:
    """Runs named cases; results is [(name, ok, message)]."""

    def __init__(self):
        self.results = []
        self.failed = set()

    def case(self, name, fn, needs=()):
        missing = [n for n in needs if n in self.failed or n not in {r[0] for r in self.results}]
        if missing:
            self.record(name, False, f"not run: depends on {', '.join(missing)}")
            return
        log(f"case {name} ...")
        try:
            fn()
            self.record(name, True, "")
        except CheckFailed as e:
            self.record(name, False, str(e))
        except Exception as e:  # noqa: BLE001 - a bug in a case fails that case only
            self.record(name, False, f"{type(e).__name__}: {e}\n{traceback.format_exc()}")

    def record(self, name, ok, msg):
        self.results.append((name, ok, msg))
        if not ok:
            self.failed.add(name)
        log(f"{'PASS' if ok else 'FAIL'} {name}" + (f": {msg}" if msg else ""))

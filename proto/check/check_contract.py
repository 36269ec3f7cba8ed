#!/usr/bin/env python3
"""Lint and breaking-change check for Baton's event contract (proto/baton/v1).

Compiles the protos with protoc (--include_source_info), then
  lint:     package baton.v1, files under baton/v1/ named lower_snake_case,
            every message and enum has a leading comment, names follow the
            protobuf style guide, enum zero values end in _UNSPECIFIED;
  breaking: compares a summary of the descriptors with the committed baseline
            (proto/check/baseline.desc.json). Removing a message, an enum, a
            field or an enum value (unless its number is reserved), renumbering,
            renaming, retyping or relabelling a field, moving it into or out of
            a oneof, dropping a reserved number or reusing one all fail.
Additions are compatible; the check passes and says the baseline is behind
(--strict makes that an error). --update-baseline rewrites the baseline.

Exit status: 0 ok, 1 lint or breaking-change errors, 2 usage/tool errors.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    from google.protobuf import descriptor_pb2
except ImportError:  # pragma: no cover - environment problem
    # A python3 earlier on PATH (pyenv, venv) may lack Debian's python3-protobuf.
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and \
            os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("python3 protobuf module missing: run scripts/setup (installs python3-protobuf)",
          file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ROOT = os.path.dirname(HERE)
DEFAULT_BASELINE = os.path.join(HERE, "baseline.desc.json")
PACKAGE = "baton.v1"
FDP = descriptor_pb2.FieldDescriptorProto

CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
UPPER_SNAKE = re.compile(r"^[A-Z][A-Z0-9_]*$")


def compile_protos(root, protoc):
    files = sorted(
        os.path.relpath(os.path.join(d, f), root)
        for d, _, names in os.walk(os.path.join(root, "baton"))
        for f in names if f.endswith(".proto"))
    if not files:
        sys.exit(f"no .proto files under {root}/baton")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "contract.desc")
        cmd = [protoc, f"--proto_path={root}", "--include_source_info",
               f"--descriptor_set_out={out}"] + files
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            print("protoc failed", file=sys.stderr)
            sys.exit(2)
        fds = descriptor_pb2.FileDescriptorSet()
        with open(out, "rb") as f:
            fds.ParseFromString(f.read())
    return fds


def leading_comments(fd):
    """Maps a source path (tuple) to its leading comment text."""
    return {tuple(loc.path): loc.leading_comments.strip()
            for loc in fd.source_code_info.location if loc.leading_comments.strip()}


# Field numbers in FileDescriptorProto / DescriptorProto, for source paths.
FILE_MESSAGE, FILE_ENUM = 4, 5
MSG_FIELD, MSG_NESTED, MSG_ENUM = 2, 3, 4


def walk(fd):
    """Yields (kind, full_name, proto, source_path) for messages and enums."""
    def messages(protos, prefix, path, tag):
        for i, m in enumerate(protos):
            name = f"{prefix}.{m.name}"
            p = path + (tag, i)
            yield "message", name, m, p
            yield from messages(m.nested_type, name, p, MSG_NESTED)
            for j, e in enumerate(m.enum_type):
                yield "enum", f"{name}.{e.name}", e, p + (MSG_ENUM, j)

    yield from messages(fd.message_type, fd.package, (), FILE_MESSAGE)
    for i, e in enumerate(fd.enum_type):
        yield "enum", f"{fd.package}.{e.name}", e, (FILE_ENUM, i)


def lint(fds):
    errors = []
    for fd in fds.file:
        where = fd.name
        if fd.package != PACKAGE:
            errors.append(f"{where}: package is '{fd.package}', expected '{PACKAGE}'")
        if not fd.name.startswith("baton/v1/"):
            errors.append(f"{where}: must live under baton/v1/")
        if not SNAKE.match(os.path.basename(fd.name)[:-len(".proto")]):
            errors.append(f"{where}: file name must be lower_snake_case")
        comments = leading_comments(fd)
        for kind, name, proto, path in walk(fd):
            if kind == "message" and proto.options.map_entry:
                continue
            if path not in comments:
                errors.append(f"{where}: {kind} {name} has no leading comment")
            if not CAMEL.match(proto.name):
                errors.append(f"{where}: {kind} {name} must be CamelCase")
            if kind == "message":
                for f in proto.field:
                    if not SNAKE.match(f.name):
                        errors.append(f"{where}: field {name}.{f.name} must be lower_snake_case")
            else:
                for v in proto.value:
                    if not UPPER_SNAKE.match(v.name):
                        errors.append(f"{where}: enum value {name}.{v.name} must be UPPER_SNAKE_CASE")
                zero = [v.name for v in proto.value if v.number == 0]
                if not zero or not zero[0].endswith("_UNSPECIFIED"):
                    errors.append(f"{where}: enum {name} needs a zero value named *_UNSPECIFIED")
    return errors


def label_of(f):
    if f.label == FDP.LABEL_REPEATED:
        return "repeated"
    if f.proto3_optional:
        return "optional"
    return "singular"


def summarize(fds):
    """A JSON-able summary: what compatibility depends on, nothing else."""
    messages, enums = {}, {}
    for fd in fds.file:
        for kind, name, proto, _ in walk(fd):
            if kind == "message":
                fields = {}
                for f in proto.field:
                    oneof = ""
                    if f.HasField("oneof_index") and not f.proto3_optional:
                        oneof = proto.oneof_decl[f.oneof_index].name
                    fields[str(f.number)] = {
                        "name": f.name,
                        "type": f.type_name.lstrip(".") or FDP.Type.Name(f.type),
                        "label": label_of(f),
                        "oneof": oneof,
                    }
                reserved = sorted([r.start, r.end - 1] for r in proto.reserved_range)
                messages[name] = {"file": fd.name, "fields": fields,
                                  "reserved_numbers": reserved,
                                  "reserved_names": sorted(proto.reserved_name)}
            else:
                reserved = sorted([r.start, r.end] for r in proto.reserved_range)
                enums[name] = {"file": fd.name,
                               "values": {str(v.number): v.name for v in proto.value},
                               "reserved_numbers": reserved,
                               "reserved_names": sorted(proto.reserved_name)}
    return {"package": PACKAGE, "messages": messages, "enums": enums}


def is_reserved(number, ranges):
    """ranges: [first, last] pairs, both inclusive."""
    return any(first <= number <= last for first, last in ranges)


def lost_ranges(base_ranges, cur_ranges):
    """Baseline reserved ranges that the current contract no longer covers whole."""
    return [r for r in base_ranges
            if not any(f <= r[0] and r[1] <= l for f, l in cur_ranges)]


def compare(base, cur):
    """Returns (breaking errors, compatible additions)."""
    errors, additions = [], []
    for name, bm in base["messages"].items():
        cm = cur["messages"].get(name)
        if cm is None:
            errors.append(f"message {name} removed")
            continue
        reserved = cm["reserved_numbers"]
        by_name = {f["name"]: num for num, f in cm["fields"].items()}
        for lost in lost_ranges(bm["reserved_numbers"], reserved):
            errors.append(f"{name}: reserved numbers {lost[0]}..{lost[1]} no longer reserved")
        for num in sorted(map(int, cm["fields"])):
            if is_reserved(num, bm["reserved_numbers"]):
                errors.append(f"{name}: field number {num} was reserved and is reused")
        for lost in sorted(set(bm["reserved_names"]) - set(cm["reserved_names"])):
            errors.append(f"{name}: reserved name '{lost}' is no longer reserved")
        for num, bf in bm["fields"].items():
            cf = cm["fields"].get(num)
            if cf is None:
                if bf["name"] in by_name:
                    errors.append(f"{name}.{bf['name']}: renumbered {num} -> {by_name[bf['name']]}")
                elif not is_reserved(int(num), reserved):
                    errors.append(f"{name}.{bf['name']} (= {num}) removed without reserving {num}")
                continue
            for key in ("name", "type", "label", "oneof"):
                if cf[key] != bf[key]:
                    errors.append(f"{name} field {num}: {key} changed "
                                  f"'{bf[key]}' -> '{cf[key]}'")
        for num in sorted(set(cm["fields"]) - set(bm["fields"]), key=int):
            additions.append(f"{name}.{cm['fields'][num]['name']} = {num}")
    for name, be in base["enums"].items():
        ce = cur["enums"].get(name)
        if ce is None:
            errors.append(f"enum {name} removed")
            continue
        reserved = ce["reserved_numbers"]
        for lost in lost_ranges(be["reserved_numbers"], reserved):
            errors.append(f"{name}: reserved numbers {lost[0]}..{lost[1]} no longer reserved")
        for num in sorted(map(int, ce["values"])):
            if is_reserved(num, be["reserved_numbers"]):
                errors.append(f"{name}: value number {num} was reserved and is reused")
        for num, value in be["values"].items():
            now = ce["values"].get(num)
            if now is None and not is_reserved(int(num), reserved):
                errors.append(f"{name}.{value} (= {num}) removed without reserving {num}")
            elif now is not None and now != value:
                errors.append(f"{name} value {num}: renamed {value} -> {now}")
        for num in sorted(set(ce["values"]) - set(be["values"]), key=int):
            additions.append(f"{name}.{ce['values'][num]} = {num}")
    for name in sorted(set(cur["messages"]) - set(base["messages"])):
        additions.append(f"message {name}")
    for name in sorted(set(cur["enums"]) - set(base["enums"])):
        additions.append(f"enum {name}")
    return errors, additions


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--proto-root", default=DEFAULT_ROOT,
                    help="folder holding baton/v1/*.proto (default: proto/)")
    ap.add_argument("--baseline", default=DEFAULT_BASELINE)
    ap.add_argument("--protoc", default="protoc")
    ap.add_argument("--update-baseline", action="store_true",
                    help="write the current contract as the new baseline (after lint passes)")
    ap.add_argument("--strict", action="store_true",
                    help="also fail when the baseline lacks compatible additions")
    args = ap.parse_args()

    fds = compile_protos(os.path.abspath(args.proto_root), args.protoc)
    lint_errors = lint(fds)
    for e in lint_errors:
        print(f"LINT: {e}")
    current = summarize(fds)

    if args.update_baseline:
        if lint_errors:
            print(f"{len(lint_errors)} lint error(s): baseline not updated")
            return 1
        if os.path.exists(args.baseline):
            with open(args.baseline, encoding="utf-8") as f:
                breaking, _ = compare(json.load(f), current)
            for e in breaking:
                print(f"BREAKING: {e}")
            if breaking:
                print("refusing to record a breaking change as the baseline")
                return 1
        with open(args.baseline, "w", encoding="utf-8") as f:
            json.dump(current, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"baseline written: {args.baseline} ({len(current['messages'])} messages, "
              f"{len(current['enums'])} enums)")
        return 0

    if not os.path.exists(args.baseline):
        print(f"no baseline at {args.baseline}: run with --update-baseline")
        return 2
    with open(args.baseline, encoding="utf-8") as f:
        baseline = json.load(f)
    breaking, additions = compare(baseline, current)
    for e in breaking:
        print(f"BREAKING: {e}")
    if additions:
        print(f"baseline is behind by {len(additions)} compatible addition(s) "
              f"(record them: proto/check/check_contract.py --update-baseline):")
        for a in additions:
            print(f"  + {a}")
    failed = bool(lint_errors or breaking or (args.strict and additions))
    print(f"contract check: {len(current['messages'])} messages, {len(current['enums'])} enums, "
          f"{len(lint_errors)} lint error(s), {len(breaking)} breaking change(s): "
          f"{'FAILED' if failed else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

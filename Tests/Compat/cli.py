"""Drives the Swift `annotations` tool in batch mode (`annotations wire decode|encode --batch`).

Contract (one output line per input line, in order):
  decode: stdin lines are padded standard base64 of one binary message each;
          stdout lines are {"binary": "<base64 re-encoding>", "json": <proto3 JSON>} or {"error": "..."}.
  encode: stdin lines are one proto3-JSON message each;
          stdout lines are {"binary": "<base64 encoding>"} or {"error": "..."}.

The binary is $ANNOTATIONS_BIN, default <repo>/.build/debug/annotations. A missing binary is
a test FAILURE (never a skip): these tests are the compatibility gate.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = REPO_ROOT / ".build" / "debug" / "annotations"
TIMEOUT_SECONDS = 60


class CLIError(AssertionError):
    """The tool could not be run or broke the batch contract (not a per-line error)."""


def binary_path():
    return Path(os.environ.get("ANNOTATIONS_BIN") or DEFAULT_BINARY)


def require_binary():
    """The tool's path; raises CLIError (a test failure) with instructions when it is missing."""
    path = binary_path()
    if not path.is_file() or not os.access(path, os.X_OK):
        raise CLIError(
            f"the Swift command-line tool is missing or not executable: {path}\n"
            "build it first: flock /tmp/swift-build.lock swift build --product annotations\n"
            "(or point ANNOTATIONS_BIN at an existing binary)"
        )
    return path


def _parse_int(text):
    # JSON "-0" is negative zero for a float field; Python's json would turn it into int 0.
    return -0.0 if text == "-0" else int(text)


def loads(text):
    """json.loads that keeps the sign of "-0"."""
    return json.loads(text, parse_int=_parse_int)


def run_batch(mode, type_name, lines):
    """Run `annotations wire <mode> --type <type_name> --batch` on `lines` (str, no newlines).

    Returns one parsed JSON object per input line. Raises CLIError when the process fails to
    run, times out, or does not answer exactly one JSON object line per input line.
    """
    assert mode in ("decode", "encode"), mode
    for i, line in enumerate(lines):
        if "\n" in line or "\r" in line:
            raise ValueError(f"input line {i} contains a line break")
    binary = require_binary()
    argv = [str(binary), "wire", mode, "--type", type_name, "--batch"]
    stdin = "".join(line + "\n" for line in lines).encode("utf-8")
    try:
        proc = subprocess.run(argv, input=stdin, capture_output=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as exc:
        raise CLIError(f"{' '.join(argv)}: no answer within {TIMEOUT_SECONDS} s "
                       f"({len(lines)} input lines, {len(stdin)} bytes)") from exc
    stderr = proc.stderr.decode("utf-8", "replace")
    try:
        stdout = proc.stdout.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CLIError(f"{' '.join(argv)}: stdout is not UTF-8: {exc}") from exc
    out_lines = stdout.split("\n")
    if out_lines and out_lines[-1] == "":
        out_lines.pop()
    context = (f"{' '.join(argv)} exited with {proc.returncode}; "
               f"{len(lines)} input lines ({sum(1 for x in lines if not x)} empty), "
               f"{len(out_lines)} output lines; stderr: {stderr[-2000:]!r}")
    if len(out_lines) != len(lines):
        raise CLIError("one output line per input line expected: " + context)
    results = []
    for i, text in enumerate(out_lines):
        try:
            obj = loads(text)
        except ValueError as exc:
            raise CLIError(f"output line {i} is not JSON ({exc}): {text[:300]!r}; {context}") from exc
        if not isinstance(obj, dict) or not (("error" in obj) ^ ("binary" in obj)):
            raise CLIError(f"output line {i} is neither {{'binary': ...}} nor {{'error': ...}}: "
                           f"{text[:300]!r}; {context}")
        results.append(obj)
    return results


def decode_batch(type_name, blobs):
    """Feed binary messages to `wire decode --batch`; one result dict per message."""
    return run_batch("decode", type_name, [base64.b64encode(b).decode("ascii") for b in blobs])


def encode_batch(type_name, json_lines):
    """Feed one-line JSON texts to `wire encode --batch`; one result dict per line."""
    return run_batch("encode", type_name, list(json_lines))


def binary_of(result):
    """The bytes in a result's "binary" (strict padded standard base64)."""
    return base64.b64decode(result["binary"], validate=True)


def _official_descriptor_set():
    """scripts/official_descriptor_set.py's set: what a user passes to `--descriptor-set`."""
    import sys

    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    from official_descriptor_set import official_descriptor_set as build

    return build()


official_descriptor_set = _official_descriptor_set

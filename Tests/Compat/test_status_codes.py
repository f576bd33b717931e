"""Sources/ProtoWire/StatusCode+Names.swift is what scripts/gen_status_codes.py
generates from the installed clarifai-grpc: regenerate it into a temporary file
and compare, so a hand edit or a new official status code is caught.

Fix a failure with: python3 scripts/gen_status_codes.py
"""

import pathlib
import re
import subprocess
import sys

from clarifai_grpc.grpc.api.status import status_code_pb2

REPO = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "gen_status_codes.py"
COMMITTED = REPO / "Sources" / "ProtoWire" / "StatusCode+Names.swift"


def _generate(tmp_path):
    out = tmp_path / "StatusCode+Names.swift"
    subprocess.run([sys.executable, str(SCRIPT), "--output", str(out)], check=True, cwd=tmp_path)
    return out.read_text(encoding="utf-8")


def test_committed_file_is_up_to_date(tmp_path):
    generated = _generate(tmp_path)
    assert COMMITTED.read_text(encoding="utf-8") == generated, \
        "StatusCode+Names.swift is stale or hand-edited: run python3 scripts/gen_status_codes.py"


def test_generation_is_deterministic(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _generate(tmp_path / "a") == _generate(tmp_path / "b")


def test_every_official_value_is_named():
    text = COMMITTED.read_text(encoding="utf-8")
    table = re.findall(r'^        \("([A-Z0-9_]+)", (-?\d+)\),$', text, re.MULTILINE)
    official = [(v.name, str(v.number)) for v in status_code_pb2.StatusCode.DESCRIPTOR.values]
    assert table == official
    constants = re.findall(r"^    public static let (\S+) = StatusCode\(rawValue: (-?\d+)\)$", text, re.MULTILINE)
    assert [number for _, number in constants] == [number for _, number in official]
    assert len({name for name, _ in constants}) == len(constants)
    for name, number in (("success", "10000"), ("mixedStatus", "10010"), ("connKeyInvalid", "11008"),
                         ("annotationSuccess", "24150"), ("zero", "0")):
        assert (name, number) in constants


def test_layout():
    for number, line in enumerate(COMMITTED.read_text(encoding="utf-8").splitlines(), 1):
        assert len(line) <= 120, f"line {number} is longer than 120 columns"
        assert "\t" not in line, f"line {number} has a tab"
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 4 == 0, f"line {number} is not indented by a multiple of 4 spaces"

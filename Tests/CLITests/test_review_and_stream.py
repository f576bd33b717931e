"""`annotations stream`, `review`, `task-count` and `workers` against `annotations serve`.

Each test starts the emulator with fixtures (stored verbatim) and runs the tool on every wire,
asserting its JSON lines and exit statuses. Every subprocess call has a timeout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "Tests" / "EmulatorInterop"))
import emulator as emulator_process  # noqa: E402

KEY = "stream-key-7"
RUN_TIMEOUT = 60
EX_USAGE = 64
WIRES = ("grpc", "rest", "rest-h1")
APP = ("--user-id", "emulator-user", "--app-id", "emulator-app")


def frame(id: str, number: int, track: str) -> dict:
    region = {"id": f"r-{id}", "track_id": track, "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.1,
              "bottom_row": 0.5, "right_col": 0.5}}, "data": {"concepts": [{"id": "car", "value": 1.0}]}}
    return {"id": id, "input_id": "video1", "user_id": "emulator-user",
            "data": {"frames": [{"frame_info": {"number": number, "time": number * 33}, "data": {"regions": [region]}}]}}


def task(id: str, user: str, code: int) -> dict:
    return {"id": id, "input_id": f"img-{id}", "user_id": user, "task_id": "task1", "status": {"code": code},
            "data": {"concepts": [{"id": "tree", "value": 1.0}]}}


FIXTURES = [frame("f2", 2, "t1"), frame("f1", 1, "t2"), frame("f2b", 2, "t2"),
            task("a1", "ann", 24157), task("a2", "ann", 24157), task("b1", "bob", 24151)]


@pytest.fixture
def server(request, tmp_path):
    fixtures = tmp_path / "fixtures.jsonl"
    fixtures.write_text("".join(json.dumps(line) + "\n" for line in FIXTURES))
    return emulator_process.start_for(request, tls=False, api_key=KEY, extra_args=["--fixtures", str(fixtures)])


def cli(server, *args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CLARIFAI_PAT" and "proxy" not in k.lower()}
    return subprocess.run([str(emulator_process.binary()), args[0], "--endpoint", f"h2c://127.0.0.1:{server.port}",
                           "--pat", KEY, *APP, *map(str, args[1:])], stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=RUN_TIMEOUT, env=env, text=True)


def lines(result: subprocess.CompletedProcess) -> list[dict]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("wire", WIRES)
def test_stream_prints_one_line_per_annotation_in_frame_order(server, wire):
    streamed = lines(cli(server, "stream", "--transport", wire, "--input-id", "video1"))
    assert [(m["annotation"]["id"], m["frame_fully_processed"]) for m in streamed] == [
        ("f1", True), ("f2", False), ("f2b", True)]
    assert all(m["status"]["code"] == 10000 for m in streamed)
    filtered = lines(cli(server, "stream", "--transport", wire, "--input-id", "video1", "--track-id", "t2",
                         "--frame-number-start", "2", "--type", "bounding-box"))
    assert [m["annotation"]["id"] for m in filtered] == ["f2b"]
    assert lines(cli(server, "stream", "--transport", wire, "--input-id", "video1", "--type", "point")) == []


def test_stream_refuses_bad_flags_before_calling(server):
    # A bad flag is a usage error; an empty input id breaks the contract's rule (65, nothing sent).
    for args, code in ((["--input-id", "v", "--type", "circle"], EX_USAGE),
                       (["--input-id", "v", "--min-prediction-score", "2"], EX_USAGE), (["--input-id", ""], 65)):
        result = cli(server, "stream", *args)
        assert result.returncode == code, (args, result.stderr)
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize("wire", WIRES)
def test_review_then_counts_and_workers(server, wire):
    before = lines(cli(server, "task-count", "--transport", wire, "--task-id", "task1"))[0]
    assert [(c["user_id"], c["pending"], c["awaiting_review"], c["success"]) for c in before["counts"]] == [
        ("ann", 0, 2, 0), ("bob", 1, 0, 0)]
    reviewed = lines(cli(server, "review", "--transport", wire, "--task-id", "task1", "--to", "ANNOTATION_SUCCESS",
                         "--from", "24157"))[0]
    assert (reviewed["user_ids"], reviewed["updated_count"]) == (["ann"], 2)
    after = lines(cli(server, "task-count", "--transport", wire, "--task-id", "task1", "--labeler", "ann"))[0]
    assert [(c["awaiting_review"], c["success"]) for c in after["counts"]] == [(0, 2)]
    workers = lines(cli(server, "workers", "--transport", wire))[0]["workers"]
    assert [w["user"]["id"] for w in workers] == ["emulator-user", "ann", "bob"]


def test_review_needs_a_status(server):
    result = cli(server, "review", "--task-id", "task1", "--to", "NOT_A_STATUS")
    assert result.returncode == EX_USAGE, result.stderr

"""Issue 7: a bulk import that loses and duplicates nothing while the server misbehaves.

`annotations serve --fault-rate` makes the emulator answer a share of the calls with a random
fault of TRY_AGAIN, CONN_THROTTLED, gRPC UNAVAILABLE, GOAWAY or a dropped connection (the call
is stored, its answer lost). `annotations import` runs against it, is killed (SIGKILL) once
midway, and is run again until it reports success; then a full export must equal the input
exactly (every line once, nothing else), the final summary must account for every line, and
the import's peak resident memory must stay under 100 MB.

IMPORT_COUNT sets the number of annotations (default 10,000 here; `make soak` runs 100,000),
IMPORT_FAULT_RATE the share of faulty calls (default 0.06).
"""

from __future__ import annotations

import collections
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from emulator import binary, start_for

KEY = "import-key"
COUNT = int(os.environ.get("IMPORT_COUNT", "10000"))
FAULT_RATE = os.environ.get("IMPORT_FAULT_RATE", "0.06")
MAX_RSS_MB = 100
RUN_TIMEOUT = float(os.environ.get("IMPORT_RUN_TIMEOUT", "600"))

# Measures the peak RSS of one child exactly: the wrapper has no other child.
PEAK_RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(f'PEAK_RSS_KB {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def lines(count: int) -> list[dict]:
    items = []
    for i in range(count):
        annotation = {"input_id": f"input-{i % 997}", "data": {"concepts": [{"id": f"c{i}", "value": 1.0}]}}
        if i % 4 == 0:
            annotation["data"] = {"regions": [{"region_info": {"bounding_box": {
                "top_row": 0.125, "left_col": 0.25, "bottom_row": 0.5, "right_col": 0.75}},
                "data": {"concepts": [{"id": f"c{i}", "value": 1.0}, {"id": "box", "value": 0.5}]}}]}
        if i % 10 == 3:
            annotation["annotation_info"] = {"line": i, "source": "bulk"}
        items.append(annotation)
    return items


def canonical(annotation: dict) -> str:
    """What the line said: the server adds ids (of the annotation and its regions), statuses
    and timestamps, and JSON numbers compare as numbers (3 == 3.0)."""
    def strip(value, key=None):
        if isinstance(value, dict):
            return {k: strip(v, k) for k, v in value.items() if not (k == "id" and key == "region")}
        if isinstance(value, list):
            return [strip(v, "region" if key == "regions" else None) for v in value]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        return value
    kept = {key: annotation[key] for key in ("input_id", "data", "annotation_info") if key in annotation}
    return json.dumps(strip(kept), sort_keys=True)


def done_lines(checkpoint: Path) -> int:
    if not checkpoint.exists():
        return 0
    count = 0
    for line in checkpoint.read_text().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        count += len(record.get("done", []))
    return count


@pytest.fixture
def faulty_emulator(request):
    return start_for(request, tls=False, api_key=KEY,
                     extra_args=["--fault-rate", FAULT_RATE, "--faults", "try-again,throttle,unavailable,goaway,drop"])


def test_import_under_faults_and_a_kill_loses_and_duplicates_nothing(faulty_emulator, tmp_path):
    items = lines(COUNT)
    data = tmp_path / "bulk.jsonl"
    data.write_text("".join(json.dumps(item) + "\n" for item in items))
    checkpoint = tmp_path / "bulk.jsonl.checkpoint"
    argv = [str(binary()), "import", str(data), "--endpoint", f"h2c://127.0.0.1:{faulty_emulator.port}",
            "--pat", KEY, "--batch-size", "16", "--concurrency", "8", "--timeout", "60"]
    env = {k: v for k, v in os.environ.items() if k != "CLARIFAI_PAT"}

    # 1. Killed midway: once at least a third of the lines are confirmed.
    first = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        while done_lines(checkpoint) < COUNT // 3 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert first.poll() is None, f"the import ended before the kill: {first.stderr.read().decode()[-800:]}"
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate(timeout=30)
    done_at_kill = done_lines(checkpoint)
    assert COUNT // 3 <= done_at_kill < COUNT

    # 2. Resumed until it reports success: faults that outlast the retries stop a run (exit 75).
    runs = []
    for _ in range(6):
        run = subprocess.run([sys.executable, "-c", PEAK_RSS_WRAPPER, *argv], capture_output=True,
                             timeout=RUN_TIMEOUT, env=env)
        stderr = run.stderr.decode("utf-8", "replace")
        peak = int(re.search(r"PEAK_RSS_KB (\d+)", stderr).group(1))
        summary = [line for line in stderr.splitlines() if line.startswith("imported ")][-1]
        runs.append((run.returncode, summary, peak))
        if run.returncode == 0:
            break
        assert run.returncode == 75, stderr[-1500:]
    code, summary, _ = runs[-1]
    assert code == 0, runs
    imported, failed, skipped = map(int, re.match(r"imported (\d+), failed (\d+), skipped (\d+)", summary).groups())
    assert failed == 0
    assert imported + skipped == COUNT, summary
    assert skipped >= done_at_kill
    peak_mb = max(peak for _, _, peak in runs) / 1024
    assert peak_mb < MAX_RSS_MB, f"peak RSS {peak_mb:.1f} MB"

    # 3. The store holds every line exactly once, and nothing else.
    export = subprocess.run([str(binary()), "export", "--endpoint", f"h2c://127.0.0.1:{faulty_emulator.port}",
                             "--pat", KEY, "--timeout", "60"], capture_output=True, timeout=RUN_TIMEOUT, env=env)
    assert export.returncode == 0 or export.returncode == 75, export.stderr[-800:]
    if export.returncode == 75:  # the export itself met a fault beyond its retries: once more
        export = subprocess.run(export.args, capture_output=True, timeout=RUN_TIMEOUT, env=env)
        assert export.returncode == 0, export.stderr[-800:]
    stored = [json.loads(line) for line in export.stdout.decode().splitlines()]
    assert len({annotation["id"] for annotation in stored}) == len(stored)
    missing = collections.Counter(map(canonical, items)) - collections.Counter(map(canonical, stored))
    extra = collections.Counter(map(canonical, stored)) - collections.Counter(map(canonical, items))
    assert not missing and not extra, (f"{sum(missing.values())} lost, {sum(extra.values())} duplicated or foreign: "
                                       f"{list(missing)[:2]} {list(extra)[:2]}")
    assert len(stored) == COUNT

    # The faults did happen.
    os.kill(faulty_emulator.pid, signal.SIGTERM)  # it reports its faults on the way out
    faulty_emulator.process.wait(timeout=10)
    injected = faulty_emulator.stderr_text()
    counts = dict(re.findall(r"(\S+)=(\d+)", injected.split("faults injected:")[-1]))
    assert set(counts) == {"try-again", "throttle", "unavailable", "goaway", "drop"}, injected[-500:]
    print(f"\nimport of {COUNT}: runs {runs}, peak RSS {peak_mb:.1f} MB, faults injected {counts}")

"""The `annotations` tool against servers that hang up in the middle of its writes.

The tool runs as a child process with the default SIGPIPE disposition (subprocess restores it,
whatever Python's own is), so a write to a reset connection that raised SIGPIPE would end it with
-SIGPIPE instead of the documented transport-error status 75. The peer is
Tests/Peers/tls_hangup_server.py: it completes the TLS handshake (ALPN h2 or http/1.1) and resets
the connection while the tool is still sending about a megabyte of annotations.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PEERS = REPO_ROOT / "Tests" / "Peers"
DEFAULT_BINARY = REPO_ROOT / ".build" / "debug" / "annotations"
EX_TEMPFAIL = 75
RUNS = 80  # per wire; before the fix, about one run in ten died of SIGPIPE
PARALLEL = 4


@pytest.fixture(scope="module")
def binary() -> Path:
    path = Path(os.environ.get("ANNOTATIONS_BIN") or DEFAULT_BINARY)
    if not path.is_file():
        pytest.fail(f"the annotations tool is missing: {path}", pytrace=False)
    return path


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("certs")
    subprocess.run(["bash", str(PEERS / "make_certs.sh"), str(out)], check=True, capture_output=True, timeout=60)
    return out


@pytest.fixture(scope="module")
def hangup_port(certs):
    process = subprocess.Popen(
        [sys.executable, str(PEERS / "tls_hangup_server.py"), "--tls", str(certs / "server.pem"),
         str(certs / "server.key"), "--max-seconds", "600"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    assert line.startswith("PORT "), line
    yield int(line.split()[1])
    process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    """512 lines of about 2 KB: four batches of 128 in flight, a megabyte being written."""
    path = tmp_path_factory.mktemp("import") / "big.jsonl"
    with path.open("w") as out:
        for n in range(512):
            out.write(json.dumps({"input_id": f"input-{n}", "data": {"concepts": [{"id": "c" * 2000, "value": 1}]}}) + "\n")
    return path


@pytest.mark.parametrize("transport", ["grpc", "rest", "rest-h1"])
def test_a_server_that_hangs_up_mid_write_is_a_transport_error_never_sigpipe(binary, certs, hangup_port, big_file,
                                                                           tmp_path, transport):
    def run(n: int) -> tuple[int, str]:
        process = subprocess.run(
            [str(binary), "import", str(big_file), "--endpoint", f"https://localhost:{hangup_port}",
             "--ca-file", str(certs / "ca.pem"), "--pat", "k", "--user-id", "u", "--app-id", "a",
             "--concurrency", "4", "--timeout", "5", "--transport", transport,
             "--checkpoint", str(tmp_path / f"run-{n}.checkpoint"), "--rejects", str(tmp_path / f"run-{n}.rejects")],
            capture_output=True, text=True, timeout=60, env=dict(os.environ, CLARIFAI_PAT=""))
        return process.returncode, process.stderr

    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(run, range(RUNS)))
    killed = [code for code, _ in results if code == -signal.SIGPIPE]
    assert not killed, f"{len(killed)} of {RUNS} runs died of SIGPIPE"
    unexpected = [(code, err.strip().splitlines()[-2:]) for code, err in results if code != EX_TEMPFAIL]
    assert not unexpected, unexpected[:5]
    assert all("transport error" in err for _, err in results), results[0][1]


@pytest.mark.parametrize("transport", ["grpc", "rest", "rest-h1"])
@pytest.mark.parametrize("scheme", ["https", "h2c"])
def test_a_server_that_never_answers_fails_at_the_calls_deadline(binary, transport, scheme):
    """The kernel accepts the connection (the listener never does): TCP connects, and then
    nothing — no TLS handshake, no SETTINGS, no answer. `--timeout 2` bounds it all; the connect
    timeout (20 s) used to come first."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        started = time.monotonic()
        process = subprocess.run(
            [str(binary), "list", "--endpoint", f"{scheme}://127.0.0.1:{port}", "--insecure", "--pat", "k",
             "--timeout", "2", "--transport", transport],
            capture_output=True, text=True, timeout=60)
        elapsed = time.monotonic() - started
    assert process.returncode == EX_TEMPFAIL, process.stderr
    assert "DEADLINE_EXCEEDED" in process.stderr or "deadline exceeded" in process.stderr, process.stderr
    assert elapsed < 5, f"{elapsed:.1f} s for a 2 s deadline"

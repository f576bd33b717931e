"""The client behind nginx that recycles its connections, over gRPC, REST/HTTP2 and REST/HTTP1.1.

nginx (TLS, ALPN h2, `grpc_pass` and `proxy_pass` to the emulator, see nginx.py) ends each client
connection after KEEPALIVE_REQUESTS requests: on HTTP/2 it sends GOAWAY, leaves the streams above
its last stream id unanswered and closes once the others are done; a close with requests still
unread makes the kernel reset the connection, which can discard answers already on their way.
Streams above the last stream id must be sent again at once (they were not processed); the others
fail with an error the retry policy retries (every annotation call is safe to repeat).

Done here: every documented call through nginx on each wire; tens of thousands of mixed calls at
16 and 64 in flight with the client's default retry policy and no failed call; an import whose
every line is stored exactly once.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
from pathlib import Path

import pytest

import nginx
from emulator import binary, start_for

REPO_ROOT = Path(__file__).resolve().parents[2]
KEY = "nginx-test-key"
KEEPALIVE_REQUESTS = 25  # small: with 64 calls in flight, most streams of a connection are refused
WIRES = ["grpc", "rest-h2", "rest-h1"]
CALLS_PER_RUN = 5000  # per wire and concurrency: 30,000 calls in all
RUN_TIMEOUT = 300


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("certs")
    subprocess.run(["bash", str(REPO_ROOT / "Tests" / "Peers" / "make_certs.sh"), str(out)], check=True,
                   capture_output=True, timeout=60)
    return out


@pytest.fixture
def proxy(request, certs):
    emulator = start_for(request, tls=False, api_key=KEY)
    proxy = nginx.start_for(request, emulator.port, certs / "server.pem", certs / "server.key",
                            keepalive_requests=KEEPALIVE_REQUESTS, keepalive_timeout="2s")
    proxy.emulator = emulator
    return proxy


def tool(*args, timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run([str(binary()), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, CLARIFAI_PAT=""))


def through(proxy, certs) -> list[str]:
    return ["--endpoint", f"https://localhost:{proxy.port}", "--ca-file", certs / "ca.pem", "--pat", KEY]


@pytest.mark.parametrize("wire", ["grpc", "rest", "rest-h1"])
def test_every_documented_call_through_nginx(proxy, certs, wire):
    result = tool("demo", "--quiet", "--transport", wire, *through(proxy, certs))
    assert result.returncode == 0, result.stdout + result.stderr + proxy.log()[-2000:]
    assert "27 of 27 documented annotation calls succeeded" in result.stdout


def test_mixed_calls_through_recycling_nginx_never_fail(proxy, certs):
    result = tool("bench", "--retry", "--json", "--call", "mixed", "--transport", ",".join(WIRES),
                  "--in-flight", "16,64", "--calls", CALLS_PER_RUN, "--warm-up", "0.2",
                  "--user-id", "u", "--app-id", "a", *through(proxy, certs))
    assert result.returncode == 0, result.stderr[-3000:]
    runs = json.loads(result.stdout)["runs"]
    assert sorted((run["transport"], run["in_flight"]) for run in runs) == sorted(
        (wire, n) for wire in WIRES for n in (16, 64))
    failed = {(run["transport"], run["in_flight"]): (run["errors"], run.get("first_error")) for run in runs
              if run["errors"] or run["calls"] != CALLS_PER_RUN}
    assert not failed, failed


@pytest.mark.parametrize("wire", WIRES)
def test_import_through_recycling_nginx_stores_each_line_once(proxy, certs, tmp_path, wire):
    lines = 2000
    source = tmp_path / "lines.jsonl"
    source.write_text("".join(
        json.dumps({"input_id": f"input-{n}", "data": {"concepts": [{"id": "tree", "value": 1}]}}) + "\n"
        for n in range(lines)))
    result = tool("import", source, "--batch-size", "8", "--concurrency", "16", "--transport", wire,
                  "--user-id", "u", "--app-id", "a", *through(proxy, certs))
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"imported {lines}, failed 0" in result.stderr

    exported = tool("export", "--endpoint", f"h2c://127.0.0.1:{proxy.emulator.port}", "--pat", KEY,
                    "--user-id", "u", "--app-id", "a")
    assert exported.returncode == 0, exported.stderr
    stored = [json.loads(line) for line in exported.stdout.splitlines() if line.strip()]
    per_input = collections.Counter(annotation["input_id"] for annotation in stored)
    duplicated = {input_id: count for input_id, count in per_input.items() if count != 1}
    assert not duplicated, f"{len(duplicated)} inputs stored more than once"
    assert len(stored) == lines


def test_a_pool_through_recycling_nginx_never_fails(proxy, certs):
    """Four connections to nginx, 16 streams each: each is recycled after 25 requests, so GOAWAYs
    keep arriving on one connection of a busy pool while the others carry on."""
    wires = ["grpc", "rest-h2"]
    result = tool("bench", "--retry", "--json", "--call", "mixed", "--transport", ",".join(wires),
                  "--in-flight", "64", "--max-connections", "4", "--streams-per-connection", "16",
                  "--calls", CALLS_PER_RUN, "--warm-up", "0.2", "--user-id", "u", "--app-id", "a",
                  *through(proxy, certs))
    assert result.returncode == 0, result.stderr[-3000:]
    runs = json.loads(result.stdout)["runs"]
    assert sorted(run["transport"] for run in runs) == sorted(wires)
    for run in runs:
        assert run["errors"] == 0 and run["calls"] == CALLS_PER_RUN, (run["transport"], run.get("first_error"))
        # 5,000 calls at 25 a connection: about 200 connections in all, never more than 4 at once.
        assert run["connections_opened"] >= CALLS_PER_RUN // KEEPALIVE_REQUESTS, run["connections_opened"]

"""The scaling and observability flags of the network subcommands (issue 13), end to end against
`annotations serve`:

- `--rate N`: a client-side token bucket (burst 1, every attempt counts, halved after
  CONN_THROTTLED). `import` at `--rate 15` stays under 15 calls per second as the server counts
  them (`serve --call-log`) and loses nothing, on every wire; it keeps to the rate through
  CONN_THROTTLED answers and slows down after each.
- `--verbose`: every client event as one JSON object per line on stderr, never the key.
- `--max-connections N`: against `serve --max-concurrent-streams 2`, concurrent batches of
  `import` spread over more than one and at most N connections (the server's connection ids in
  its call log); without the flag, one connection.
- Bad values of both flags are usage errors (exit 64) that name the flag, and nothing is sent.

The emulator is started by Tests/EmulatorInterop/emulator.py (loopback, ephemeral port, stopped
by its PID); the tool is $ANNOTATIONS_BIN (default <repo>/.build/debug/annotations) and every
child process has a timeout.
"""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "Tests" / "EmulatorInterop"))
import emulator as emulator_process  # noqa: E402

KEY = "sekret-key-123"
HEADER_KEY = "sekret-hdr-456"
RUN_TIMEOUT = 60
EX_USAGE, EX_UNAVAILABLE, EX_TEMPFAIL = 64, 69, 75
NETWORK = ("post", "list", "get", "patch", "delete", "import", "export")
EVENTS = {
    "call_started", "attempt_started", "attempt_failed", "retry_scheduled", "throttled", "call_finished",
    "connection_opened", "goaway_received", "stream_refused", "connection_closed", "connect_failed",
}
PROXY_VARIABLES = {"grpc_proxy", "https_proxy", "http_proxy", "all_proxy", "no_proxy", "no_grpc_proxy"}


# MARK: helpers


class Result:
    def __init__(self, process: subprocess.CompletedProcess, elapsed: float):
        self.code = process.returncode
        self.stdout = process.stdout.decode("utf-8", "replace")
        self.stderr = process.stderr.decode("utf-8", "replace")
        self.elapsed = elapsed

    @classmethod
    def with_stderr(cls, result: "Result", stderr: str) -> "Result":
        copy = cls.__new__(cls)
        copy.__dict__.update(result.__dict__, stderr=stderr)
        return copy

    def __repr__(self) -> str:
        return f"<exit {self.code} in {self.elapsed:.2f} s stdout={self.stdout[:300]!r} stderr={self.stderr[-1500:]!r}>"


def tool_env() -> dict:
    """The environment without a key and without proxies (every call here goes to loopback)."""
    return {k: v for k, v in os.environ.items() if k != "CLARIFAI_PAT" and k.lower() not in PROXY_VARIABLES}


def run(*args, timeout: float = RUN_TIMEOUT) -> Result:
    started = time.monotonic()
    process = subprocess.run([str(emulator_process.binary()), *map(str, args)], stdin=subprocess.DEVNULL,
                             capture_output=True, timeout=timeout, env=tool_env())
    return Result(process, time.monotonic() - started)


def cli(server, subcommand: str, *args, key: str | None = KEY, timeout: float = RUN_TIMEOUT) -> Result:
    """`annotations SUBCOMMAND --endpoint <server> --pat KEY ARGS`."""
    endpoint = server if isinstance(server, str) else f"h2c://127.0.0.1:{server.port}"
    return run(subcommand, "--endpoint", endpoint, *(["--pat", key] if key else []), *args, timeout=timeout)


class Serve:
    """One `annotations serve` with a call log."""

    def __init__(self, request, tmp_path: Path, *extra: str, api_key: str | None = None):
        self.log = tmp_path / f"calls-{len(list(tmp_path.glob('calls-*')))}.jsonl"
        self.emulator = emulator_process.start_for(request, tls=False, api_key=api_key,
                                                   extra_args=["--call-log", str(self.log), *extra])
        self.port = self.emulator.port

    def calls(self, method: str | None = None, wanted: int = 0, timeout: float = 5.0) -> list[dict]:
        """The call log's records (of `method`), once at least `wanted` are there (or `timeout`
        passed): each is appended as its call is answered, which may be just after the client
        saw the answer."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.log.read_text() if self.log.exists() else ""
            complete = text[: text.rfind("\n") + 1]
            records = [json.loads(line) for line in complete.splitlines() if line.strip()]
            records = [r for r in records if method is None or r["method"] == method]
            if len(records) >= wanted or time.monotonic() > deadline:
                return records
            time.sleep(0.05)


@pytest.fixture
def serve(request, tmp_path):
    def start(*extra: str, api_key: str | None = None) -> Serve:
        return Serve(request, tmp_path, *extra, api_key=api_key)

    return start


def write_lines(path: Path, count: int, prefix: str) -> tuple[Path, set[str]]:
    """`count` import lines, each with its own id (to find them all afterwards)."""
    lines = [{"id": f"{prefix}-{i}", "input_id": f"in{i % 7}", "data": {"concepts": [{"id": f"c{i}", "value": 1.0}]}}
             for i in range(count)]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path, {line["id"] for line in lines}


def stored_ids(server: Serve) -> list[str]:
    listed = cli(server, "list", "--every", "--all")
    assert listed.code == 0, listed
    return [json.loads(line)["id"] for line in listed.stdout.splitlines()]


def verbose_events(result: Result, error_line: bool) -> list[dict]:
    """stderr of a --verbose run: every line a JSON event, but the one-line error message when
    `error_line`, which is the last line: the CLI waits for its connections' last events
    (an HTTP/2 connection reports its end from its I/O thread) before it prints it. Every
    connection opened is reported closed."""
    lines = result.stderr.splitlines()
    assert lines, result
    if error_line:
        errors = [n for n, line in enumerate(lines) if not line.startswith("{")]
        assert errors == [len(lines) - 1] and lines[-1].startswith("annotations: "), result
        del lines[-1]
    events = []
    for line in lines:
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            pytest.fail(f"not a JSON line on stderr: {line!r}\n{result!r}")
        assert isinstance(event, dict) and event.get("event") in EVENTS, line
        assert isinstance(event["time"], float), line
        events.append(event)
    opened = {e["connection"] for e in events if e["event"] == "connection_opened"}
    closed = {e["connection"] for e in events if e["event"] == "connection_closed"}
    assert opened == closed, result
    return events


def import_events(result: Result, summary: str) -> list[dict]:
    """stderr of `import --verbose`: JSON events, then the summary line."""
    lines = result.stderr.splitlines()
    assert lines.count(summary) == 1 and lines[-1] == summary, result
    lines.remove(summary)
    return verbose_events(Result.with_stderr(result, "\n".join(lines)), error_line=False)


def named(events: list[dict], name: str, call: int | None = None) -> list[dict]:
    return [e for e in events if e["event"] == name and (call is None or e.get("call") == call)]


def assert_key_never_printed(result: Result, *keys: str) -> None:
    for key in keys or (KEY,):
        assert key not in result.stdout and key not in result.stderr, result


def assert_within_rate(times: list[float], rate: float, what: str) -> None:
    """Calls answered at `times` (the server's clock) kept to `rate` calls per second.

    A token bucket with burst 1 spaces attempts 1/rate apart: at 15/s the calls at 0, 1/15, …,
    15/15 s are 16 within one closed window of 1 s (both ends included), so a window may hold
    ceil(rate) + 1 calls, never more (a 17th would need the spacing to shrink by 1/15 s, far
    beyond the jitter of loopback answers). From the first call to the last, the average rate
    stays at `rate`; 0.5/s of slack covers the first call having waited for the connection (its
    answer is logged late, which shortens the measured span; ~80 ms over 38 calls).
    """
    times = sorted(times)
    most = max(sum(1 for u in times[i:] if u - t <= 1.0) for i, t in enumerate(times))
    assert most <= math.ceil(rate) + 1, f"{what}: {most} calls within one second at --rate {rate}: {times}"
    overall = (len(times) - 1) / (times[-1] - times[0])
    assert overall <= rate + 0.5, f"{what}: {overall:.2f} calls/s from first to last at --rate {rate}"


# MARK: --rate


@pytest.mark.parametrize("transport, wire", [("grpc", "grpc"), ("rest", "rest-h2"), ("rest-h1", "rest-h1")])
def test_import_at_rate_15_stays_under_15_calls_per_second_and_loses_nothing(serve, tmp_path, transport, wire):
    server = serve()
    data, ids = write_lines(tmp_path / "data.jsonl", 300, f"rate-{wire}")
    # 38 calls of 8 (the last of 4), 4 batches in flight: the limiter, not the batching, sets the pace.
    result = cli(server, "import", data, "--transport", transport, "--rate", 15, "--batch-size", 8,
                 "--concurrency", 4)
    assert result.code == 0, result
    assert result.stderr.splitlines()[-1] == "imported 300, failed 0, skipped 0 (already done)", result
    posts = server.calls("PostAnnotations", wanted=38)
    assert len(posts) == 38, posts  # one attempt per batch: none retried, none lost
    assert {(p["wire"], p["status"]) for p in posts} == {(wire, 10000)}, posts
    assert_within_rate([p["time"] for p in posts], 15, f"import over {transport}")
    # 37 intervals of 1/15 s at least, seen from the client too.
    assert result.elapsed >= 37 / 15 - 0.05, result
    stored = stored_ids(server)
    assert sorted(stored) == sorted(ids)


def test_export_pages_keep_to_the_rate(serve, tmp_path):
    fixtures = emulator_process.write_fixtures(
        tmp_path / "seed.jsonl",
        ({"id": f"seed-{i}", "input_id": f"in{i % 3}", "data": {"concepts": [{"id": "c", "value": 1.0}]}}
         for i in range(100)))
    server = serve("--fixtures", str(fixtures))
    result = cli(server, "export", "--per-page", 10, "--rate", 8)
    assert result.code == 0, result
    assert sorted(json.loads(line)["id"] for line in result.stdout.splitlines()) == sorted(
        f"seed-{i}" for i in range(100))
    pages = server.calls("ListAnnotations", wanted=10)
    assert len(pages) >= 10, pages
    assert_within_rate([p["time"] for p in pages], 8, "export")


def test_import_keeps_to_the_rate_through_random_throttling_and_slows_down_after_each(serve, tmp_path):
    # Seed 1318 of the emulator's xorshift64* throttles its 5th call, then its 34th and 89th
    # (checked by simulating RandomFaults.next): the import's 30 batches meet one CONN_THROTTLED,
    # retried, so nothing can fail for good. One batch at a time: each attempt's token is
    # reserved just before it is sent, so the gaps in the log are the limiter's.
    server = serve("--fault-rate", "0.1", "--faults", "throttle", "--fault-seed", "1318")
    data, ids = write_lines(tmp_path / "data.jsonl", 120, "throttled")
    result = cli(server, "import", data, "--rate", 15, "--batch-size", 4, "--concurrency", 1, "--verbose")
    assert result.code == 0, result
    assert "imported 120, failed 0, skipped 0 (already done)" in result.stderr.splitlines(), result
    posts = server.calls("PostAnnotations", wanted=31)
    statuses = [p["status"] for p in posts]
    assert statuses.count(11005) == 1 and statuses.count(10000) == 30, posts
    assert posts[4]["status"] == 11005 and posts[4]["fault"] == "throttle", posts
    # Every attempt counts, the throttled one included.
    assert_within_rate([p["time"] for p in posts], 15, "import with throttling")
    gaps = [b["time"] - a["time"] for a, b in zip(posts, posts[1:])]
    # 1/15 s between attempts (less a little jitter of the server's clock) ...
    assert min(gaps) >= 1 / 15 - 0.02, gaps
    # ... and after CONN_THROTTLED the rate is halved: the retry waits 1/7.5 s at least.
    assert gaps[4] >= 1 / 7.5 - 0.02, gaps
    parsed = import_events(result, "imported 120, failed 0, skipped 0 (already done)")
    server_throttles = [e for e in parsed if e["event"] == "throttled" and e["cause"] == "server"]
    assert len(server_throttles) == 1, parsed
    [retry] = [e for e in parsed if e["event"] == "retry_scheduled"]
    assert retry["reason"] == "CONN_THROTTLED" and retry["call"] == server_throttles[0]["call"], retry
    [finished] = [e for e in named(parsed, "call_finished") if e["call"] == retry["call"]]
    assert (finished["outcome"], finished["attempts"]) == ("SUCCESS", 2), finished
    assert sorted(stored_ids(server)) == sorted(ids)


@pytest.mark.parametrize("transport", ["grpc", "rest"])
def test_a_throttled_call_is_retried_slower_and_ends_with_conn_throttled(serve, transport):
    # The header asks every request that carries it to be throttled: all four attempts are.
    server = serve()
    result = cli(server, "list", "--transport", transport, "-H", "x-emulator-fault: throttle", "--rate", 20,
                 "--verbose")
    assert result.code == EX_UNAVAILABLE, result
    events = verbose_events(result, error_line=True)
    assert "annotations: API error: Clarifai status CONN_THROTTLED (11005)" in result.stderr, result
    failed = named(events, "attempt_failed", call=1)
    assert [(e["attempt"], e["outcome"]) for e in failed] == [(n, "CONN_THROTTLED") for n in (1, 2, 3, 4)], events
    retries = named(events, "retry_scheduled", call=1)
    assert [(e["attempt"], e["reason"]) for e in retries] == [(n, "CONN_THROTTLED") for n in (2, 3, 4)], events
    throttled = named(events, "throttled", call=1)
    assert [e["cause"] for e in throttled if e["cause"] == "server"] == ["server"] * 3, events
    # The limiter, halved to 10 per second (once: it halves at most once a second, however many
    # answers are throttled), adds waits of its own.
    assert {e["cause"] for e in throttled} == {"server", "rate-limit"}, events
    [finished] = named(events, "call_finished", call=1)
    assert (finished["outcome"], finished["attempts"]) == ("CONN_THROTTLED", 4), finished
    # Each server throttle follows the retry it delays, for the same attempt.
    for retry in retries:
        assert any(e["cause"] == "server" and e["wait_ms"] == retry["delay_ms"] for e in throttled), (retry, throttled)
    attempts = server.calls("ListAnnotations", wanted=4)
    assert [a["status"] for a in attempts] == [11005] * 4, attempts
    gaps = [b["time"] - a["time"] for a, b in zip(attempts, attempts[1:])]
    assert all(gap >= 1 / 10 - 0.02 for gap in gaps), gaps
    assert_key_never_printed(result)


def test_a_throttled_call_without_a_rate_shows_only_the_servers_throttling(serve):
    server = serve()
    result = cli(server, "list", "-H", "x-emulator-fault: throttle", "--verbose")
    assert result.code == EX_UNAVAILABLE, result
    events = verbose_events(result, error_line=True)
    assert [e["cause"] for e in named(events, "throttled")] == ["server"] * 3, events
    [finished] = named(events, "call_finished")
    assert (finished["outcome"], finished["attempts"]) == ("CONN_THROTTLED", 4), finished


# MARK: --verbose


@pytest.mark.parametrize("transport, protocol", [("grpc", "h2"), ("rest", "h2"), ("rest-h1", "http/1.1")])
def test_verbose_list_shows_the_call_in_order_and_never_the_key(serve, transport, protocol):
    server = serve()
    result = cli(server, "list", "--transport", transport, "--verbose")
    assert result.code == 0, result
    assert json.loads(result.stdout)["status"]["code"] == 10000, result
    events = verbose_events(result, error_line=False)
    order = [e["event"] for e in events]
    # connection_closed may be missing: see verbose_events.
    assert order[:4] == ["call_started", "attempt_started", "connection_opened", "call_finished"], order
    assert order[4:] in ([], ["connection_closed"]), order
    calls = [e for e in events if "call" in e]
    assert {(e["call"], e["method"]) for e in calls} == {(1, "ListAnnotations")}, calls
    assert {e["transport"] for e in calls} == {"rest-h2" if transport == "rest" else transport}, calls
    [attempt] = named(events, "attempt_started")
    assert attempt["attempt"] == 1
    [finished] = named(events, "call_finished")
    assert (finished["outcome"], finished["attempts"]) == ("SUCCESS", 1), finished
    assert finished["response_bytes"] > 0 and finished["duration_ms"] >= 0, finished
    [opened] = named(events, "connection_opened")
    for closed in named(events, "connection_closed"):
        assert closed["connection"] == opened["connection"] and closed["reason"] is None, events
    assert opened["authority"] == f"127.0.0.1:{server.port}" and opened["protocol"] == protocol, opened
    assert [e["time"] for e in events] == sorted(e["time"] for e in events), events
    assert_key_never_printed(result)


def test_verbose_never_prints_the_key_of_a_refused_call_or_an_authorization_header(serve):
    server = serve(api_key="the-emulators-own-key")
    refused = cli(server, "list", "--verbose")
    assert refused.code == EX_UNAVAILABLE, refused
    events = verbose_events(refused, error_line=True)
    [finished] = named(events, "call_finished")
    assert (finished["outcome"], finished["attempts"]) == ("CONN_KEY_INVALID", 1), finished
    assert_key_never_printed(refused)
    # A key given as a header instead is a secret as well.
    headed = cli(server, "list", "--verbose", "-H", f"authorization: Key {HEADER_KEY}", key=None)
    assert headed.code == EX_UNAVAILABLE, headed
    verbose_events(headed, error_line=True)
    assert_key_never_printed(headed, HEADER_KEY)


def test_verbose_shows_each_retry_of_an_unavailable_call(serve):
    server = serve()
    result = cli(server, "list", "-H", "x-emulator-fault: unavailable", "--verbose")
    assert result.code == EX_TEMPFAIL, result
    events = verbose_events(result, error_line=True)
    assert "annotations: transport error: gRPC status UNAVAILABLE" in result.stderr, result
    assert [(e["attempt"]) for e in named(events, "attempt_started", call=1)] == [1, 2, 3, 4], events
    failed = named(events, "attempt_failed", call=1)
    assert [(e["attempt"], e["outcome"]) for e in failed] == [(n, "UNAVAILABLE") for n in (1, 2, 3, 4)], events
    retries = named(events, "retry_scheduled", call=1)
    assert [(e["attempt"], e["reason"]) for e in retries] == [(n, "UNAVAILABLE") for n in (2, 3, 4)], events
    assert all(e["delay_ms"] > 0 for e in retries), retries
    [finished] = named(events, "call_finished", call=1)
    assert (finished["outcome"], finished["attempts"]) == ("UNAVAILABLE", 4), finished
    # The default policy's order: each retry is scheduled after the attempt that failed, and
    # the next attempt starts after it.
    sequence = [(e["event"], e.get("attempt")) for e in events if e.get("call") == 1]
    assert sequence == [("call_started", None)] + [
        step for n in (1, 2, 3, 4)
        for step in ([("attempt_started", n), ("attempt_failed", n)] + ([("retry_scheduled", n + 1)] if n < 4 else []))
    ] + [("call_finished", None)], sequence
    assert len(server.calls("ListAnnotations", wanted=4)) == 4
    assert_key_never_printed(result)


@pytest.mark.parametrize("wire", ["grpc", "rest", "rest-h1"])
def test_import_summary_stays_the_last_stderr_line_with_verbose(serve, tmp_path, wire):
    # `import --help`: 'the last line on stderr is always "imported N, failed M, skipped K
    # (already done)"'.
    server = serve()
    data, _ = write_lines(tmp_path / "data.jsonl", 10, "summary")
    result = cli(server, "import", data, "--verbose", "--transport", wire)
    assert result.code == 0, result
    assert result.stderr.splitlines()[-1] == "imported 10, failed 0, skipped 0 (already done)", result


# MARK: --max-connections


@pytest.mark.parametrize("transport", ["grpc", "rest"])
def test_max_connections_spreads_concurrent_calls_over_a_pool(serve, tmp_path, transport):
    # 16 batches in flight, 2 streams per connection: the pool wants 8 connections and may open 4.
    server = serve("--max-concurrent-streams", "2")
    data, ids = write_lines(tmp_path / "data.jsonl", 300, f"pool-{transport}")
    result = cli(server, "import", data, "--transport", transport, "--max-connections", 4, "--batch-size", 5,
                 "--concurrency", 16, "--verbose")
    assert result.code == 0, result
    assert "imported 300, failed 0, skipped 0 (already done)" in result.stderr.splitlines(), result
    posts = server.calls("PostAnnotations", wanted=60)
    assert len(posts) == 60 and {p["status"] for p in posts} == {10000}, posts  # nothing refused, nothing retried
    connections = {p["connection"] for p in posts}
    assert 1 < len(connections) <= 4, posts
    events = import_events(result, "imported 300, failed 0, skipped 0 (already done)")
    opened = named(events, "connection_opened")
    assert 1 < len(opened) <= 4 and {e["max_concurrent_streams"] for e in opened} == {2}, opened
    assert len(opened) >= len(connections), (opened, connections)
    assert not named(events, "stream_refused") and not named(events, "goaway_received"), events
    assert sorted(stored_ids(server)) == sorted(ids)


@pytest.mark.parametrize("transport", ["grpc", "rest", "rest-h1"])
def test_without_max_connections_concurrent_calls_share_one_connection(serve, tmp_path, transport):
    server = serve("--max-concurrent-streams", "2")
    data, ids = write_lines(tmp_path / "data.jsonl", 100, f"one-{transport}")
    flags = ["--max-connections", 1] if transport == "rest-h1" else []  # HTTP/1.1 keeps 16 by default
    result = cli(server, "import", data, "--transport", transport, "--batch-size", 5, "--concurrency", 16, *flags)
    assert result.code == 0, result
    posts = server.calls("PostAnnotations", wanted=20)
    assert len(posts) == 20 and {p["status"] for p in posts} == {10000}, posts
    assert len({p["connection"] for p in posts}) == 1, posts
    assert sorted(stored_ids(server)) == sorted(ids)


def test_max_connections_bounds_http1_connections(serve, tmp_path):
    server = serve()
    data, ids = write_lines(tmp_path / "data.jsonl", 100, "h1")
    result = cli(server, "import", data, "--transport", "rest-h1", "--max-connections", 2, "--batch-size", 5,
                 "--concurrency", 16)
    assert result.code == 0, result
    posts = server.calls("PostAnnotations", wanted=20)
    assert len(posts) == 20 and {p["status"] for p in posts} == {10000}, posts
    assert len({p["connection"] for p in posts}) == 2, posts
    assert sorted(stored_ids(server)) == sorted(ids)


# MARK: bad values


@pytest.fixture(scope="module")
def idle_server(request, tmp_path_factory):
    """One emulator for the usage errors: its call log must stay empty."""
    return Serve(request, tmp_path_factory.mktemp("usage"))


@pytest.fixture(scope="module")
def import_file(tmp_path_factory) -> Path:
    return write_lines(tmp_path_factory.mktemp("usage-data") / "data.jsonl", 3, "usage")[0]


def arguments_of(subcommand: str, import_file: Path) -> list:
    """What each subcommand needs besides the flags under test."""
    return {
        "post": ["--input-id", "img1", "--concept", "tree"],
        "list": [],
        "get": ["--input-id", "img1", "--id", "a1"],
        "patch": ["--action", "merge", "--input-id", "img1", "--id", "a1", "--concept", "tree"],
        "delete": ["--input-id", "img1", "--id", "a1"],
        "import": [import_file],
        "export": [],
    }[subcommand]


BAD_VALUES = [
    (["--max-connections", "0"], "--max-connections"),
    (["--max-connections", "1025"], "--max-connections"),
    (["--max-connections", "x"], "--max-connections"),
    (["--max-connections", "1.5"], "--max-connections"),
    (["--max-connections=-5"], "--max-connections"),
    (["--rate", "0"], "--rate"),
    (["--rate", "-1"], "--rate"),  # ArgumentParser takes '-1' for a flag: "Missing value for '--rate'"
    (["--rate=-1"], "--rate"),
    (["--rate", "nan"], "--rate"),
    (["--rate", "inf"], "--rate"),
    (["--rate", "0.001"], "--rate"),
    (["--rate", "1000001"], "--rate"),
    (["--rate", "x"], "--rate"),
]


@pytest.mark.parametrize("subcommand", NETWORK)
@pytest.mark.parametrize("flags, flag", BAD_VALUES, ids=[" ".join(f) for f, _ in BAD_VALUES])
def test_bad_values_are_usage_errors_naming_the_flag(idle_server, import_file, subcommand, flags, flag):
    result = cli(idle_server, subcommand, *arguments_of(subcommand, import_file), *flags, timeout=20)
    assert result.code == EX_USAGE, result
    assert result.stdout == "", result
    lines = result.stderr.strip("\n").split("\n")
    assert len(lines) == 1 and flag in lines[0] and "usage error" in lines[0], result
    assert_key_never_printed(result)
    assert idle_server.calls(timeout=0) == [], "a usage error sent a request"
    assert not Path(f"{import_file}.checkpoint").exists()


@pytest.mark.parametrize("flags", [
    ["--max-connections", "1"], ["--max-connections", "1024"], ["--rate", "0.01"], ["--rate", "1000000"],
    ["--rate", "1e6"], ["--max-connections", "1024", "--rate", "15", "--verbose"],
])
def test_the_bounds_are_accepted(serve, flags):
    # At --rate 0.01 the first call still goes at once (burst 1).
    server = serve()
    result = cli(server, "list", *flags, timeout=20)
    assert result.code == 0, result
    assert json.loads(result.stdout)["status"]["code"] == 10000
    assert result.elapsed < 10, result


def test_a_retry_the_rate_leaves_no_room_for_reports_the_real_failure():
    """At 0.01 calls/s the second attempt would come 100 s later, past the deadline: the call
    fails at once with what failed the first attempt (nothing listens), not with the limit."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        port = holder.getsockname()[1]
        result = subprocess.run(
            [str(emulator_process.binary()), "list", "--endpoint", f"h2c://127.0.0.1:{port}", "--pat", "k",
             "--rate", "0.01", "--no-proxy"],
            capture_output=True, text=True, timeout=30)
    assert result.returncode == 75, result
    assert "connect failed" in result.stderr and "rate limit" not in result.stderr, result.stderr
